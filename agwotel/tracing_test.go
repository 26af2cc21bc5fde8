package agwotel_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestSpanOfACall(t *testing.T) {
	e := newEnv(t)
	s, events := e.signIn(20002)
	require.NoError(t, s.SayBusy(testContext(t), &generated.SayBusyParams{}))
	waitFor(t, events, "AgentState_SetNotReady_Success") // the poll that brought it has ended

	spans := e.ended("SayBusy")
	require.Len(t, spans, 1)
	span := spans[0]
	assert.Equal(t, trace.SpanKindClient, span.SpanKind())
	assert.Equal(t, codes.Unset, span.Status().Code)
	assert.Equal(t, map[string]string{"agentgateway.agent_id": "20002", "http.response.status_code": "200",
		"agentgateway.retcode": "0"}, attrs(span.Attributes()))
	assert.Equal(t, "github.com/agentgateway-go/agentgateway/agwotel", span.InstrumentationScope().Name)
	require.Len(t, e.ended("SignIn"), 1)
	assert.NotEmpty(t, e.ended("PollEvent"), "the poll's requests too")
}

func TestSpanOfARefusedCall(t *testing.T) {
	e := newEnv(t)
	s, _ := e.signIn(20002)
	// Nothing rings at 20001: the gateway answers 100-007.
	err := s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: 20001})
	require.ErrorIs(t, err, wrapper.ErrAgentOperation)

	spans := e.ended("SnatchPickup")
	require.Len(t, spans, 1)
	span := spans[0]
	assert.Equal(t, codes.Error, span.Status().Code)
	assert.Equal(t, "agent_operation", span.Status().Description, "the error type, not the gateway's text")
	assert.Equal(t, map[string]string{"agentgateway.agent_id": "20002", "http.response.status_code": "200",
		"agentgateway.retcode": "100-007", "error.type": "agent_operation"}, attrs(span.Attributes()))
	assert.Empty(t, span.Events(), "no error text recorded")
}

func TestSpanOfAPickUp(t *testing.T) {
	e := newEnv(t)
	picker, _ := e.signIn(20002)
	callID := e.ring(20001)
	call, err := picker.PickUp(testContext(t), 20001, wrapper.CheckFirst())
	require.NoError(t, err)
	require.Equal(t, callID, call.CallID)

	pickUps := e.ended("PickUp")
	require.Len(t, pickUps, 1)
	parent := pickUps[0]
	assert.Equal(t, codes.Unset, parent.Status().Code)
	assert.Equal(t, map[string]string{"agentgateway.agent_id": "20002", "agentgateway.retcode": "0"}, attrs(parent.Attributes()))
	snatches := e.ended("SnatchPickup")
	require.Len(t, snatches, 1)
	assert.Equal(t, parent.SpanContext().SpanID(), snatches[0].Parent().SpanID(), "the snatch is PickUp's child")
	assert.Equal(t, parent.SpanContext().TraceID(), snatches[0].SpanContext().TraceID())
	status := e.ended("GetAgentStatus")
	require.NotEmpty(t, status)
	assert.Equal(t, parent.SpanContext().SpanID(), status[0].Parent().SpanID(), "CheckFirst's queries too")
	assert.False(t, parent.EndTime().Before(snatches[0].EndTime()), "PickUp ends after its wait")

	var seen []map[string]string
	for _, ev := range parent.Events() {
		assert.Equal(t, "agentgateway.event", ev.Name)
		seen = append(seen, attrs(ev.Attributes))
	}
	require.NotEmpty(t, seen)
	assert.Equal(t, map[string]string{"agentgateway.event_type": "AgentEvent_Talking", "agentgateway.event_stage": "confirmed",
		"agentgateway.call_id": callID}, seen[len(seen)-1], "the confirming event ends the wait")
	assert.Contains(t, seen, map[string]string{"agentgateway.event_type": "AgentOther_PhoneAlerting", "agentgateway.event_stage": "waited"},
		"an event the wait passed over (its content is null: no call ID)")
}

// A pickup whose call is released while the picker's phone rings: PickUp's
// span fails with pickup_failed, the release its refuting event; the
// snatch itself succeeded.
func TestSpanOfARefutedPickUp(t *testing.T) {
	e := newEnv(t)
	s, err := e.client.SignIn(testContext(t), 20002, func() wrapper.SignInOptions {
		o := demoSignIn(20002)
		o.ManualAnswer = true // the phone rings until the call is released
		return o
	}())
	require.NoError(t, err)
	events := make(chan wrapper.Event, 256)
	ctx, cancel := context.WithCancel(context.Background())
	done, err := s.PollInBackground(ctx, func(ev wrapper.Event) error { events <- ev; return nil }, wrapper.PollOptions{IdleDelay: 1})
	require.NoError(t, err)
	t.Cleanup(func() { cancel(); <-done })
	callID := e.ring(20001)

	result := make(chan error, 1)
	go func() {
		_, err := s.PickUp(testContext(t), 20001)
		result <- err
	}()
	waitFor(t, events, "AgentOther_PhoneAlerting")
	require.NoError(t, e.srv.Hangup(callID))
	require.ErrorIs(t, <-result, wrapper.ErrPickUpFailed)

	pickUps := e.ended("PickUp")
	require.Len(t, pickUps, 1)
	span := pickUps[0]
	assert.Equal(t, codes.Error, span.Status().Code)
	assert.Equal(t, "pickup_failed", attrs(span.Attributes())["error.type"])
	last := span.Events()[len(span.Events())-1]
	assert.Equal(t, "refuted", attrs(last.Attributes)["agentgateway.event_stage"])
	snatches := e.ended("SnatchPickup")
	require.Len(t, snatches, 1)
	assert.Equal(t, codes.Unset, snatches[0].Status().Code, "the gateway accepted the snatch")
}
