package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// leaseKeys are the agents' lease keys (redisstore's documented layout).
func leaseKeys(prefix string, n int) []string {
	keys := make([]string, n)
	for i := range keys {
		keys[i] = "agw:{" + prefix + "}:lease:" + strconv.Itoa(agentBase+i)
	}
	return keys
}

// takeover watches the leases after a kill: an agent whose lease token
// changed was taken over by another process, which then polls it.
type takeover struct {
	killedTokens map[int]int64 // by agent: the killed worker's lease token
	done         chan struct{}
	taken        int
	slowest      time.Duration
	watchErrs    error
}

// killWorker kills w with SIGKILL and watches every lease every 10 ms
// until, a lease time after the kill (when every lease of w has expired),
// every agent has a holder again.
func killWorker(ctx context.Context, rdb *redis.Client, prefix string, o procOptions, w *worker) *takeover {
	keys := leaseKeys(prefix, o.n)
	t := &takeover{done: make(chan struct{}), killedTokens: map[int]int64{}}
	before, err := rdb.MGet(ctx, keys...).Result()
	for i, v := range before {
		if s, ok := v.(string); ok {
			t.killedTokens[agentBase+i], _ = strconv.ParseInt(s, 10, 64)
		}
	}
	killed := time.Now()
	_ = w.cmd.Process.Kill()
	_ = w.cmd.Wait()
	if err != nil {
		t.watchErrs = err
		close(t.done)
		return t
	}
	go func() {
		defer close(t.done)
		seen := make([]bool, len(keys))
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for all := false; !all || time.Since(killed) < o.lease+100*time.Millisecond; {
			if time.Since(killed) > 30*time.Second {
				t.watchErrs = fmt.Errorf("agents without a poller 30 s after the kill")
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			now, err := rdb.MGet(ctx, keys...).Result()
			if err != nil {
				t.watchErrs = err
				return
			}
			all = true
			for i, v := range now {
				all = all && v != nil
				if !seen[i] && v != nil && v != before[i] {
					seen[i] = true
					t.taken++
					t.slowest = max(t.slowest, time.Since(killed))
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
// the streams stop growing (or hold them all).
func settle(ctx context.Context, ctl control, rdb *redis.Client, prefix string, n int) (serverStats, error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	deadline := time.Now().Add(60 * time.Second)
	last, since := int64(-1), time.Now()
	for {
		st, err := ctl.Stats()
		if err != nil {
			return st, err
		}
		pipe := rdb.Pipeline()
		lens := make([]*redis.IntCmd, n)
		for i := range lens {
			lens[i] = pipe.XLen(ctx, "agw:{"+prefix+"}:events:"+strconv.Itoa(agentBase+i))
		}
		if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
			return st, err
		}
		var total int64
		for _, l := range lens {
			total += l.Val()
		}
		if total != last {
			last, since = total, time.Now()
		}
		handed := st.EventsQueued == st.EventsDelivered
		if handed && (total == int64(st.EventsDelivered) || time.Since(since) > time.Second) {
			return st, nil
		}
		if time.Now().After(deadline) {
			return st, fmt.Errorf("events still moving after 60 s: queued %d, delivered %d, in streams %d", st.EventsQueued, st.EventsDelivered, total)
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-tick.C:
		}
	}
}

// countStreams reads every agent's stream: the events (lost, duplicated),
// the gap entries (silent loss: events lost with no gap entry appended by
// a later lease holder than killed's), and the call a desk applying the
// stream believes in, against the gateway's truth.
func countStreams(ctx context.Context, store *redisstore.Store, truth []agwtest.AgentStatus, killed map[int]int64, res *result) error {
	want := map[string]int{
		"AgentEvent_Ringing": 1, "AgentOther_PhoneRelease": 2, "AgentOther_PhoneAlerting": 1, "AgentOther_PhoneOffhook": 1,
		"AgentEvent_Talking": 1, "AgentEvent_Incoming_CallInfo": 1, "AgentMediaEvent_Record": 1, "AgentEvent_Call_Release": 1,
	}
	callOf := map[int]string{}
	for _, a := range truth {
		callOf[a.ID] = a.CallID
	}
	for i := range res.Sessions {
		agent := agentBase + i
		evs, err := store.Read(ctx, agent, "", 1000)
		if err != nil {
			return err
		}
		got := map[string]int{}
		var view consumerView
		gapAfterKill := false // a gap entry from a holder after the killed one
		for _, ev := range evs {
			if ev.Gap != nil {
				res.Gaps++
				gapAfterKill = gapAfterKill || ev.Token > killed[agent]
				view.reset(ev.Gap)
				continue
			}
			got[ev.Event.EventType]++
			res.EventsReceived++
			view.apply(ev.Event)
		}
		lost := 0
		for typ, n := range want {
			lost += max(n-got[typ], 0)
		}
		for typ, n := range got {
			res.Duplicated += max(n-want[typ], 0)
		}
		if lost > 0 && !gapAfterKill {
			res.SilentLoss++
		}
		if view.callID != callOf[agent] {
			res.StateMismatch++
		}
	}
	return nil
}

// consumerView is what a desk that applies an agent's stream believes:
// the call the agent is in, if any. A gap's snapshot replaces it.
type consumerView struct{ callID string }

func (v *consumerView) reset(g *wrapper.Gap) {
	v.callID = ""
	if g.Snapshot != nil && len(g.Snapshot.Calls) > 0 {
		v.callID = g.Snapshot.Calls[0].CallID
	}
}

func (v *consumerView) apply(ev wrapper.Event) {
	switch ev.EventType {
	case "AgentEvent_Ringing", "AgentEvent_Talking":
		v.callID = ev.CallID()
	case "AgentEvent_Call_Release", "AgentOther_PhoneRelease":
		v.callID = ""
	}
}
