package wrapper_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestFakeOtherOperations(t *testing.T) {
	f := newFake(t)
	f.signIn(20001)
	s, _ := f.signIn(20002)
	ctx := testContext(t)
	f.ring(20001, false)
	_, err := s.PickUp(ctx, 20001)
	require.NoError(t, err)

	require.NoError(t, s.Hold(ctx))
	held, err := s.GetHoldList(ctx)
	require.NoError(t, err)
	require.Len(t, held, 1)
	require.NoError(t, s.GetHold(ctx, &generated.GetHoldParams{Callid: ptr(string(*held[0].Callid))}))
	require.NoError(t, s.BeginMute(ctx))
	require.NoError(t, s.EndMute(ctx))
	require.NoError(t, s.SecondDialEx(ctx, &generated.SecondDialExParams{Number: "12#"}))
	require.NoError(t, s.Handshake(ctx, nil))
	require.NoError(t, s.UpdateGuid(ctx))
	require.NoError(t, s.Release(ctx))
	require.ErrorIs(t, s.Release(ctx), wrapper.ErrCallState)
	held, err = s.GetHoldList(ctx)
	require.NoError(t, err, "the gateway's 400-003 (no held call) is an empty list")
	require.Empty(t, held)
}

// A blind transfer to another agent moves the call there; the wrapper's
// mute and transfer errors map to ErrCallState.
func TestFakeTransferToAgent(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	from, fromEvents := f.signIn(20001)
	to, toEvents := f.signIn(20002)
	callID := f.ring(20001, false)
	require.Equal(t, []string{"AgentEvent_Ringing"}, nextTypes(t, fromEvents, 1))
	require.ErrorIs(t, from.BeginMute(ctx), wrapper.ErrCallState, "ringing, not connected")
	require.NoError(t, from.Answer(ctx, nil))
	require.Equal(t, []string{"AgentEvent_Talking"}, nextTypes(t, fromEvents, 1))

	require.NoError(t, from.Transfer(ctx, generated.TransferRequest{Devicetype: 2, Address: "20002"}))
	assert.Equal(t, []string{"AgentEvent_Call_Release", "AgentOther_PhoneRelease"}, nextTypes(t, fromEvents, 2))
	ringing := collect(t, toEvents, 1)
	require.Equal(t, string(generated.EventTypeAgentEventRinging), ringing[0].EventType)
	content, err := ringing[0].Decode()
	require.NoError(t, err)
	assert.Equal(t, callID, string(*content.(*generated.RingingContent).Callid))

	require.ErrorIs(t, from.Transfer(ctx, generated.TransferRequest{Devicetype: 2, Address: "20002"}), wrapper.ErrCallState)
	require.NoError(t, to.Answer(ctx, &generated.AnswerParams{Callid: &callID}))
	require.NoError(t, to.BeginMute(ctx))
	require.NoError(t, to.EndMute(ctx))
	require.ErrorIs(t, to.EndMute(ctx), wrapper.ErrCallState)
}

// A callout through the wrapper: it answers the call's ID, its events
// arrive on the poll, and AgentEvent_Customer_Alerting names the same call.
func TestFakeCallout(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, events := f.signIn(20003)
	callID, err := s.Callout(ctx, generated.CalloutRequest{Called: "13912345678"})
	require.NoError(t, err)
	got := collect(t, events, 3)
	require.Equal(t, []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Customer_Alerting"}, types(got))
	var alerting struct{ Callid string }
	require.NoError(t, json.Unmarshal(got[2].Content, &alerting))
	require.Equal(t, callID, alerting.Callid)
	require.Equal(t, callID, got[2].CallID())

	require.NoError(t, f.srv.RemoteAnswer(alerting.Callid))
	require.Equal(t, []string{"AgentEvent_Talking"}, nextTypes(t, events, 1))
	_, err = s.Callout(ctx, generated.CalloutRequest{Called: "1"})
	require.ErrorIs(t, err, wrapper.ErrAgentOperation, "already in a call")
	require.NoError(t, s.Release(ctx))
}
