package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// procOptions are those of -processes.
type procOptions struct {
	n, processes    int
	killOne         bool
	redisAddr       string
	lease, pollWait time.Duration
}

// runProcesses shares n agents between client processes through Redis:
// this process signs them in (the sessions go to Redis) and drives the
// calls with Store.Do; each worker runs a Poller per agent, appending
// events to the agents' streams. With killOne, worker 0 starts first and
// takes every lease; it is killed once a quarter of the pairs are done.
func runProcesses(ctx context.Context, o procOptions) (result, error) {
	res := result{Mode: "processes", Sessions: o.n, Processes: o.processes, Lease: o.lease, Where: "in a child process"}
	if o.n < 2 || o.n%2 != 0 || o.processes < 1 || (o.killOne && o.processes < 2) {
		return res, errors.New("-processes: an even number of sessions >= 2, and two processes or more to kill one")
	}
	start := time.Now()
	addr := o.redisAddr
	if addr == "" {
		var stop func()
		var err error
		if addr, stop, err = startRedis(ctx); err != nil {
			return res, err
		}
		defer stop()
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
	workers := make([]*worker, o.processes)
	for i := range workers {
		if workers[i], err = startWorker(ctx, root, addr, prefix, o.n, o.lease); err != nil {
			return res, err
		}
		defer workers[i].kill()
		if i == 0 && o.killOne {
			// The worker to kill takes every lease first, so that every
			// agent's takeover is measured, not only the share it won.
			if err := waitPending(ctx, ctl, o.n); err != nil {
				return res, err
			}
		}
	}
	if err := waitPending(ctx, ctl, o.n); err != nil {
		return res, err
	}

	var done atomic.Int64
	var kill sync.Once
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
				if done.Add(1) >= int64(o.n/8) && o.killOne {
					kill.Do(func() { take = killWorker(ctx, rdb, prefix, o, workers[0]) })
				}
			}
		})
	}
	for a := agentBase; a < agentBase+o.n; a += 2 {
		next <- a
	}
	close(next)
	wg.Wait()
	if take != nil {
		res.Killed = 1
		var err error
		if res.TakenOver, res.TakeoverMax, err = take.wait(); err != nil {
			rec.fail(err)
		}
		if limit := o.lease + o.lease/4 + time.Second; res.TakeoverMax > limit {
			rec.fail(fmt.Errorf("an agent was polled again %s after the kill, over %s", res.TakeoverMax, limit))
		}
	}
	st, err := settle(ctx, ctl, rdb, prefix, o.n)
	if err != nil {
		return res, err
	}
	truth, err := ctl.Agents()
	if err != nil {
		return res, err
	}
	var killed map[int]int64
	if take != nil {
		killed = take.killedTokens
	}
	if err := countStreams(ctx, store, truth, killed, &res); err != nil {
		return res, err
	}
	var bytes []int64
	for _, w := range workers[res.Killed:] {
		line, err := w.stop()
		if err != nil {
			return res, err
		}
		var per int64
		var l latency
		if _, err := fmt.Sscanf(line, "WORKER %d %d %d %d", &per, &l.P50, &l.P99, &l.Max); err != nil {
			return res, fmt.Errorf("worker said %q: %w", line, err)
		}
		bytes = append(bytes, per)
		res.Window = latency{P50: max(res.Window.P50, l.P50), P99: max(res.Window.P99, l.P99), Max: max(res.Window.Max, l.Max)}
	}
	for _, b := range bytes {
		res.HeapPerSession += float64(b) / float64(len(bytes))
	}
	res.Elapsed = time.Since(start)
	res.EventsQueued, res.EventsDelivered = st.EventsQueued, st.EventsDelivered
	res.EventsLost = max(st.EventsDelivered-res.EventsReceived, 0)
	res.SnatchPuts, res.Pickups = st.Requests["SnatchPickup"], len(rec.pickUp)
	res.Calls, res.Polls = st.Requests["SnatchPickup"]+st.Requests["Release"], st.Requests["PollEvent"]
	res.SignIn = percentiles(rec.signIn)
	res.Errors = rec.errs
	res.check()
	if take != nil && res.EventsLost > res.TakenOver { // at most one reply in flight per agent
		res.Errors = append(res.Errors, fmt.Sprintf("%d events lost for %d agents taken over", res.EventsLost, res.TakenOver))
	}
	if res.SilentLoss > 0 || res.StateMismatch > 0 {
		res.Errors = append(res.Errors, fmt.Sprintf("%d agents lost events with no gap after them; %d end in another call state than the gateway's",
			res.SilentLoss, res.StateMismatch))
	}
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
	err := store.Do(ctx, client, picker, func(ctx context.Context, s *wrapper.Session) error {
		return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: ringer})
	})
	if err != nil {
		return fmt.Errorf("agent %d picking up from %d: %w", picker, ringer, err)
	}
	rec.add(&rec.pickUp, time.Since(t0))
	return store.Do(ctx, client, picker, func(ctx context.Context, s *wrapper.Session) error { return s.Release(ctx) })
}

// worker is a client process of -processes.
type worker struct {
	cmd   *exec.Cmd
	stdin io.Closer
	out   *bufio.Reader
}

func startWorker(ctx context.Context, root, redisAddr, prefix string, n int, lease time.Duration) (*worker, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-worker", "-gateway", root, "-redis", redisAddr, "-prefix", prefix,
		"-sessions", strconv.Itoa(n), "-lease", lease.String())
	cmd.Stderr = os.Stderr
	w := &worker{cmd: cmd}
	if w.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	w.out = bufio.NewReader(stdout)
	return w, cmd.Start()
}

// stop asks the worker to end and returns its WORKER line.
func (w *worker) stop() (string, error) {
	_ = w.stdin.Close()
	line, err := w.out.ReadString('\n')
	if werr := w.cmd.Wait(); err == nil && werr != nil {
		err = werr
	}
	return strings.TrimSpace(line), err
}

func (w *worker) kill() {
	if w.cmd.ProcessState == nil {
		_ = w.cmd.Process.Kill()
		_ = w.cmd.Wait()
	}
}
