package wrapper_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// A session fed only through Client.Route picks up a call: a stand-in for
// a fan-in source (the all-agent poll, a Redis stream) polls the fake for
// the picker's events, on a session of another client, and routes them.
func TestRouteFeedsPickUp(t *testing.T) {
	f := newFake(t)
	f.signIn(20001) // the ringing agent polls as usual
	picker, err := f.client.SignIn(testContext(t), 20002, wrapper.SignInOptions{Phone: phones[20002], Password: agwtest.DemoPassword})
	require.NoError(t, err)

	_, err = picker.PickUp(testContext(t), 20001)
	require.ErrorIs(t, err, wrapper.ErrNotPolling, "neither polled nor routed")
	f.client.Track(picker)

	source, err := wrapper.NewClient(f.srv.URL())
	require.NoError(t, err)
	feed, err := source.Restore(picker.State())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(testContext(t))
	done, err := feed.PollInBackground(ctx, f.client.Route, fastPoll)
	require.NoError(t, err)
	t.Cleanup(func() { cancel(); <-done })

	callID := f.ring(20001, false)
	call, err := picker.PickUp(testContext(t), 20001)
	require.NoError(t, err)
	require.Equal(t, callID, call.CallID)
}

func TestRouteUnknownAgent(t *testing.T) {
	c, err := wrapper.NewClient("http://127.0.0.1:1")
	require.NoError(t, err)
	err = c.Route(mkEvent(generated.EventTypeAgentEventTalking, "20001", nil))
	require.ErrorIs(t, err, wrapper.ErrUnknownAgent)
	require.ErrorContains(t, err, `"20001"`)
	err = c.Route(wrapper.Event{Event: generated.Event{EventType: "AgentEvent_Talking"}})
	require.ErrorIs(t, err, wrapper.ErrUnknownAgent, "no workNo: no session to route to")

	s, err := c.Resume(20001, testGuid)
	require.NoError(t, err)
	c.Track(s)
	require.NoError(t, c.Route(mkEvent(generated.EventTypeAgentEventTalking, "20001", nil)), "no waiter: delivered to none")
	require.ErrorIs(t, c.Route(mkEvent(generated.EventTypeAgentEventTalking, "20002", nil)), wrapper.ErrUnknownAgent)
}

var fastPoll = wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}

// BenchmarkRoute routes events to 10,000 tracked sessions on one
// goroutine: the cost per event of an all-agent poll's fan-out.
func BenchmarkRoute(b *testing.B) {
	c, err := wrapper.NewClient("http://127.0.0.1:1")
	require.NoError(b, err)
	const n = 10000
	events := make([]wrapper.Event, n)
	for i := range n {
		s, err := c.Restore(wrapper.SessionState{AgentID: 10001 + i, Guid: testGuid})
		require.NoError(b, err)
		c.Track(s)
		events[i] = mkEvent("AgentEvent_Talking", strconv.Itoa(10001+i), nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := c.Route(events[i%n]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
