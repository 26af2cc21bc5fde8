package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// leaseKeys are the agents' lease keys (redisstore's documented layout).
func leaseKeys(prefix string, n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "agw:{" + prefix + "}:lease:" + strconv.Itoa(agentBase+i)
	}
	return keys
}

// holders returns each agent's lease token now (0 for none).
func holders(ctx context.Context, rdb *redis.Client, prefix string, n int) map[int]int64 {
	out := map[int]int64{}
	vs, _ := rdb.MGet(ctx, leaseKeys(prefix, n)...).Result()
	for i, v := range vs {
		if s, ok := v.(string); ok {
			out[agentBase+i], _ = strconv.ParseInt(s, 10, 64)
		}
	}
	return out
}

// takeover watches the leases after a kill or a partition: an agent whose
// lease token changed was taken over by another process, which then
// polls it.
type takeover struct {
	done      chan struct{}
	taken     int
	slowest   time.Duration
	watchErrs error
}

// watchTakeover watches every lease every 10 ms from since until, a lease
// time after it (when every lease of the worker gone has expired), every
// agent has a holder other than before's.
func watchTakeover(ctx context.Context, rdb *redis.Client, prefix string, o procOptions, before map[int]int64, since time.Time) *takeover {
	keys := leaseKeys(prefix, o.n)
	t := &takeover{done: make(chan struct{})}
	go func() {
		defer close(t.done)
		seen := make([]bool, len(keys))
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for all := false; !all || time.Since(since) < o.lease+100*time.Millisecond; {
			if time.Since(since) > 60*time.Second {
				t.watchErrs = fmt.Errorf("agents without a poller 60 s after the kill or partition")
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			now, err := rdb.MGet(ctx, keys...).Result()
			if err != nil {
				continue // Redis may be down a while
			}
			all = true
			for i, v := range now {
				tok, _ := strconv.ParseInt(fmt.Sprint(v), 10, 64)
				all = all && v != nil
				if !seen[i] && v != nil && tok != before[agentBase+i] {
					seen[i] = true
					t.taken++
					t.slowest = max(t.slowest, time.Since(since))
				}
			}
		}
	}()
	return t
}

// wait returns how many agents were taken over and the slowest takeover.
func (t *takeover) wait() (int, time.Duration, error) {
	<-t.done
	return t.taken, t.slowest, t.watchErrs
}

// settle waits until the gateway has handed out every event it queued and
// the desk has read them all (or read nothing new for a second).
func settle(ctx context.Context, ctl control, d *desk) (serverStats, error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(60 * time.Second)
	last, since := -1, time.Now()
	for {
		st, err := ctl.Stats()
		if err != nil {
			return st, err
		}
		total := d.count()
		if total != last {
			last, since = total, time.Now()
		}
		handed := st.EventsQueued == st.EventsDelivered
		if handed && (total == st.EventsDelivered || time.Since(since) > time.Second) {
			return st, nil
		}
		if time.Now().After(deadline) {
			return st, fmt.Errorf("events still moving after 60 s: queued %d, delivered %d, read %d", st.EventsQueued, st.EventsDelivered, total)
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-tick.C:
		}
	}
}

// polledAtEnd waits, up to limit, until every agent has a poll in flight
// at the gateway, and returns the polls then.
func polledAtEnd(ctx context.Context, ctl control, n int, limit time.Duration) (pollStats, error) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	giveUp := time.Now().Add(limit)
	for {
		st, err := ctl.Stats()
		if err != nil || st.PolledAgents >= int64(n) || time.Now().After(giveUp) {
			return st.pollStats, err
		}
		select {
		case <-ctx.Done():
			return st.pollStats, ctx.Err()
		case <-tick.C:
		}
	}
}
