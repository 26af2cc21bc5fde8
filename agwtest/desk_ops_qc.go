package agwtest

import (
	"context"
	"slices"

	"github.com/agentgateway-go/agentgateway/generated"
)

// The agent-desk operations of the strict server (agent groups, queues,
// quality control, third-party control), each adapting a reply of the
// Gateway to its generated response type.

func configured(a *agent) []int { return a.Skills }

func joined(a *agent) []int { return a.sess.skills }

// talkRight reads SetTalkRight's flag as setFlag's path values.
func talkRight(f generated.SetTalkRightParamsFlag) string { return boolText(f == 1) }

func toggleListenInsert(mode int) int {
	if mode == qcInsert {
		return qcListen
	}
	return qcInsert
}

func (s api) IsPickup(ctx context.Context, req generated.IsPickupRequestObject) (generated.IsPickupResponseObject, error) {
	return generated.IsPickup200JSONResponse{PickUpPermissionReplyJSONResponse: typed[generated.PickUpPermissionReplyJSONResponse](s.g.ofAgent(ctx, req.Agentid, func(a *agent) any { return boolText(a.CanPickUp) }))}, nil
}

func (s api) GetGroupByAgent(ctx context.Context, req generated.GetGroupByAgentRequestObject) (generated.GetGroupByAgentResponseObject, error) {
	return generated.GetGroupByAgent200JSONResponse{AgentGroupReplyJSONResponse: typed[generated.AgentGroupReplyJSONResponse](s.g.aboutAgent(ctx, req.Agentid, req.Workno, func(t *agent) any { return s.g.groupOf(t) }))}, nil
}

func (s api) GetAllAgentStatus(ctx context.Context, req generated.GetAllAgentStatusRequestObject) (generated.GetAllAgentStatusResponseObject, error) {
	return generated.GetAllAgentStatus200JSONResponse{AgentStateInfoListReplyJSONResponse: typed[generated.AgentStateInfoListReplyJSONResponse](s.g.agentList(ctx, req.Agentid, func(*agent) bool { return true }))}, nil
}

func (s api) GetIdleAgents(ctx context.Context, req generated.GetIdleAgentsRequestObject) (generated.GetIdleAgentsResponseObject, error) {
	return generated.GetIdleAgents200JSONResponse{IdleAgentListReplyJSONResponse: typed[generated.IdleAgentListReplyJSONResponse](s.g.idleAgents(ctx, req.Agentid))}, nil
}

func (s api) GetAgentByWorkNo(ctx context.Context, req generated.GetAgentByWorkNoRequestObject) (generated.GetAgentByWorkNoResponseObject, error) {
	return generated.GetAgentByWorkNo200JSONResponse{AgentInfoReplyJSONResponse: typed[generated.AgentInfoReplyJSONResponse](s.g.aboutAgent(ctx, req.Agentid, req.Workno, func(t *agent) any { return agentInfo(t) }))}, nil
}

func (s api) GetAgentBySkill(ctx context.Context, req generated.GetAgentBySkillRequestObject) (generated.GetAgentBySkillResponseObject, error) {
	return generated.GetAgentBySkill200JSONResponse{AgentStateInfoListReplyJSONResponse: typed[generated.AgentStateInfoListReplyJSONResponse](s.g.agentList(ctx, req.Agentid, func(a *agent) bool { return a.sess != nil && slices.Contains(a.sess.skills, req.Skillid) }))}, nil
}

func (s api) GetOnlineAgentsOnVdn(ctx context.Context, req generated.GetOnlineAgentsOnVdnRequestObject) (generated.GetOnlineAgentsOnVdnResponseObject, error) {
	return generated.GetOnlineAgentsOnVdn200JSONResponse{RawResultReplyJSONResponse: typed[generated.RawResultReplyJSONResponse](s.g.agentList(ctx, req.Agentid, func(a *agent) bool { return a.sess != nil }))}, nil
}

func (s api) GetRestReasons(ctx context.Context, req generated.GetRestReasonsRequestObject) (generated.GetRestReasonsResponseObject, error) {
	return generated.GetRestReasons200JSONResponse{RawResultReplyJSONResponse: typed[generated.RawResultReplyJSONResponse](s.g.ofAgent(ctx, req.Agentid, func(*agent) any { return []any{} }))}, nil
}

func (s api) GetGroupsOnVdn(ctx context.Context, req generated.GetGroupsOnVdnRequestObject) (generated.GetGroupsOnVdnResponseObject, error) {
	return generated.GetGroupsOnVdn200JSONResponse{RawResultReplyJSONResponse: typed[generated.RawResultReplyJSONResponse](s.g.groupsOnVdn(ctx, req.Agentid))}, nil
}

func (s api) GetAgentsOnGroupEx(ctx context.Context, req generated.GetAgentsOnGroupExRequestObject) (generated.GetAgentsOnGroupExResponseObject, error) {
	return generated.GetAgentsOnGroupEx200JSONResponse{RawResultReplyJSONResponse: typed[generated.RawResultReplyJSONResponse](s.g.agentsOnGroup(ctx, req.Agentid, req.Params.Groupid))}, nil
}

func (s api) IsCensor(ctx context.Context, req generated.IsCensorRequestObject) (generated.IsCensorResponseObject, error) {
	return generated.IsCensor200JSONResponse{RawResultReplyJSONResponse: typed[generated.RawResultReplyJSONResponse](s.g.ofAgent(ctx, req.Agentid, func(a *agent) any { return boolText(a.Inspector) }))}, nil
}

func (s api) GetWaitNum(ctx context.Context, req generated.GetWaitNumRequestObject) (generated.GetWaitNumResponseObject, error) {
	return generated.GetWaitNum200JSONResponse{WaitNumReplyJSONResponse: typed[generated.WaitNumReplyJSONResponse](s.g.waitNum(ctx, req.Agentid, configured))}, nil
}

func (s api) GetWaitNumByAgent(ctx context.Context, req generated.GetWaitNumByAgentRequestObject) (generated.GetWaitNumByAgentResponseObject, error) {
	return generated.GetWaitNumByAgent200JSONResponse{WaitNumReplyJSONResponse: typed[generated.WaitNumReplyJSONResponse](s.g.waitNum(ctx, req.Agentid, joined))}, nil
}

func (s api) GetSkillWaitNum(ctx context.Context, req generated.GetSkillWaitNumRequestObject) (generated.GetSkillWaitNumResponseObject, error) {
	return generated.GetSkillWaitNum200JSONResponse{WaitNumReplyJSONResponse: typed[generated.WaitNumReplyJSONResponse](s.g.waitNum(ctx, req.Agentid, func(*agent) []int { return []int{req.Skillid} }))}, nil
}

func (s api) GetAgentVdnSkill(ctx context.Context, req generated.GetAgentVdnSkillRequestObject) (generated.GetAgentVdnSkillResponseObject, error) {
	return generated.GetAgentVdnSkill200JSONResponse{VdnSkillListReplyJSONResponse: typed[generated.VdnSkillListReplyJSONResponse](s.g.vdnSkills(ctx, req.Agentid))}, nil
}

func (s api) QueryAcdStat(ctx context.Context, req generated.QueryAcdStatRequestObject) (generated.QueryAcdStatResponseObject, error) {
	return generated.QueryAcdStat200JSONResponse{AcdStatListReplyJSONResponse: typed[generated.AcdStatListReplyJSONResponse](s.g.notImplemented(ctx, req.Agentid))}, nil
}

func (s api) AddSupervise(ctx context.Context, req generated.AddSuperviseRequestObject) (generated.AddSuperviseResponseObject, error) {
	return generated.AddSupervise200JSONResponse{EnvelopeJSONResponse: envelope(s.g.supervise(ctx, req.Agentid, req.WorkNo, qcListen))}, nil
}

func (s api) AddInsert(ctx context.Context, req generated.AddInsertRequestObject) (generated.AddInsertResponseObject, error) {
	return generated.AddInsert200JSONResponse{EnvelopeJSONResponse: envelope(s.g.supervise(ctx, req.Agentid, req.WorkNo, qcInsert))}, nil
}

func (s api) Intercept(ctx context.Context, req generated.InterceptRequestObject) (generated.InterceptResponseObject, error) {
	return generated.Intercept200JSONResponse{EnvelopeJSONResponse: envelope(s.g.intercept(ctx, req.Agentid, req.WorkNo))}, nil
}

func (s api) StopSupervision(ctx context.Context, req generated.StopSupervisionRequestObject) (generated.StopSupervisionResponseObject, error) {
	return generated.StopSupervision200JSONResponse{EnvelopeJSONResponse: envelope(s.g.stopSupervision(ctx, req.Agentid, req.WorkNo))}, nil
}

func (s api) SwitchSupervision(ctx context.Context, req generated.SwitchSupervisionRequestObject) (generated.SwitchSupervisionResponseObject, error) {
	return generated.SwitchSupervision200JSONResponse{EnvelopeJSONResponse: envelope(s.g.setMode(ctx, req.Agentid, req.WorkNo, toggleListenInsert))}, nil
}

func (s api) RequestWhisperAgent(ctx context.Context, req generated.RequestWhisperAgentRequestObject) (generated.RequestWhisperAgentResponseObject, error) {
	return generated.RequestWhisperAgent200JSONResponse{EnvelopeJSONResponse: envelope(s.g.setMode(ctx, req.Agentid, s.g.whisperTarget(req.Agentid, req.Params.Whisperagentid), func(int) int { return qcWhisper }))}, nil
}

func (s api) RequestStopWhisperAgent(ctx context.Context, req generated.RequestStopWhisperAgentRequestObject) (generated.RequestStopWhisperAgentResponseObject, error) {
	return generated.RequestStopWhisperAgent200JSONResponse{EnvelopeJSONResponse: envelope(s.g.setMode(ctx, req.Agentid, s.g.whisperTarget(req.Agentid, req.Params.Whisperagentid), func(int) int { return qcListen }))}, nil
}

func (s api) RequestSwitchInsertWhisperAgent(ctx context.Context, req generated.RequestSwitchInsertWhisperAgentRequestObject) (generated.RequestSwitchInsertWhisperAgentResponseObject, error) {
	return generated.RequestSwitchInsertWhisperAgent200JSONResponse{EnvelopeJSONResponse: envelope(s.g.setMode(ctx, req.Agentid, s.g.whisperTarget(req.Agentid, req.Params.Whisperagentid), func(int) int { return switchModes[int(req.Params.Switchtype)] }))}, nil
}

func (s api) ForceBusy(ctx context.Context, req generated.ForceBusyRequestObject) (generated.ForceBusyResponseObject, error) {
	return generated.ForceBusy200JSONResponse{EnvelopeJSONResponse: envelope(s.g.force(ctx, req.Agentid, req.WorkNo, trSayBusyAgain, busyByInspector, 0))}, nil
}

func (s api) ForceIdle(ctx context.Context, req generated.ForceIdleRequestObject) (generated.ForceIdleResponseObject, error) {
	return generated.ForceIdle200JSONResponse{EnvelopeJSONResponse: envelope(s.g.force(ctx, req.Agentid, req.WorkNo, trForceIdle, 0, 0))}, nil
}

func (s api) ForceRest(ctx context.Context, req generated.ForceRestRequestObject) (generated.ForceRestResponseObject, error) {
	return generated.ForceRest200JSONResponse{EnvelopeJSONResponse: envelope(s.g.force(ctx, req.Agentid, req.WorkNo, trRestAgain, req.Reason, req.Time))}, nil
}

func (s api) ForceSignOutAgent(ctx context.Context, req generated.ForceSignOutAgentRequestObject) (generated.ForceSignOutAgentResponseObject, error) {
	return generated.ForceSignOutAgent200JSONResponse{EnvelopeJSONResponse: envelope(s.g.forceSignOut(ctx, req.Agentid, req.WorkNo))}, nil
}

func (s api) AdjustSkill(ctx context.Context, req generated.AdjustSkillRequestObject) (generated.AdjustSkillResponseObject, error) {
	return generated.AdjustSkill200JSONResponse{EnvelopeJSONResponse: envelope(s.g.adjustSkill(ctx, req.Agentid, req.Body))}, nil
}

func (s api) BeginMonitor(ctx context.Context, req generated.BeginMonitorRequestObject) (generated.BeginMonitorResponseObject, error) {
	return generated.BeginMonitor200JSONResponse{EnvelopeJSONResponse: envelope(s.g.beginMonitor(ctx, req.Agentid, req.Params.Agents))}, nil
}

func (s api) GetQualityControlAgents(ctx context.Context, req generated.GetQualityControlAgentsRequestObject) (generated.GetQualityControlAgentsResponseObject, error) {
	return generated.GetQualityControlAgents200JSONResponse{RawResultReplyJSONResponse: typed[generated.RawResultReplyJSONResponse](s.g.qcAgents(ctx, req.Agentid))}, nil
}

func (s api) ThirdControlSetStatus(ctx context.Context, req generated.ThirdControlSetStatusRequestObject) (generated.ThirdControlSetStatusResponseObject, error) {
	return generated.ThirdControlSetStatus200JSONResponse{EnvelopeJSONResponse: envelope(s.g.thirdSetStatus(ctx, req.Agentid, req.WorkNo, req.Body))}, nil
}

func (s api) ThirdControlCallAnswer(ctx context.Context, req generated.ThirdControlCallAnswerRequestObject) (generated.ThirdControlCallAnswerResponseObject, error) {
	return generated.ThirdControlCallAnswer200JSONResponse{EnvelopeJSONResponse: envelope(s.g.thirdAnswer(ctx, req.Agentid, req.WorkNo))}, nil
}

func (s api) ThirdControlCallout(ctx context.Context, req generated.ThirdControlCalloutRequestObject) (generated.ThirdControlCalloutResponseObject, error) {
	return generated.ThirdControlCallout200JSONResponse{EnvelopeJSONResponse: envelope(s.g.notImplemented(ctx, req.Agentid))}, nil
}
