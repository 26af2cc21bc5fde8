package redisstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/internal/faultproxy"
)

// The process polling an agent is cut off from Redis (a proxy that holds
// its bytes) but not from the gateway: it stops polling before its lease
// may expire, so the other process, which takes over, never polls at the
// same time; the event it was appending is lost, with a gap entry after
// it; once the partition heals, its stale requests land and are refused.
func TestPartitionedPollerStopsFirst(t *testing.T) {
	const ttl = 600 * time.Millisecond
	r := startRedis(t)
	srv := fake(t)
	f := newFront(t, srv)
	px, err := faultproxy.New(r.Addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = px.Close() })
	a := newProcess(t, r, f.URL, ttl, func(o *redis.Options) { o.Addr, o.ReadTimeout = px.Addr, 100*time.Millisecond })
	b := newProcess(t, r, f.URL, ttl)
	signIn(t, a.client, 20001, "88001")
	ctx, stop := context.WithCancel(ctxFor(t))
	defer stop()
	doneA := a.run(ctx, 20001)
	var first int64
	require.Eventually(t, func() bool {
		first, _ = b.store.Holder(ctx, 20001)
		return first > 0 && f.polling(20001)
	}, 5*time.Second, 5*time.Millisecond)
	doneB := b.run(ctx, 20001)

	m := marks(a)
	px.Pause()
	ringOff := func(caller string) {
		c, err := srv.Ring(20001, caller)
		require.NoError(t, err)
		require.NoError(t, srv.Hangup(c))
	}
	ringOff("13800000000") // a's poll gets the ringing; its append is held
	require.Eventually(t, func() bool { h, _ := b.store.Holder(ctx, 20001); return h > first }, 5*time.Second, 5*time.Millisecond,
		"b takes over once a's lease expired")
	require.Eventually(t, func() bool { return stopped([]*process{a}, m, 20001) }, 5*time.Second, 5*time.Millisecond,
		"a stopped (first: see overlapping below)")
	require.Eventually(t, func() bool { got, _ := streamTypes(t, b.store, 20001); return len(got) == 1 }, 5*time.Second, 5*time.Millisecond)

	px.Resume() // a's held requests land now
	require.NoError(t, a.store.Check(ctx), "a round trip through the healed path")
	ringOff("13900000000")
	want := []string{"AgentOther_PhoneRelease", "AgentEvent_Ringing", "AgentOther_PhoneRelease"}
	require.Eventually(t, func() bool { got, _ := streamTypes(t, b.store, 20001); return len(got) >= len(want) }, 5*time.Second, 5*time.Millisecond)
	got, tokens := streamTypes(t, b.store, 20001)
	require.Equal(t, want, got, "the ringing a held is lost; the rest once, in order")
	second, _ := b.store.Holder(ctx, 20001)
	for _, tok := range tokens {
		require.Equal(t, second, tok, "nothing of a's landed after b took over")
	}
	gaps := streamGaps(t, b.store, 20001)
	require.Len(t, gaps, 2, "a's restore, then b's: after the lost event")
	require.Equal(t, []int64{first, second}, []int64{gaps[0].Token, gaps[1].Token})
	require.Zero(t, f.overlapping(), "never polled by both")

	stop()
	require.ErrorIs(t, <-doneA, context.Canceled)
	require.ErrorIs(t, <-doneB, context.Canceled)
}
