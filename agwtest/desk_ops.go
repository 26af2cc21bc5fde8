package agwtest

import (
	"context"
	"encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
)

// The agent-desk operations of the strict server (onlineagent state,
// skills and session, all-agents events, call data), each adapting a
// reply of the Gateway to its generated response type.

// typed turns r into the generated reply T of an operation whose result the
// spec types, by decoding the envelope into it. A failure carries no
// result: the vendor's "" would not fit the typed field.
func typed[T any](r reply) T {
	var out T
	decodeInto(r, &out)
	return out
}

func decodeInto(r reply, dst any) {
	env := r.envelope()
	if !r.ok() {
		env.Result = nil
	}
	if err := json.Unmarshal(mustJSON(env), dst); err != nil {
		panic("agwtest: a reply does not fit its typed response: " + err.Error())
	}
}

// signInReply is the sign-in reply with its Set-GUID header.
func signInReply(r reply, guid string) generated.SignInReplyJSONResponse {
	var resp generated.SignInReplyJSONResponse
	decodeInto(r, &resp.Body)
	if guid != "" {
		resp.Headers.SetGUID = setGuid(guid)
	}
	return resp
}

func (s api) SayFree(ctx context.Context, req generated.SayFreeRequestObject) (generated.SayFreeResponseObject, error) {
	return generated.SayFree200JSONResponse{EnvelopeJSONResponse: envelope(s.g.stateOp(ctx, req.Agentid, trSayFree, 0))}, nil
}

func (s api) SayBusy(ctx context.Context, req generated.SayBusyRequestObject) (generated.SayBusyResponseObject, error) {
	return generated.SayBusy200JSONResponse{EnvelopeJSONResponse: envelope(s.g.sayBusy(ctx, req.Agentid, req.Params.Reason, req.Params.Prolong))}, nil
}

func (s api) CancelBusy(ctx context.Context, req generated.CancelBusyRequestObject) (generated.CancelBusyResponseObject, error) {
	return generated.CancelBusy200JSONResponse{EnvelopeJSONResponse: envelope(s.g.stateOp(ctx, req.Agentid, trCancelBusy, 0))}, nil
}

func (s api) Rest(ctx context.Context, req generated.RestRequestObject) (generated.RestResponseObject, error) {
	return generated.Rest200JSONResponse{EnvelopeJSONResponse: envelope(s.g.rest(ctx, req.Agentid, req.Time, req.Restcause, req.Params.Prolong))}, nil
}

func (s api) CancelRest(ctx context.Context, req generated.CancelRestRequestObject) (generated.CancelRestResponseObject, error) {
	return generated.CancelRest200JSONResponse{EnvelopeJSONResponse: envelope(s.g.stateOp(ctx, req.Agentid, trCancelRest, 0))}, nil
}

func (s api) Work(ctx context.Context, req generated.WorkRequestObject) (generated.WorkResponseObject, error) {
	return generated.Work200JSONResponse{EnvelopeJSONResponse: envelope(s.g.stateOp(ctx, req.Agentid, trWork, 0))}, nil
}

func (s api) CancelWork(ctx context.Context, req generated.CancelWorkRequestObject) (generated.CancelWorkResponseObject, error) {
	return generated.CancelWork200JSONResponse{EnvelopeJSONResponse: envelope(s.g.stateOp(ctx, req.Agentid, trCancelWork, 0))}, nil
}

func (s api) GetAgentStatus(ctx context.Context, req generated.GetAgentStatusRequestObject) (generated.GetAgentStatusResponseObject, error) {
	return generated.GetAgentStatus200JSONResponse{AgentStatusReplyJSONResponse: typed[generated.AgentStatusReplyJSONResponse](s.g.agentStatus(ctx, req.Agentid))}, nil
}

func (s api) SetAutoEnterIdle(ctx context.Context, req generated.SetAutoEnterIdleRequestObject) (generated.SetAutoEnterIdleResponseObject, error) {
	return generated.SetAutoEnterIdle200JSONResponse{EnvelopeJSONResponse: envelope(s.g.setFlag(ctx, req.Agentid, func(se *session, on bool) { se.autoEnterIdle = on }, req.Flag))}, nil
}

func (s api) SetAutoAnswer(ctx context.Context, req generated.SetAutoAnswerRequestObject) (generated.SetAutoAnswerResponseObject, error) {
	return generated.SetAutoAnswer200JSONResponse{EnvelopeJSONResponse: envelope(s.g.setFlag(ctx, req.Agentid, func(se *session, on bool) { se.autoAnswer = on }, req.Isautoanswer))}, nil
}

func (s api) SetTalkRight(ctx context.Context, req generated.SetTalkRightRequestObject) (generated.SetTalkRightResponseObject, error) {
	return generated.SetTalkRight200JSONResponse{EnvelopeJSONResponse: envelope(s.g.setFlag(ctx, req.Agentid, func(se *session, on bool) { se.noTalkRight = !on }, talkRight(req.Params.Flag)))}, nil
}

func (s api) GetAgentSkills(ctx context.Context, req generated.GetAgentSkillsRequestObject) (generated.GetAgentSkillsResponseObject, error) {
	return generated.GetAgentSkills200JSONResponse{SkillListReplyJSONResponse: typed[generated.SkillListReplyJSONResponse](s.g.skillList(ctx, req.Agentid, 0))}, nil
}

func (s api) GetAgentSkillsByWorkNo(ctx context.Context, req generated.GetAgentSkillsByWorkNoRequestObject) (generated.GetAgentSkillsByWorkNoResponseObject, error) {
	return generated.GetAgentSkillsByWorkNo200JSONResponse{SkillListReplyJSONResponse: typed[generated.SkillListReplyJSONResponse](s.g.skillList(ctx, req.Agentid, req.Workno))}, nil
}

func (s api) ResetSkill(ctx context.Context, req generated.ResetSkillRequestObject) (generated.ResetSkillResponseObject, error) {
	return generated.ResetSkill200JSONResponse{EnvelopeJSONResponse: envelope(s.g.resetSkill(ctx, req.Agentid, req.Autoflag, req.Params.Skillid))}, nil
}

func (s api) Heartbeat(ctx context.Context, req generated.HeartbeatRequestObject) (generated.HeartbeatResponseObject, error) {
	return generated.Heartbeat200JSONResponse{EnvelopeJSONResponse: envelope(s.g.legacyHeartbeat(ctx, req.Agentid))}, nil
}

func (s api) ForceSignOutWithReason(ctx context.Context, req generated.ForceSignOutWithReasonRequestObject) (generated.ForceSignOutWithReasonResponseObject, error) {
	return generated.ForceSignOutWithReason200JSONResponse{EnvelopeJSONResponse: envelope(s.g.signOut(ctx, req.Agentid, true))}, nil
}

func (s api) GetAppData(ctx context.Context, req generated.GetAppDataRequestObject) (generated.GetAppDataResponseObject, error) {
	return generated.GetAppData200JSONResponse{AppDataReplyJSONResponse: typed[generated.AppDataReplyJSONResponse](s.g.appData(ctx, req.Agentid, req.Params.IsEncodeResult, req.Params.CallId))}, nil
}

func (s api) SetCallDataEx(ctx context.Context, req generated.SetCallDataExRequestObject) (generated.SetCallDataExResponseObject, error) {
	return generated.SetCallDataEx200JSONResponse{EnvelopeJSONResponse: envelope(s.g.setCallData(ctx, req.Agentid, req.Body))}, nil
}

func (s api) GetCallInfo(ctx context.Context, req generated.GetCallInfoRequestObject) (generated.GetCallInfoResponseObject, error) {
	return generated.GetCallInfo200JSONResponse{CallInfoReplyJSONResponse: typed[generated.CallInfoReplyJSONResponse](s.g.currentCallInfo(ctx, req.Agentid, req.Params.IsNoContainLastCall))}, nil
}

func (s api) GetCallInfoByCallID(ctx context.Context, req generated.GetCallInfoByCallIDRequestObject) (generated.GetCallInfoByCallIDResponseObject, error) {
	return generated.GetCallInfoByCallID200JSONResponse{CallInfoReplyJSONResponse: typed[generated.CallInfoReplyJSONResponse](s.g.callInfoByID(ctx, req.Agentid, req.Callid))}, nil
}

func (s api) GetCallInfoBeforeAnswer(ctx context.Context, req generated.GetCallInfoBeforeAnswerRequestObject) (generated.GetCallInfoBeforeAnswerResponseObject, error) {
	return generated.GetCallInfoBeforeAnswer200JSONResponse{CallInfoReplyJSONResponse: typed[generated.CallInfoReplyJSONResponse](s.g.callInfoBeforeAnswer(ctx, req.Agentid))}, nil
}

func (s api) GetAllCallInfoEx(ctx context.Context, req generated.GetAllCallInfoExRequestObject) (generated.GetAllCallInfoExResponseObject, error) {
	return generated.GetAllCallInfoEx200JSONResponse{CallIdListReplyJSONResponse: typed[generated.CallIdListReplyJSONResponse](s.g.callIDsOf(ctx, req.Agentid, req.Workno))}, nil
}

func (s api) GetWaitCallInfo(ctx context.Context, req generated.GetWaitCallInfoRequestObject) (generated.GetWaitCallInfoResponseObject, error) {
	return generated.GetWaitCallInfo200JSONResponse{RawResultReplyJSONResponse: typed[generated.RawResultReplyJSONResponse](s.g.waitCallInfo(ctx, req.Agentid, req.Skillid))}, nil
}

func (s api) PollAllAgentEvents(context.Context, generated.PollAllAgentEventsRequestObject) (generated.PollAllAgentEventsResponseObject, error) {
	return s.g.allAgentEvents(), nil
}
