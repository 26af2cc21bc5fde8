package redisstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const guid = "guid-0123456789abcdef.AgentGateway0"

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestStateSaveLoadDelete(t *testing.T) {
	r := startRedis(t)
	rdb := r.client(t)
	s := r.store(t, rdb)
	ctx := ctxFor(t)
	_, err := s.LoadState(ctx, 20001)
	require.ErrorIs(t, err, redisstore.ErrNoSession)

	st := wrapper.SessionState{AgentID: 20001, Guid: guid, Cookies: []wrapper.StateCookie{{Name: "lb", Value: "v", Domain: "h", Path: "/"}}}
	s.Hook(func(err error) { t.Error(err) })(st)
	got, err := s.LoadState(ctx, 20001)
	require.NoError(t, err)
	require.Equal(t, st, got)
	require.Equal(t, int64(1), rdb.Exists(ctx, "agw:{test}:session:20001").Val(), "the documented key")

	old := st
	old.Guid, old.Ended = "older", true
	require.NoError(t, s.SaveState(ctx, old))
	_, err = s.LoadState(ctx, 20001)
	require.NoError(t, err, "the end of an older Guid leaves the newer session")
	st.Ended = true
	require.NoError(t, s.SaveState(ctx, st))
	_, err = s.LoadState(ctx, 20001)
	require.ErrorIs(t, err, redisstore.ErrNoSession)
}

func TestLeaseFencing(t *testing.T) {
	r := startRedis(t)
	rdb := r.client(t)
	s := r.store(t, rdb)
	ctx := ctxFor(t)
	_, err := s.Acquire(ctx, 20001, "me", time.Minute)
	require.ErrorIs(t, err, redisstore.ErrLeaseHeld, "a new store's first leases wait a lease time: a holder from before a loss may poll")
	ageEpoch(t, rdb)
	require.NoError(t, rdb.Set(ctx, "agw:{test}:fence:20001", 41, 0).Err(), "a fence counter of an older version")
	a, err := s.Acquire(ctx, 20001, "me", time.Minute)
	require.NoError(t, err)
	require.Greater(t, a.Token, int64(41))
	_, err = s.Acquire(ctx, 20001, "other", time.Minute)
	require.ErrorIs(t, err, redisstore.ErrLeaseHeld)
	again, err := s.Acquire(ctx, 20001, "me", time.Minute)
	require.NoError(t, err)
	require.Equal(t, a, again, "an owner's repeated Acquire gets its lease back")
	require.NoError(t, s.Renew(ctx, a, time.Minute))

	ev := wrapper.Event{Event: generated.Event{EventType: "AgentEvent_Ringing"}}
	_, err = s.Append(ctx, a, 1, ev)
	require.NoError(t, err)

	require.NoError(t, s.Release(ctx, a))
	require.NoError(t, s.Release(ctx, a), "twice is harmless")
	b, err := s.Acquire(ctx, 20001, "other", time.Minute)
	require.NoError(t, err)
	require.Greater(t, b.Token, a.Token, "tokens only grow")
	require.ErrorIs(t, s.Renew(ctx, a, time.Minute), redisstore.ErrLeaseLost)
	_, err = s.Append(ctx, a, 2, ev)
	require.ErrorIs(t, err, redisstore.ErrLeaseLost, "a stale owner cannot append")
	require.NoError(t, s.Release(ctx, a))
	holder, err := s.Holder(ctx, 20001)
	require.NoError(t, err)
	require.Equal(t, b.Token, holder, "releasing with a stale token leaves the new lease")
}

// An append is done once, however often it is sent: a retry, or a stale
// copy landing late, with a seq not above the last one's under the same
// lease appends nothing.
func TestAppendOnce(t *testing.T) {
	r := startRedis(t)
	rdb := r.client(t)
	s := r.store(t, rdb)
	ageEpoch(t, rdb)
	ctx := ctxFor(t)
	l, err := s.Acquire(ctx, 20001, "me", time.Minute)
	require.NoError(t, err)
	ev := func(typ string) wrapper.Event { return wrapper.Event{Event: generated.Event{EventType: typ}} }
	id1, err := s.Append(ctx, l, 1, ev("A"))
	require.NoError(t, err)
	again, err := s.Append(ctx, l, 1, ev("A"))
	require.NoError(t, err)
	require.Equal(t, id1, again, "a retry returns the entry it made")
	id2, err := s.AppendGap(ctx, l, 2, wrapper.Gap{Agent: 20001, Reason: wrapper.GapRestored})
	require.NoError(t, err)
	_, err = s.Append(ctx, l, 1, ev("A"))
	require.NoError(t, err, "a stale copy is harmless")
	_, err = s.Append(ctx, l, 3, ev("B"))
	require.NoError(t, err)

	all, err := s.Read(ctx, 20001, "", 100)
	require.NoError(t, err)
	require.Len(t, all, 3)
	require.Equal(t, []string{id1, id2}, []string{all[0].ID, all[1].ID})
	for i, e := range all {
		require.Equal(t, int64(i+1), e.Seq)
		require.Equal(t, l.Token, e.Token)
	}

	// Another lease numbers its entries afresh.
	require.NoError(t, s.Release(ctx, l))
	m, err := s.Acquire(ctx, 20001, "next", time.Minute)
	require.NoError(t, err)
	_, err = s.Append(ctx, m, 1, ev("C"))
	require.NoError(t, err)
	n, err := rdb.XLen(ctx, "agw:{test}:events:20001").Result()
	require.NoError(t, err)
	require.Equal(t, int64(4), n)
}

func TestStreamReadAndConsume(t *testing.T) {
	r := startRedis(t)
	rdb := r.client(t)
	s := r.store(t, rdb)
	s.StreamMaxLen = 50
	ctx := ctxFor(t)
	ageEpoch(t, rdb)
	l, err := s.Acquire(ctx, 20001, "me", time.Minute)
	require.NoError(t, err)
	for i := range 200 {
		ev := wrapper.Event{Event: generated.Event{EventType: "E" + string(rune('A'+i%26))}}
		_, err := s.Append(ctx, l, int64(i+1), ev)
		require.NoError(t, err)
	}
	n := rdb.XLen(ctx, "agw:{test}:events:20001").Val()
	require.Less(t, n, int64(200), "trimmed")
	require.GreaterOrEqual(t, n, int64(50), "approximately MAXLEN")

	all, err := s.Read(ctx, 20001, "", 1000)
	require.NoError(t, err)
	require.Len(t, all, int(n))
	rest, err := s.Read(ctx, 20001, all[0].ID, 1000)
	require.NoError(t, err)
	require.Equal(t, all[1:], rest, "after an ID, in order")
	require.Equal(t, l.Token, all[0].Token)

	// At least once: a failed handler leaves its event pending, and the
	// next Consume of the same consumer gets it first.
	var seen []string
	failOnce := true
	err = s.Consume(ctx, 20001, "desk", "c1", func(ev redisstore.StreamEvent) error {
		if ev.ID == all[2].ID && failOnce {
			failOnce = false
			return redis.ErrClosed
		}
		seen = append(seen, ev.ID)
		return nil
	})
	require.ErrorIs(t, err, redis.ErrClosed)
	cctx, cancel := context.WithCancel(ctx)
	err = s.Consume(cctx, 20001, "desk", "c1", func(ev redisstore.StreamEvent) error {
		seen = append(seen, ev.ID)
		if len(seen) == len(all) {
			cancel()
		}
		return nil
	})
	require.ErrorIs(t, err, context.Canceled)
	var want []string
	for _, ev := range all {
		want = append(want, ev.ID)
	}
	require.Equal(t, want, seen, "every event once, in order, the failed one again")
}

// An agent's keys go: the session at sign-out, the lease when its poller
// ends, the fence counter a second after the lease, the stream Retention
// after its last entry; Forget removes them all at once.
func TestKeysGo(t *testing.T) {
	const ttl = 300 * time.Millisecond
	r := startRedis(t)
	srv := fake(t)
	p := newProcess(t, r, srv.URL(), ttl)
	ageEpoch(t, p.rdb)
	p.store.Retention = time.Hour
	ctx := ctxFor(t)
	s := signIn(t, p.client, 20001, "88001")
	done := p.run(ctx, 20001)
	keys := []string{"agw:{test}:session:20001", "agw:{test}:lease:20001", "agw:{test}:fence:20001", "agw:{test}:events:20001"}
	require.Eventually(t, func() bool { return p.rdb.Exists(ctx, keys...).Val() == 4 }, 5*time.Second, 5*time.Millisecond)
	ttlOf := func(key string) time.Duration { return p.rdb.PTTL(ctx, key).Val() }
	require.Equal(t, time.Duration(-1), ttlOf(keys[0]), "a session does not expire")
	require.LessOrEqual(t, ttlOf(keys[1]), ttl)
	require.Greater(t, ttlOf(keys[2]), ttlOf(keys[1]), "the fence outlives the lease")
	require.LessOrEqual(t, ttlOf(keys[2]), ttl+time.Second)
	require.InDelta(t, float64(time.Hour), float64(ttlOf(keys[3])), float64(time.Minute), "the stream expires Retention after its last entry")

	require.NoError(t, s.SignOut(ctx)) // through the Hook: the session goes
	require.ErrorIs(t, <-done, wrapper.ErrNotSignedIn)
	require.Zero(t, p.rdb.Exists(ctx, keys[0], keys[1]).Val(), "session and lease gone")

	require.NoError(t, p.store.Forget(ctx, 20001))
	require.Zero(t, p.rdb.Exists(ctx, keys...).Val(), "Forget removes every key")
}
