package wrapper_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// The remaining confirmable operations against the fake: the manual
// answer, the hang-up from the phone, the legacy release, the three-party
// join, the end of a rest, the inspector's intercept, and the preview
// callout (confirmed, and refuted when the customer does not answer).
func TestConfirmMoreAgainstTheFake(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, events := f.signIn(20001)
	var ev wrapper.Event
	want := func(typ generated.EventType, err error) {
		t.Helper()
		require.NoError(t, err)
		require.Equal(t, string(typ), ev.EventType)
	}

	callID := f.ring(20001, false)
	want(generated.EventTypeAgentEventTalking, s.PhonePickup(ctx, wrapper.Confirm(&ev)))
	assert.Equal(t, callID, ev.CallID())
	want(generated.EventTypeAgentOtherPhoneRelease, s.PhoneHangup(ctx, wrapper.Confirm(&ev)))

	f.ring(20001, false)
	require.NoError(t, s.Answer(ctx, nil))
	want(generated.EventTypeAgentEventCallRelease, s.ReleaseLegacy(ctx, wrapper.Confirm(&ev)))

	first := f.ring(20001, false)
	require.NoError(t, s.Answer(ctx, nil))
	require.NoError(t, s.Hold(ctx))
	second := f.ring(20001, false)
	require.NoError(t, s.Answer(ctx, nil))
	want(generated.EventTypeAgentEventConference, s.ConfJoin(ctx, generated.ConfJoinRequest{Callid: first}, wrapper.Confirm(&ev)))
	assert.Equal(t, second, ev.CallID())
	require.NoError(t, s.Release(ctx))

	require.NoError(t, s.Rest(ctx, 600, 1, nil))
	want(generated.EventTypeAgentStateCancelRestSuccess, s.CancelRest(ctx, wrapper.Confirm(&ev)))

	inspector, _ := f.signIn(20900, func(o *wrapper.SignInOptions) { o.Phone = agwtest.DemoInspector().Phone })
	agent, _ := f.signIn(20002)
	talking := f.ring(20002, false)
	require.NoError(t, agent.Answer(ctx, nil))
	require.NoError(t, inspector.AddSupervise(ctx, 20002))
	want(generated.EventTypeAgentEventTalking, inspector.Intercept(ctx, 20002, wrapper.Confirm(&ev)))
	assert.Equal(t, talking, ev.CallID())

	preview := func() (int64, string) {
		t.Helper()
		control, err := f.srv.OfferPreview(20001, "13900000001", "13900000002")
		require.NoError(t, err)
		return control, "13900000002"
	}
	remote := func(act func(string) error) {
		go func() {
			for e := range events {
				if e.EventType == "AgentEvent_Customer_Alerting" {
					assert.NoError(t, act(e.CallID()))
					return
				}
			}
		}()
	}
	control, number := preview()
	remote(f.srv.RemoteAnswer)
	id, err := s.PreviewCallout(ctx, generated.PreviewCalloutRequest{Callcontrolid: control, Called: number}, wrapper.Confirm(&ev))
	want(generated.EventTypeAgentEventTalking, err)
	assert.Equal(t, string(id), ev.CallID())
	require.NoError(t, s.Release(ctx))

	control, number = preview()
	remote(f.srv.Hangup)
	_, err = s.PreviewCallout(ctx, generated.PreviewCalloutRequest{Callcontrolid: control, Called: number}, wrapper.Confirm(&ev))
	require.ErrorIs(t, err, wrapper.ErrNotConfirmed)
	ce, ok := errors.AsType[*wrapper.ConfirmError](err)
	require.True(t, ok)
	assert.Equal(t, "AgentEvent_Call_Out_Fail", ce.Event.EventType)

	_, err = s.PreviewCallout(ctx, generated.PreviewCalloutRequest{Callcontrolid: control, Called: number})
	require.ErrorIs(t, err, wrapper.ErrAgentOperation, "a preview is called once")
}
