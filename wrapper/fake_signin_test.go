package wrapper_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestFakeAuthFailures(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)

	stale, err := f.client.Resume(20002, "not-the-guid.AgentGateway0")
	require.NoError(t, err)
	require.ErrorIs(t, stale.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001}), wrapper.ErrNotSignedIn, "not signed in")

	f.signIn(20002)
	require.ErrorIs(t, stale.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001}), wrapper.ErrNotSignedIn, "wrong Guid")

	_, err = f.client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword})
	require.ErrorIs(t, err, wrapper.ErrAlreadySignedIn)
	_, err = f.client.SignIn(ctx, 20003, wrapper.SignInOptions{Phone: "88003", Password: "wrong"})
	require.ErrorIs(t, err, wrapper.ErrBadCredentials)

	// A range the spec does not allow gets past a widened wrapper and is
	// refused by the gateway's validation with 000-002.
	wide, err := wrapper.NewClient(f.srv.URL(), wrapper.WithWideAgentIDs())
	require.NoError(t, err)
	s, err := wide.SignIn(ctx, 20003, wrapper.SignInOptions{Phone: "88003", Password: agwtest.DemoPassword})
	require.NoError(t, err)
	require.ErrorIs(t, s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 600000}), wrapper.ErrInvalidParam)
}

func TestFakeForceSignIn(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	first, _ := f.signIn(20002)
	second, err := f.client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword, ForceIfSignedIn: true})
	require.NoError(t, err)
	require.NotEqual(t, first.Guid(), second.Guid())
	require.ErrorIs(t, first.Release(ctx), wrapper.ErrNotSignedIn, "the taken-over session is gone")
	require.ErrorIs(t, second.Release(ctx), wrapper.ErrCallState, "the new one works: no call (200-017)")
}

// A session that stops polling is signed out by the gateway after two
// minutes; every later call is ErrNotSignedIn, and signing in again works.
func TestFakeIdleSignOut(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFake(t, agwtest.WithClock(clock))
	ctx := testContext(t)
	opts := wrapper.SignInOptions{Phone: "88004", Password: agwtest.DemoPassword}
	s, err := f.client.SignIn(ctx, 20004, opts)
	require.NoError(t, err)

	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	require.ErrorIs(t, s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001}), wrapper.ErrNotSignedIn)
	require.ErrorIs(t, s.Poll(ctx, func(wrapper.Event) error { return nil }, wrapper.PollOptions{}), wrapper.ErrNotSignedIn)
	assert.Equal(t, 1, f.srv.Requests("SnatchPickup"), "the refused PUT was sent once, not retried")

	again, err := f.client.SignIn(ctx, 20004, opts)
	require.NoError(t, err, "an agent signed out for idleness signs in without 100-002")
	require.NotEqual(t, s.Guid(), again.Guid())
}
