package wrapper

import (
	"context"
	"github.com/agentgateway-go/agentgateway/generated"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestHubNeedsAPollOrAFeed(t *testing.T) {
	var h hub
	_, ok := h.Subscribe()
	require.False(t, ok, "no poll, no feed")

	require.True(t, h.Claim())
	require.False(t, h.Claim(), "one poll at a time")
	sub, ok := h.Subscribe()
	require.True(t, ok)
	h.Release()
	select {
	case <-sub.PollDone:
	default:
		t.Fatal("the end of the poll ends the wait")
	}
	sub.Close()
	require.True(t, h.Claim(), "a released hub takes a new poll")
	h.Release()

	h.Feed()
	sub, ok = h.Subscribe()
	require.True(t, ok, "a fed hub needs no poll")
	require.Nil(t, sub.PollDone)
	sub.Close()
}

func TestHubPublish(t *testing.T) {
	var h hub
	h.Feed()
	ctx := testCtx(t)
	h.Publish(ctx, ev("nobody")) // no waiter: returns at once

	a, ok := h.Subscribe()
	require.True(t, ok)
	b, ok := h.Subscribe()
	require.True(t, ok)
	b.Close()          // gone: Publish does not wait for it
	n := cap(a.ch) + 1 // one more than the buffer holds
	go func() {
		for range n {
			h.Publish(ctx, ev("E"))
		}
	}()
	for i := range n { // Publish waits for a full waiter rather than drop
		select {
		case <-a.C:
		case <-ctx.Done():
			t.Fatalf("event %d of %d was dropped", i+1, n)
		}
	}
	a.Close()

	c, ok := h.Subscribe()
	require.True(t, ok)
	for range cap(c.ch) {
		h.Publish(ctx, ev("E"))
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	h.Publish(cancelled, ev("late")) // a full waiter does not hold up an ended poll
	c.Close()
}

func ev(typ string) Event { return Event{generated.Event{EventType: typ}} }
