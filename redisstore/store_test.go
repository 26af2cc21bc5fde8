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
	s := r.store(t, r.client(t))
	ctx := ctxFor(t)
	a, err := s.Acquire(ctx, 20001, time.Minute)
	require.NoError(t, err)
	_, err = s.Acquire(ctx, 20001, time.Minute)
	require.ErrorIs(t, err, redisstore.ErrLeaseHeld)
	require.NoError(t, s.Renew(ctx, a, time.Minute))

	ev := wrapper.Event{Event: generated.Event{EventType: "AgentEvent_Ringing"}}
	_, err = s.Append(ctx, a, ev)
	require.NoError(t, err)

	require.NoError(t, s.Release(ctx, a))
	require.NoError(t, s.Release(ctx, a), "twice is harmless")
	b, err := s.Acquire(ctx, 20001, time.Minute)
	require.NoError(t, err)
	require.Greater(t, b.Token, a.Token, "tokens only grow")
	require.ErrorIs(t, s.Renew(ctx, a, time.Minute), redisstore.ErrLeaseLost)
	_, err = s.Append(ctx, a, ev)
	require.ErrorIs(t, err, redisstore.ErrLeaseLost, "a stale owner cannot append")
	require.NoError(t, s.Release(ctx, a))
	holder, err := s.Holder(ctx, 20001)
	require.NoError(t, err)
	require.Equal(t, b.Token, holder, "releasing with a stale token leaves the new lease")
}

func TestStreamReadAndConsume(t *testing.T) {
	r := startRedis(t)
	rdb := r.client(t)
	s := r.store(t, rdb)
	s.StreamMaxLen = 50
	ctx := ctxFor(t)
	l, err := s.Acquire(ctx, 20001, time.Minute)
	require.NoError(t, err)
	for i := range 200 {
		ev := wrapper.Event{Event: generated.Event{EventType: "E" + string(rune('A'+i%26))}}
		_, err := s.Append(ctx, l, ev)
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
