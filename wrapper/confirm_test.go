package wrapper_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// Every confirmable operation the fake simulates, against the fake: the
// method returns once the documented success event arrived, and holds it.
func TestConfirmAgainstTheFake(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, _ := f.signIn(20001)
	var ev wrapper.Event
	want := func(typ generated.EventType, err error) {
		t.Helper()
		require.NoError(t, err)
		require.Equal(t, string(typ), ev.EventType)
	}

	want(generated.EventTypeAgentStateSetNotReadySuccess, s.SayBusy(ctx, nil, wrapper.Confirm(&ev)))
	want(generated.EventTypeAgentStateCancelNotReadySuccess, s.CancelBusy(ctx, wrapper.Confirm(&ev)))
	want(generated.EventTypeAgentStateWork, s.Work(ctx, wrapper.Confirm(&ev)))
	want(generated.EventTypeAgentStateCancelWorkSuccess, s.CancelWork(ctx, wrapper.Confirm(&ev)))

	callID := f.ring(20001, false)
	want(generated.EventTypeAgentEventTalking, s.Answer(ctx, &generated.AnswerParams{Callid: &callID}, wrapper.Confirm(&ev)))
	assert.Equal(t, callID, ev.CallID(), "the answered call")
	want(generated.EventTypeAgentEventHold, s.Hold(ctx, wrapper.Confirm(&ev)))
	assert.Equal(t, callID, ev.CallID(), "AgentEvent_Hold's content is the call ID")
	require.NoError(t, s.GetHold(ctx, &generated.GetHoldParams{Callid: &callID}))
	want(generated.EventTypeAgentEventCallRelease, s.Release(ctx, wrapper.Confirm(&ev)))
	assert.Equal(t, callID, ev.CallID())
}

// A callout confirmed: it returns the call's ID once the customer answers
// (AgentEvent_Talking for that call); when the customer does not answer,
// AgentEvent_Call_Out_Fail refutes it.
func TestConfirmCallout(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, events := f.signIn(20003)
	remote := func(act func(callID string) error) {
		go func() {
			for ev := range events {
				if ev.EventType == "AgentEvent_Customer_Alerting" {
					assert.NoError(t, act(ev.CallID()))
					return
				}
			}
		}()
	}

	remote(f.srv.RemoteAnswer)
	var ev wrapper.Event
	callID, err := s.Callout(ctx, generated.CalloutRequest{Called: "13912345678"}, wrapper.Confirm(&ev))
	require.NoError(t, err)
	require.Equal(t, "AgentEvent_Talking", ev.EventType)
	require.Equal(t, string(callID), ev.CallID())
	require.NoError(t, s.Release(ctx))

	remote(f.srv.Hangup)
	_, err = s.Callout(ctx, generated.CalloutRequest{Called: "13912345678"}, wrapper.Confirm(&ev))
	require.ErrorIs(t, err, wrapper.ErrNotConfirmed)
	ce, ok := errors.AsType[*wrapper.ConfirmError](err)
	require.True(t, ok, "%v", err)
	require.NotNil(t, ce.Event)
	assert.Equal(t, "AgentEvent_Call_Out_Fail", ce.Event.EventType)
	assert.Equal(t, "Callout", ce.Op)
}

// Confirm needs an event source: without one it fails before sending. The
// end of the context ends the wait with a *ConfirmError wrapping it.
func TestConfirmWithoutEventsOrInTime(t *testing.T) {
	f := newFake(t)
	s := signInDemo(t, f.client, 20001) // no Poll
	before := f.srv.Requests("SayBusy")
	var ev wrapper.Event
	require.ErrorIs(t, s.SayBusy(testContext(t), nil, wrapper.Confirm(&ev)), wrapper.ErrNotPolling)
	require.Equal(t, before, f.srv.Requests("SayBusy"), "nothing sent")

	g := newGateway(t) // a gateway that accepts the hold and sends no event
	polled := g.session()
	scriptedPoll(g, nil, event("AgentOther_InService", "null"))
	g.reply("POST /voicecall/20001/hold", okReply)
	events, _ := startPoll(t, polled)
	waitPolling(t, events)
	ctx, cancel := context.WithTimeout(testContext(t), 50*time.Millisecond)
	defer cancel()
	err := polled.Hold(ctx, wrapper.Confirm(&ev))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	_, ok := errors.AsType[*wrapper.ConfirmError](err)
	require.True(t, ok, "%v", err)
}

// Await gives the next event of the given types, one that follows no
// command of ours.
func TestAwaitNextRinging(t *testing.T) {
	f := newFake(t)
	s, _ := f.signIn(20001)
	got := make(chan wrapper.Event, 1)
	go func() {
		ev, err := s.Await(testContext(t), generated.EventTypeAgentEventRinging)
		assert.NoError(t, err)
		got <- ev
	}()
	require.Eventually(t, func() bool { return wrapper.Waiting(s) }, 5*time.Second, time.Millisecond, "Await subscribed")
	callID := f.ring(20001, false)
	select {
	case ev := <-got:
		require.Equal(t, callID, ev.CallID())
	case <-testContext(t).Done():
		t.Fatal("Await saw no ringing")
	}
}

// BenchmarkConfirm: what Confirm adds to a call, against the fake (each
// iteration makes the agent busy and idle again, its events polled).
func BenchmarkConfirm(b *testing.B) {
	srv := agwtest.New(agwtest.WithPollWait(100 * time.Millisecond))
	b.Cleanup(srv.Close)
	require.NoError(b, agwtest.Demo(srv.Gateway))
	c, err := wrapper.NewClient(srv.URL(), wrapper.WithTimeout(5*time.Second))
	require.NoError(b, err)
	s, err := c.SignIn(b.Context(), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword})
	require.NoError(b, err)
	ctx, cancel := context.WithCancel(b.Context())
	done, err := s.PollInBackground(ctx, func(wrapper.Event) error { return nil }, fastPoll)
	require.NoError(b, err)
	b.Cleanup(func() { cancel(); <-done })
	for _, bc := range []struct {
		name string
		opts func(*wrapper.Event) []wrapper.CallOption
	}{
		{"plain", func(*wrapper.Event) []wrapper.CallOption { return nil }},
		{"confirm", func(ev *wrapper.Event) []wrapper.CallOption { return []wrapper.CallOption{wrapper.Confirm(ev)} }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var ev wrapper.Event
			for b.Loop() {
				if err := s.SayBusy(ctx, nil, bc.opts(&ev)...); err != nil {
					b.Fatal(err)
				}
				if err := s.CancelBusy(ctx, bc.opts(&ev)...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
