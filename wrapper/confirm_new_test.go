package wrapper_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// The confirmable operations the spec gained (x-confirm), through the
// wrapper against the fake: each returns once its documented success event
// arrived, and a documented failure event ends it with ErrNotConfirmed.

// refutedBy fails unless err is a *ConfirmError of op carrying a failure
// event of type typ, and returns that event.
func refutedBy(t *testing.T, err error, op string, typ generated.EventType) wrapper.Event {
	t.Helper()
	require.ErrorIs(t, err, wrapper.ErrNotConfirmed)
	ce, ok := errors.AsType[*wrapper.ConfirmError](err)
	require.True(t, ok, "%v", err)
	require.NotNil(t, ce.Event)
	require.Equal(t, string(typ), ce.Event.EventType)
	require.Equal(t, op, ce.Op)
	return *ce.Event
}

func inspectorOptions(o *wrapper.SignInOptions) { o.Phone = "88900" }

// CallInnerSkill: confirmed by AgentEvent_Talking for the call once the
// queue's agent answers; refuted by AgentEvent_Inside_Call_Fail (for that
// call) when the queue has no idle agent.
func TestConfirmCallInnerSkill(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	caller, _ := f.signIn(20001)
	called, calledEvents := f.signIn(20002)
	require.NoError(t, called.ResetSkill(ctx, true, nil))
	go func() { // the queue's agent answers when it rings
		for ev := range calledEvents {
			if ev.EventType == string(generated.EventTypeAgentEventRinging) {
				assert.NoError(t, called.Answer(ctx, nil))
				return
			}
		}
	}()

	var ev wrapper.Event
	callID, err := caller.CallInnerSkill(ctx, generated.CallInnerSkillRequest{SkillId: 1}, wrapper.Confirm(&ev))
	require.NoError(t, err)
	require.Equal(t, string(generated.EventTypeAgentEventTalking), ev.EventType)
	require.Equal(t, string(callID), ev.CallID())
	require.NoError(t, caller.Release(ctx))

	require.NoError(t, called.SayBusy(ctx, nil)) // no idle agent left in the queue
	callID, err = caller.CallInnerSkill(ctx, generated.CallInnerSkillRequest{SkillId: 1}, wrapper.Confirm(&ev))
	failed := refutedBy(t, err, "CallInnerSkill", generated.EventTypeAgentEventInsideCallFail)
	assert.Equal(t, string(callID), failed.CallID())
}

// Play: confirmed by AgentMediaEvent_Play_Succ; refuted by
// AgentMediaEvent_Play_Fail for a file the media server lacks.
func TestConfirmPlay(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, _ := f.signIn(20001)

	var ev wrapper.Event
	require.NoError(t, s.Play(ctx, generated.PlayRequest{Voicepath: "y:/voice/welcome.V3"}, wrapper.Confirm(&ev)))
	require.Equal(t, string(generated.EventTypeAgentMediaEventPlaySucc), ev.EventType)
	require.NoError(t, s.StopPlay(ctx))

	f.srv.MissingFile("y:/voice/gone.V3")
	err := s.Play(ctx, generated.PlayRequest{Voicepath: "y:/voice/gone.V3"}, wrapper.Confirm(&ev))
	refutedBy(t, err, "Play", generated.EventTypeAgentMediaEventPlayFail)
}

// RequestAgentConf: confirmed by AgentConf_RequestSuccess {confId};
// refuted by AgentConf_RequestFailed when the conference would hold more
// parties than the VDN's voice calls.
func TestConfirmRequestAgentConf(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, _ := f.signIn(20001)

	var ev wrapper.Event
	require.NoError(t, s.RequestAgentConf(ctx, generated.RequestAgentConfRequest{MemberNum: 3}, wrapper.Confirm(&ev)))
	require.Equal(t, string(generated.EventTypeAgentConfRequestSuccess), ev.EventType)
	content, err := ev.Decode()
	require.NoError(t, err)
	conf, ok := content.(*generated.ConfIdContent)
	require.True(t, ok, "%T", content)
	require.NotNil(t, conf.ConfId)
	assert.Positive(t, int64(*conf.ConfId))
	require.NoError(t, s.ReleaseAgentConf(ctx))

	err = s.RequestAgentConf(ctx, generated.RequestAgentConfRequest{MemberNum: 120}, wrapper.Confirm(&ev))
	failed := refutedBy(t, err, "RequestAgentConf", generated.EventTypeAgentConfRequestFailed)
	content, err = failed.Decode()
	require.NoError(t, err)
	require.NotNil(t, content.(*generated.ConfRequestFailedContent).Cause)
}

// InterceptCall: an inspector barging in takes the named call over,
// confirmed by AgentEvent_Talking for that call (the spec lists no failure
// event).
func TestConfirmInterceptCall(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	agent, _ := f.signIn(20001)
	in, _ := f.signIn(20900, inspectorOptions)
	callID := f.ring(20001, false)
	require.NoError(t, agent.Answer(ctx, nil))
	require.NoError(t, in.AddInsert(ctx, 20001))

	var ev wrapper.Event
	require.NoError(t, in.InterceptCall(ctx, 20001, callID, wrapper.Confirm(&ev)))
	require.Equal(t, string(generated.EventTypeAgentEventTalking), ev.EventType)
	require.Equal(t, callID, ev.CallID())
	require.Equal(t, "20900", ev.Agent())
}

// The queries the spec gained, through the wrapper against the fake: each
// result decodes into its generated model with the fields the fake fills.
func TestNewQueryShapes(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, _ := f.signIn(20001)
	in, _ := f.signIn(20900, inspectorOptions)

	held, err := in.GetHoldListEx(ctx, 20001)
	require.NoError(t, err, "400-003 (no held call) is an empty list")
	require.Empty(t, held)
	callID := f.ring(20001, false)
	require.NoError(t, s.Answer(ctx, nil))
	require.NoError(t, s.Hold(ctx))
	held, err = in.GetHoldListEx(ctx, 20001)
	require.NoError(t, err)
	require.Len(t, held, 1)
	assert.Equal(t, callID, string(*held[0].Callid))
	assert.Equal(t, "13800000000", string(*held[0].Caller))
	assert.Equal(t, "88001", string(*held[0].Called))
	assert.Equal(t, 0, int(*held[0].Callfeature))
	_, err = s.GetHoldListEx(ctx, 20001)
	var apiErr *wrapper.APIError
	require.ErrorAs(t, err, &apiErr, "an agent without the inspector's right")
	assert.Equal(t, generated.RetCodeAgentQueryNoRight, apiErr.RetCode)

	ids, err := s.GetAllCallIDs(ctx)
	require.NoError(t, err)
	assert.Equal(t, generated.CallIdList{callID}, ids)

	stats, err := s.GetCallStatisticsEx(ctx)
	require.NoError(t, err)
	require.NotNil(t, stats.Answernums)
	require.NotNil(t, stats.Calloutnums)
	require.NotNil(t, stats.Talktime)
	assert.Equal(t, 1, *stats.Answernums)
	assert.Equal(t, 0, *stats.Calloutnums)
	assert.GreaterOrEqual(t, *stats.Talktime, int64(0))

	ivr, err := s.GetIvrInfo(ctx)
	require.NoError(t, err)
	require.NotEmpty(t, ivr)
	for _, flow := range ivr {
		require.NotNil(t, flow.Access)
		require.NotNil(t, flow.Id)
		require.NotNil(t, flow.Description)
		require.NotNil(t, flow.ServiceNo)
	}

	codes, err := s.GetInnoInfo(ctx)
	require.NoError(t, err)
	require.Len(t, codes, 1)
	require.NotNil(t, codes[0].Vdnid)
	require.NotNil(t, codes[0].Inno)
	assert.Equal(t, 5, int(*codes[0].Mediatype))

	skills, err := s.GetVdnSkill(ctx, int(*codes[0].Vdnid)) // the VDN the access codes name, as the C# demo does
	require.NoError(t, err)
	require.Len(t, skills, 1)
	assert.Equal(t, 1, *skills[0].Id)
	assert.Equal(t, "demo", *skills[0].Name)
	assert.Equal(t, generated.VdnSkillRealFlagN1, *skills[0].RealFlag)

	signed, err := s.GetSignedSkillsByWorkNo(ctx, 20001)
	require.NoError(t, err)
	assert.Empty(t, signed, "no skill queue joined yet")
	require.NoError(t, s.ResetSkill(ctx, true, nil))
	signed, err = s.GetSignedSkillsByWorkNo(ctx, 20001)
	require.NoError(t, err)
	require.Len(t, signed, 1)
	assert.Equal(t, 1, *signed[0].Id)
	assert.Equal(t, 5, *signed[0].Mediatype)
}
