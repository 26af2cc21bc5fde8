package fleet_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// pickUpOnRinging returns a handler that, when agent 20001 rings, picks
// the call up for picker from inside the handler, as a bot would, and
// sends the result on done.
func pickUpOnRinging(t *testing.T, picker func() *wrapper.Session, done chan<- error) func(wrapper.Event) {
	return func(ev wrapper.Event) {
		if ev.Agent() != "20001" || ev.EventType != "AgentEvent_Ringing" {
			return
		}
		call, err := picker().PickUp(testContext(t), 20001)
		if err == nil && call.CallID != ev.CallID() {
			err = assert.AnError
		}
		done <- err
	}
}

// A bot calls PickUp from inside its all-agent poll handler: the loop
// keeps fetching the events PickUp waits for.
func TestPickUpFromAllAgentsHandler(t *testing.T) {
	f := newFake(t, agwtest.WithAllAgentEvents())
	f.signIn(20001, "")
	picker := f.signIn(20002, "")
	f.fleet.Track(picker)
	picked := make(chan error, 1)
	handle := pickUpOnRinging(t, func() *wrapper.Session { return picker }, picked)
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() {
		done <- f.fleet.PollAllAgents(ctx, func(ev wrapper.Event) error { handle(ev); return nil }, fastPoll)
	}()
	f.ring(20001)
	require.NoError(t, <-picked)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

// The same from inside the fleet's push handler: the gateway's push is
// answered while PickUp waits, so the next pushes arrive.
func TestPickUpFromPushHandler(t *testing.T) {
	f := newFake(t)
	picked := make(chan error, 1)
	var picker *wrapper.Session
	ready := make(chan struct{})
	handle := pickUpOnRinging(t, func() *wrapper.Session { <-ready; return picker }, picked)
	cb := httptest.NewServer(f.fleet.PushHandler(pushToken, func(_ *wrapper.Session, ev wrapper.Event) { handle(ev) }))
	t.Cleanup(cb.Close)
	ringing := f.signIn(20001, cb.URL+"/cb")
	f.fleet.Track(ringing)
	picker = f.signIn(20002, cb.URL+"/cb")
	f.fleet.Track(picker)
	close(ready)
	f.ring(20001)
	require.NoError(t, <-picked)
}
