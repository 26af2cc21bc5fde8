package redisstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// Two processes poll one agent: the first holds the lease; killed (its
// context ended, its Redis connections gone, nothing released), the second
// takes over within the lease time and goes on, in order, none twice.
func TestPollerTakeover(t *testing.T) {
	r := startRedis(t)
	srv := fake(t, agwtest.WithDynamicGuid(3)) // the Guid rotates as polls go
	const ttl = 400 * time.Millisecond
	a, b := newProcess(t, r, srv.URL(), ttl), newProcess(t, r, srv.URL(), ttl)
	signIn(t, a.client, 20001, "88001") // the hook stores the session

	// Reference: agent 20002 polled directly sees the same calls.
	plain, err := wrapper.NewClient(srv.URL())
	require.NoError(t, err)
	ref := signIn(t, plain, 20002, "88002")
	refEvents := make(chan wrapper.Event, 64)
	refCtx, refStop := context.WithCancel(ctxFor(t))
	refDone, err := ref.PollInBackground(refCtx, func(ev wrapper.Event) error { refEvents <- ev; return nil }, fastPoll)
	require.NoError(t, err)
	defer func() { refStop(); <-refDone }()

	ctxA, killA := context.WithCancel(ctxFor(t))
	doneA := a.run(ctxA, 20001)
	require.Eventually(t, func() bool { h, _ := a.store.Holder(ctxFor(t), 20001); return h > 0 }, 5*time.Second, 5*time.Millisecond)
	first, _ := a.store.Holder(ctxFor(t), 20001)
	doneB := b.run(ctxFor(t), 20001)

	call := func() {
		for _, id := range []int{20001, 20002} {
			c, err := srv.Ring(id, "13800000000")
			require.NoError(t, err)
			require.NoError(t, srv.Hangup(c))
		}
	}
	var want []string
	wantN := func(n int) {
		for range n {
			want = append(want, (<-refEvents).EventType)
		}
	}
	call()
	wantN(2) // ringing, released
	require.Eventually(t, func() bool { got, _ := streamTypes(t, a.store, 20001); return len(got) == len(want) },
		5*time.Second, 5*time.Millisecond)

	killA()
	_ = a.rdb.Close() // a dead process releases nothing
	require.ErrorIs(t, <-doneA, context.Canceled)
	killed := time.Now()
	require.Eventually(t, func() bool { h, _ := b.store.Holder(ctxFor(t), 20001); return h > first },
		5*time.Second, 5*time.Millisecond)
	took := time.Since(killed)
	t.Logf("takeover after %v (lease %v)", took, ttl)
	// Free at most ttl after the last renewal, taken at the next try (every
	// ttl/4); the rest is slack for a loaded machine.
	require.Less(t, took, 2*ttl, "within the lease time and one retry")

	for range 3 {
		call()
		wantN(2)
	}
	require.Eventually(t, func() bool { got, _ := streamTypes(t, b.store, 20001); return len(got) >= len(want) },
		5*time.Second, 5*time.Millisecond)
	got, tokens := streamTypes(t, b.store, 20001)
	require.Equal(t, want, got, "in order, none lost, none twice")
	require.Equal(t, first, tokens[0])
	require.Greater(t, tokens[len(tokens)-1], first, "the later events came from the new owner")
	// Each holder restored the session: one gap entry each, with the
	// agent's state read after it, before that holder's events.
	gaps := streamGaps(t, b.store, 20001)
	require.Len(t, gaps, 2)
	for i, g := range gaps {
		require.Equal(t, wrapper.GapRestored, g.Gap.Reason)
		require.NotNil(t, g.Gap.Snapshot, "%v", g.Gap.Err)
		require.Equal(t, generated.AgentStateCodeIdle, g.Gap.Snapshot.State)
		require.Equal(t, []int64{first, tokens[len(tokens)-1]}[i], g.Token)
	}

	// The gateway ends the session: the stored state goes, the poller stops.
	require.NoError(t, srv.SignOut(20001))
	require.ErrorIs(t, <-doneB, wrapper.ErrNotSignedIn)
	_, err = b.store.LoadState(ctxFor(t), 20001)
	require.ErrorIs(t, err, redisstore.ErrNoSession)
	h, err := b.store.Holder(ctxFor(t), 20001)
	require.NoError(t, err)
	require.Zero(t, h, "released")
}
