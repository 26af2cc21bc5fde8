package main

import (
	"context"
	"fmt"
	"time"

	"github.com/agentgateway-go/agentgateway/internal/faultproxy"
	"github.com/agentgateway-go/agentgateway/internal/redisproc"
)

// The faults of -fault, and how long each lasts by default: a restart
// (redis-server stopped with SIGTERM, started again on its port), a stall
// longer than go-redis's 3 s read timeout (SIGSTOP, SIGCONT), a partition
// of worker 0 from Redis longer than the lease (its proxy holds the bytes,
// then lets them through).
var faultFor = map[string]time.Duration{"restart": 3 * time.Second, "stall": 5 * time.Second, "partition": 15 * time.Second}

// fault is one fault injected mid-run.
type fault struct {
	kind       string
	dur        time.Duration
	redis      *redisproc.Server // restart, stall
	proxy      *faultproxy.Proxy // partition: worker 0's way to Redis
	start, end time.Time         // when it began and ended
	done       chan struct{}     // closed at its end
	err        error
}

func checkFault(o procOptions) error {
	switch {
	case o.fault == "":
		return nil
	case faultFor[o.fault] == 0:
		return fmt.Errorf("-fault %q: restart, stall or partition", o.fault)
	case o.killOne:
		return fmt.Errorf("-fault and -kill-one: one at a time")
	case o.redisAddr != "" && o.fault != "partition":
		return fmt.Errorf("-fault %s needs the redis-server this command starts (no -redis)", o.fault)
	case o.fault == "partition" && o.processes < 2:
		return fmt.Errorf("-fault partition needs two processes or more")
	}
	return nil
}

// inject starts the fault and ends it after f.dur, in the background.
func (f *fault) inject(ctx context.Context) {
	f.done = make(chan struct{})
	f.start = time.Now()
	go func() {
		defer close(f.done)
		var err error
		switch f.kind {
		case "restart":
			err = f.redis.Stop()
		case "stall":
			err = f.redis.Pause()
		case "partition":
			f.proxy.Pause()
		}
		if err != nil {
			f.err = err
			return
		}
		t := time.NewTimer(f.dur) // the fault's length, not a wait for something
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		switch f.kind {
		case "restart":
			err = f.redis.Restart(context.WithoutCancel(ctx))
		case "stall":
			err = f.redis.Resume()
		case "partition":
			f.proxy.Resume()
		}
		f.err, f.end = err, time.Now()
	}()
}

// polledAgain waits, after the fault, until the gateway has a poll of
// every agent in flight, and returns how long after the fault's end that
// was.
func (f *fault) polledAgain(ctx context.Context, ctl control, n int, limit time.Duration) (time.Duration, error) {
	<-f.done
	if f.err != nil {
		return 0, f.err
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		st, err := ctl.Stats()
		if err == nil && st.PolledAgents >= int64(n) {
			return time.Since(f.end), nil
		}
		if time.Since(f.end) > limit {
			return 0, fmt.Errorf("%d of %d agents polled %s after the %s ended", st.PolledAgents, n, limit, f.kind)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-tick.C:
		}
	}
}
