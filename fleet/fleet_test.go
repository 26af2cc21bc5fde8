package fleet_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// A session fed only through Route picks up a call: a stand-in for a
// fan-in source (the all-agent poll, a Redis stream) polls the fake for the
// picker's events, on a session of another client, and routes them.
func TestRouteFeedsPickUp(t *testing.T) {
	f := newFake(t)
	f.poll(f.signIn(20001, "")) // the ringing agent polls as usual
	picker := f.signIn(20002, "")

	_, err := picker.PickUp(testContext(t), 20001)
	require.ErrorIs(t, err, wrapper.ErrNotPolling, "neither polled nor routed")
	f.fleet.Track(picker)

	source, err := wrapper.NewClient(f.srv.URL())
	require.NoError(t, err)
	feed, err := source.Restore(picker.State())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(testContext(t))
	done, err := feed.PollInBackground(ctx, f.fleet.Route, fastPoll)
	require.NoError(t, err)
	t.Cleanup(func() { cancel(); <-done })

	callID := f.ring(20001)
	call, err := picker.PickUp(testContext(t), 20001)
	require.NoError(t, err)
	require.Equal(t, callID, call.CallID)
}

func TestRouteUnknownAgent(t *testing.T) {
	c, err := wrapper.NewClient("http://127.0.0.1:1")
	require.NoError(t, err)
	fl := fleet.New(c)
	err = fl.Route(mkEvent(generated.EventTypeAgentEventTalking, "20001"))
	require.ErrorIs(t, err, fleet.ErrUnknownAgent)
	require.ErrorContains(t, err, `"20001"`)
	err = fl.Route(wrapper.Event{Event: generated.Event{EventType: "AgentEvent_Talking"}})
	require.ErrorIs(t, err, fleet.ErrUnknownAgent, "no workNo: no session to route to")

	s, err := c.Resume(20001, testGuid)
	require.NoError(t, err)
	fl.Track(s)
	require.Same(t, s, fl.Session("20001"))
	require.NoError(t, fl.Route(mkEvent(generated.EventTypeAgentEventTalking, "20001")), "no waiter: delivered to none")
	require.ErrorIs(t, fl.Route(mkEvent(generated.EventTypeAgentEventTalking, "20002")), fleet.ErrUnknownAgent)

	newer, err := c.Resume(20001, testGuid)
	require.NoError(t, err)
	fl.Track(newer)
	require.Same(t, newer, fl.Session("20001"), "a newer session of the agent replaces the older")
}

// One all-agent poll feeds every tracked session: the picker, which runs no
// Poll of its own, picks up a call; the untracked ringing agent's events go
// to OnError as ErrUnknownAgent.
func TestPollAllAgentsFeedsPickUp(t *testing.T) {
	f := newFake(t, agwtest.WithAllAgentEvents())
	f.signIn(20001, "")
	picker := f.signIn(20002, "")
	f.fleet.Track(picker)

	var (
		mu      sync.Mutex
		unknown int
		seen    []string
	)
	opts := fastPoll
	opts.OnError = func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if errors.Is(err, fleet.ErrUnknownAgent) {
			unknown++
		}
	}
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() {
		done <- f.fleet.PollAllAgents(ctx, func(ev wrapper.Event) error {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, ev.Agent()+" "+ev.EventType)
			return nil
		}, opts)
	}()

	callID := f.ring(20001)
	call, err := picker.PickUp(testContext(t), 20001)
	require.NoError(t, err)
	assert.Equal(t, callID, call.CallID)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)

	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, seen, "20001 AgentEvent_Ringing", "the ringing agent's events come through the same poll")
	assert.Contains(t, seen, "20002 AgentEvent_Talking")
	assert.Positive(t, unknown, "events of the untracked agent are reported")
}

// A gateway not set up for the all-agent poll refuses it with 000-003; the
// poll ends after MaxNoRight of them, as Poll does.
func TestPollAllAgentsEndsWhenRefused(t *testing.T) {
	f := newFake(t)
	opts := fastPoll
	opts.MaxNoRight = 2
	err := f.fleet.PollAllAgents(testContext(t), nil, opts)
	require.ErrorIs(t, err, wrapper.ErrNoRight)
	assert.Equal(t, 2, f.srv.Requests("PollAllAgentEvents"))
}

// BenchmarkRoute routes events to 10,000 tracked sessions on one
// goroutine: the cost per event of an all-agent poll's fan-out.
func BenchmarkRoute(b *testing.B) {
	c, err := wrapper.NewClient("http://127.0.0.1:1")
	require.NoError(b, err)
	fl := fleet.New(c)
	const n = 10000
	events := make([]wrapper.Event, n)
	for i := range n {
		s, err := c.Restore(wrapper.SessionState{AgentID: 10001 + i, Guid: testGuid})
		require.NoError(b, err)
		fl.Track(s)
		events[i] = mkEvent("AgentEvent_Talking", strconv.Itoa(10001+i))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if err := fl.Route(events[i%n]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
