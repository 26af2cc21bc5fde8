package wrapper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestFakeDynamicGuid(t *testing.T) {
	f := newFake(t, agwtest.WithDynamicGuid(1))
	f.signIn(20001)
	picker, pickerEvents := f.signIn(20002)
	ctx := testContext(t)
	first := picker.Guid()
	require.NotEmpty(t, first)

	f.ring(20001, false)
	call, err := picker.PickUp(ctx, 20001)
	require.NoError(t, err)
	require.NotEmpty(t, call.CallID)
	require.NotEqual(t, first, picker.Guid(), "polls rotated the Guid and the session followed")

	// The fake rotates on every poll reply and honours one rotation of
	// grace; let the burst of pickup events drain so polls are idle again
	// (a real gateway rotates every few minutes, not every reply).
	collect(t, pickerEvents, 5)

	stale, err := f.client.Resume(20002, first)
	require.NoError(t, err)
	require.ErrorIs(t, stale.Release(ctx), wrapper.ErrNotSignedIn, "a Guid two rotations old is refused")
	require.NoError(t, picker.Release(ctx))
}

// A Guid rotated on a heartbeat reply (dynamic mode, push agents) is the one
// the session sends next.
func TestFakeHeartbeatRotatesGuid(t *testing.T) {
	f := newFake(t, agwtest.WithDynamicGuid(1))
	ctx := testContext(t)
	s, err := f.client.SignIn(ctx, 20003, wrapper.SignInOptions{Phone: "88003", Password: agwtest.DemoPassword})
	require.NoError(t, err)
	before := s.Guid()
	require.NoError(t, s.Handshake(ctx, nil))
	current, ok := f.srv.Guid(20003)
	require.True(t, ok)
	require.NotEqual(t, before, current)
	require.Equal(t, current, s.Guid())
	require.NoError(t, s.Handshake(ctx, nil))
	require.ErrorIs(t, s.Release(ctx), wrapper.ErrCallState, "the session still works: no call (200-017)")
}
