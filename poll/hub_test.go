package poll

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/reply"
)

func TestHubNeedsAPollOrAFeed(t *testing.T) {
	var h Hub
	_, err := h.Subscribe()
	require.ErrorIs(t, err, ErrNotPolling)

	require.NoError(t, h.Claim())
	require.ErrorIs(t, h.Claim(), ErrAlreadyPolling)
	sub, err := h.Subscribe()
	require.NoError(t, err)
	h.Release()
	select {
	case <-sub.PollDone:
	default:
		t.Fatal("the end of the poll ends the wait")
	}
	sub.Close()
	require.NoError(t, h.Claim(), "a released hub takes a new poll")
	h.Release()

	h.Feed()
	sub, err = h.Subscribe()
	require.NoError(t, err, "a fed hub needs no poll")
	require.Nil(t, sub.PollDone)
	sub.Close()
}

func TestHubPublish(t *testing.T) {
	var h Hub
	h.Feed()
	ctx := testContext(t)
	h.Publish(ctx, ev("nobody")) // no waiter: returns at once

	a, err := h.Subscribe()
	require.NoError(t, err)
	b, err := h.Subscribe()
	require.NoError(t, err)
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

	c, err := h.Subscribe()
	require.NoError(t, err)
	for range cap(c.ch) {
		h.Publish(ctx, ev("E"))
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	h.Publish(cancelled, ev("late")) // a full waiter does not hold up an ended poll
	c.Close()
}

func ev(typ string) reply.Event { return reply.Event{Event: generated.Event{EventType: typ}} }
