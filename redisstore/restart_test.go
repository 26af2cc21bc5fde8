package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/redisstore"
)

// Redis is stopped for longer than the lease and started again on its
// port: the pollers survive (telling OnError), no agent is polled by two
// processes at once, and every agent is polled again, within a lease time
// when Redis kept its data; when it lost it, the processes that hold the
// sessions write them again, a session none holds is reported
// (ErrSessionLost) until it is signed in again, and fencing tokens still
// grow. Each event reaches the stream once.
func TestPollersOutliveARestart(t *testing.T) {
	for _, persist := range []bool{true, false} {
		name := map[bool]string{true: "appendonly", false: "no-persistence"}[persist]
		t.Run(name, func(t *testing.T) { testRestart(t, persist) })
	}
}

func testRestart(t *testing.T, persist bool) {
	const ttl = 500 * time.Millisecond
	r := startRedisWith(t, persist)
	srv := fake(t)
	f := newFront(t, srv)
	signer := newProcess(t, r, f.URL, ttl)
	a, b := newProcess(t, r, f.URL, ttl), newProcess(t, r, f.URL, ttl)
	agents := []int{20001, 20002}
	for i, id := range agents {
		signIn(t, signer.client, id, []string{"88001", "88002"}[i])
	}
	// 20003's session was stored by a process that then died holding its
	// lease: no live process holds that session.
	dead := newProcess(t, r, f.URL, time.Minute)
	signIn(t, dead.client, 20003, "88003")
	ctx, stop := context.WithCancel(ctxFor(t))
	defer stop()
	require.Eventually(t, func() bool {
		l, err := dead.store.Acquire(ctx, 20003, "dead", ttl)
		return err == nil && dead.store.Renew(ctx, l, time.Minute) == nil
	}, 5*time.Second, 10*time.Millisecond)

	var done []<-chan error
	for _, p := range []*process{a, b} {
		for _, id := range append(agents, 20003) {
			done = append(done, p.run(ctx, id))
		}
	}
	polled := func(since time.Time) func() bool {
		return func() bool {
			for _, id := range agents {
				if !f.polledSince(id, since) {
					return false
				}
			}
			return true
		}
	}
	require.Eventually(t, polled(time.Now()), 5*time.Second, 5*time.Millisecond)
	before := map[int]int64{}
	for _, id := range agents {
		before[id], _ = a.store.Holder(ctx, id)
	}

	m := marks(a, b)
	require.NoError(t, r.Stop())
	// Down until every poller stopped polling: its lease may have expired.
	require.Eventually(t, func() bool { return stopped([]*process{a, b}, m, agents...) }, 5*time.Second, 5*time.Millisecond,
		"OnError hears of it")
	require.Eventually(t, func() bool { return !f.polling(20001) && !f.polling(20002) }, 5*time.Second, time.Millisecond,
		"the gateway sees the polls end (the split-brain check is the front's overlaps)")
	require.NoError(t, r.Restart(ctx))
	back := time.Now()

	within := 10 * time.Second // no persistence: a lease time of quarantine, then the sessions' re-writing
	if persist {
		within = ttl + ttl/2 // a lease time, and slack for a loaded machine
	}
	require.Eventually(t, polled(back), within, 5*time.Millisecond, "every agent polled again")
	if persist {
		t.Logf("every agent polled again %v after the restart (lease %v)", time.Since(back), ttl)
	}
	for _, id := range agents {
		st, err := a.store.LoadState(ctx, id)
		require.NoError(t, err, "the session is stored again")
		require.Equal(t, id, st.AgentID)
		require.Eventually(t, func() bool {
			h, _ := a.store.Holder(ctx, id)
			return h > before[id] || (persist && h == before[id]) // the same holder may have its lease back
		}, 5*time.Second, 5*time.Millisecond, "fencing tokens never go back")
	}

	// Each event once, in order.
	for _, id := range agents {
		c, err := srv.Ring(id, "13800000000")
		require.NoError(t, err)
		require.NoError(t, srv.Hangup(c))
	}
	for _, id := range agents {
		require.Eventually(t, func() bool {
			got, _ := streamTypes(t, a.store, id)
			return len(got) >= 2 && got[len(got)-1] == "AgentOther_PhoneRelease"
		}, 5*time.Second, 5*time.Millisecond)
		got, _ := streamTypes(t, a.store, id)
		require.Equal(t, []string{"AgentEvent_Ringing", "AgentOther_PhoneRelease"}, got, "each once")
	}

	if persist {
		require.Empty(t, lostReports(a, b), "nothing was lost")
	} else {
		require.Eventually(t, func() bool { return len(lostReports(a, b)) > 0 }, 10*time.Second, 10*time.Millisecond,
			"the session no live process holds is reported")
		for _, err := range lostReports(a, b) {
			var e *redisstore.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, 20003, e.Agent)
		}
		require.NoError(t, srv.SignOut(20003))
		signIn(t, signer.client, 20003, "88003") // signed in again: polled again
		require.Eventually(t, func() bool { return f.polling(20003) }, 10*time.Second, 5*time.Millisecond)
	}
	require.Zero(t, f.overlapping(), "no agent polled by two processes at once")
	for _, d := range done {
		select {
		case err := <-d:
			t.Fatalf("a poller ended: %v", err)
		default:
		}
	}
	stop()
	for _, d := range done {
		require.ErrorIs(t, <-d, context.Canceled)
	}
}

func lostReports(ps ...*process) []error {
	var out []error
	for _, p := range ps {
		for _, err := range p.survived() {
			if errors.Is(err, redisstore.ErrSessionLost) {
				out = append(out, err)
			}
		}
	}
	return out
}

// A restart that lost Redis's data does not reset fencing tokens: a stale
// holder's token is below every new one, and can neither renew nor append.
// The first lease after the loss waits a lease time (a holder from before
// may still be polling).
func TestTokensGrowAcrossDataLoss(t *testing.T) {
	const ttl = 300 * time.Millisecond
	r := startRedis(t)
	s := r.store(t, r.client(t))
	ctx := ctxFor(t)
	var old redisstore.Lease
	require.Eventually(t, func() bool {
		var err error
		old, err = s.Acquire(ctx, 20001, "old", ttl)
		return err == nil
	}, 5*time.Second, 10*time.Millisecond)
	require.NoError(t, s.Renew(ctx, old, time.Minute))

	require.NoError(t, r.Stop())
	require.NoError(t, r.Restart(ctx))
	_, err := s.Acquire(ctx, 20001, "new", ttl)
	require.ErrorIs(t, err, redisstore.ErrLeaseHeld, "quarantined: the old holder may still poll")
	var fresh redisstore.Lease
	require.Eventually(t, func() bool {
		var err error
		fresh, err = s.Acquire(ctx, 20001, "new", ttl)
		return err == nil
	}, 5*time.Second, 10*time.Millisecond)
	require.Greater(t, fresh.Token, old.Token)
	require.ErrorIs(t, s.Renew(ctx, old, ttl), redisstore.ErrLeaseLost)
	_, err = s.Append(ctx, old, 1, benchEvent)
	require.ErrorIs(t, err, redisstore.ErrLeaseLost)
}
