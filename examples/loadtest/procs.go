package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/faultproxy"
	"github.com/agentgateway-go/agentgateway/internal/redisproc"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// procOptions are those of -processes.
type procOptions struct {
	n, processes    int
	killOne         bool
	fault           string        // restart, stall, partition or ""
	faultFor        time.Duration // 0: faultFor[fault]
	persist         bool          // the redis-server started runs with appendonly
	redisAddr       string
	lease, pollWait time.Duration
}

// runProcesses shares n agents between client processes through Redis:
// this process signs them in (the sessions go to Redis), drives the calls
// with Store.Do and reads every stream as a desk would; each worker runs
// a Poller per agent, appending events to the agents' streams. With
// killOne or a partition, worker 0 starts first and takes every lease;
// once a quarter of the pairs are done it is killed, or the fault begins.
func runProcesses(ctx context.Context, o procOptions) (result, error) {
	res := result{Mode: "processes", Sessions: o.n, Processes: o.processes, Lease: o.lease, Where: "in a child process",
		Fault: o.fault, Persist: o.persist}
	if o.n < 2 || o.n%2 != 0 || o.processes < 1 || (o.killOne && o.processes < 2) {
		return res, errors.New("-processes: an even number of sessions >= 2, and two processes or more to kill one")
	}
	if err := checkFault(o); err != nil {
		return res, err
	}
	start := time.Now()
	redis.SetLogger(quiet{}) // failures show in the result
	f := &fault{kind: o.fault, dur: cmp.Or(o.faultFor, faultFor[o.fault])}
	res.FaultFor = f.dur
	addr := o.redisAddr
	if addr == "" {
		dir, err := os.MkdirTemp("", "loadtest-redis-")
		if err != nil {
			return res, err
		}
		defer os.RemoveAll(dir)
		if f.redis, err = redisproc.Start(ctx, dir, o.persist, io.Discard); err != nil {
			return res, err
		}
		defer f.redis.Kill()
		addr = f.redis.Addr
	}
	root, stopGateway, err := startChild(ctx, o.n, o.pollWait, false)
	if err != nil {
		return res, err
	}
	defer stopGateway()
	ctl := remote{root: root, hc: &http.Client{Timeout: 10 * time.Second}}
	rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 64, ContextTimeoutEnabled: true})
	defer rdb.Close()
	prefix := "load" + strconv.Itoa(os.Getpid())
	store, err := redisstore.New(rdb, prefix)
	if err != nil {
		return res, err
	}
	var rec recorder
	client, err := wrapper.NewClient(root, wrapper.WithStateHook(store.Hook(rec.fail)))
	if err != nil {
		return res, err
	}
	if err := signInAll(ctx, client, &rec, o.n); err != nil {
		return res, err
	}
	firstTakesAll := o.killOne || o.fault == "partition"
	workers := make([]*worker, o.processes)
	for i := range workers {
		waddr := addr
		if i == 0 && o.fault == "partition" {
			if f.proxy, err = faultproxy.New(addr); err != nil {
				return res, err
			}
			defer f.proxy.Close()
			waddr = f.proxy.Addr
		}
		if workers[i], err = startWorker(ctx, root, waddr, prefix, o.n, o.lease); err != nil {
			return res, err
		}
		defer workers[i].kill()
		if i == 0 && firstTakesAll {
			// The worker to kill (or cut off) takes every lease first, so
			// that every agent's takeover is measured, not only its share.
			if err := waitPending(ctx, ctl, o.n); err != nil {
				return res, err
			}
		}
	}
	if err := waitPending(ctx, ctl, o.n); err != nil {
		return res, err
	}
	reader := startDesk(ctx, store, o.n)

	var done atomic.Int64
	var trigger sync.Once
	var take *takeover
	next := make(chan int)
	var wg sync.WaitGroup
	for range signInWorkers {
		wg.Go(func() {
			for a := range next {
				for _, r := range [][2]int{{a, a + 1}, {a + 1, a}} {
					if err := procRound(ctx, ctl, store, client, &rec, r[0], r[1]); err != nil {
						rec.fail(err)
					}
				}
				if done.Add(1) >= int64(o.n/8) && (o.killOne || o.fault != "") {
					trigger.Do(func() {
						before := holders(ctx, rdb, prefix, o.n)
						switch {
						case o.killOne:
							res.Mark = time.Now()
							_ = workers[0].cmd.Process.Kill()
							_ = workers[0].cmd.Wait()
							take = watchTakeover(ctx, rdb, prefix, o, before, res.Mark)
						default:
							f.inject(ctx)
							res.Mark = f.start
							if o.fault == "partition" {
								take = watchTakeover(ctx, rdb, prefix, o, before, f.start)
							}
						}
					})
				}
			}
		})
	}
	for a := agentBase; a < agentBase+o.n; a += 2 {
		next <- a
	}
	close(next)
	wg.Wait()
	if f.done != nil {
		var err error
		if res.PolledAgain, err = f.polledAgain(ctx, ctl, o.n, 3*o.lease+10*time.Second); err != nil {
			rec.fail(err)
		}
	}
	if take != nil {
		res.Killed = btoi(o.killOne)
		var err error
		if res.TakenOver, res.TakeoverMax, err = take.wait(); err != nil {
			rec.fail(err)
		}
		if limit := o.lease + o.lease/4 + time.Second; res.TakeoverMax > limit {
			rec.fail(fmt.Errorf("an agent was polled again %s after the kill or partition, over %s", res.TakeoverMax, limit))
		}
	}
	st, err := settle(ctx, ctl, reader)
	if err != nil {
		return res, err
	}
	entries, err := reader.close(ctx)
	if err != nil {
		return res, err
	}
	truth, err := ctl.Agents()
	if err != nil {
		return res, err
	}
	countStreams(entries, truth, &res)
	end, err := polledAtEnd(ctx, ctl, o.n, 3*o.lease+10*time.Second)
	if err != nil {
		return res, err
	}
	res.PolledAtEnd, res.ConcurrentPolls = int(end.PolledAgents), int(end.ConcurrentPolls)
	if err := stopWorkers(workers[res.Killed:], &res); err != nil {
		return res, err
	}
	res.Elapsed = time.Since(start)
	res.EventsQueued, res.EventsDelivered = st.EventsQueued, st.EventsDelivered
	res.EventsLost = max(st.EventsDelivered-res.EventsReceived, 0)
	res.SnatchPuts, res.Pickups, res.PutsDuplicated = st.Requests["SnatchPickup"], len(rec.pickUp), int(st.PutsDuplicated)
	res.Calls, res.Polls = st.Requests["SnatchPickup"]+st.Requests["Release"], st.Requests["PollEvent"]
	res.SignIn = percentiles(rec.signIn)
	res.DoNotSent = int(rec.notSent.Load())
	res.Errors = rec.errs
	res.check()
	res.checkProcesses()
	return res, nil
}

// signInAll signs agents in from this process; the state hook stores them.
func signInAll(ctx context.Context, client *wrapper.Client, rec *recorder, n int) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for range signInWorkers {
		wg.Go(func() {
			for i := range next {
				t0 := time.Now()
				if _, err := client.SignIn(ctx, agentBase+i, wrapper.SignInOptions{Phone: phone(i), Password: password}); err != nil {
					rec.fail(err)
					continue
				}
				rec.add(&rec.signIn, time.Since(t0))
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	if len(rec.errs) > 0 {
		return fmt.Errorf("sign-in: %s", strings.Join(rec.errs, "; "))
	}
	return nil
}

// procRound rings ringer and has picker snatch the call and hang up, each
// request sent once from a session restored from Redis.
func procRound(ctx context.Context, ctl control, store *redisstore.Store, client *wrapper.Client, rec *recorder, ringer, picker int) error {
	if err := ctl.Ring(ringer); err != nil {
		return err
	}
	t0 := time.Now()
	err := doOnce(ctx, store, client, rec, picker, func(ctx context.Context, s *wrapper.Session) error {
		return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: ringer})
	})
	if err != nil {
		return fmt.Errorf("agent %d picking up from %d: %w", picker, ringer, err)
	}
	rec.add(&rec.pickUp, time.Since(t0))
	return doOnce(ctx, store, client, rec, picker, func(ctx context.Context, s *wrapper.Session) error { return s.Release(ctx) })
}

// doOnce runs Store.Do again while it was not sent (Redis unavailable:
// safe to retry), for up to a minute; an outcome unknown is returned,
// never retried. No deadline of its own: one shared by Redis and the call
// would leave the call little time after a stall (go-redis's read timeout
// bounds Redis, the client's timeout the call).
func doOnce(ctx context.Context, store *redisstore.Store, client *wrapper.Client, rec *recorder, agent int, call func(context.Context, *wrapper.Session) error) error {
	giveUp := time.Now().Add(time.Minute)
	for pause := 50 * time.Millisecond; ; pause = min(2*pause, time.Second) {
		err := store.Do(ctx, client, agent, call)
		if !errors.Is(err, redisstore.ErrNotSent) || time.Now().After(giveUp) || ctx.Err() != nil {
			return err
		}
		rec.notSent.Add(1)
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
}
