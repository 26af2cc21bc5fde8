package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// The strict server's quality-control additions, call-data queries and
// queue-device queries, each adapting a reply of the Gateway to its
// generated response type.

func (s api) ForceDropCall(ctx context.Context, req generated.ForceDropCallRequestObject) (generated.ForceDropCallResponseObject, error) {
	return generated.ForceDropCall200JSONResponse{EnvelopeJSONResponse: envelope(s.g.forceDropCall(ctx, req.Agentid, req.Callid))}, nil
}

func (s api) InterceptCall(ctx context.Context, req generated.InterceptCallRequestObject) (generated.InterceptCallResponseObject, error) {
	return generated.InterceptCall200JSONResponse{EnvelopeJSONResponse: envelope(s.g.interceptCall(ctx, req.Agentid, req.WorkNo, req.CallId))}, nil
}

func (s api) EndMonitor(ctx context.Context, req generated.EndMonitorRequestObject) (generated.EndMonitorResponseObject, error) {
	return generated.EndMonitor200JSONResponse{EnvelopeJSONResponse: envelope(s.g.endMonitor(ctx, req.Agentid, req.Params.Agents))}, nil
}

func (s api) GetHoldListEx(ctx context.Context, req generated.GetHoldListExRequestObject) (generated.GetHoldListExResponseObject, error) {
	return generated.GetHoldListEx200JSONResponse{HoldListReplyJSONResponse: typed[generated.HoldListReplyJSONResponse](s.g.holdListOf(ctx, req.Agentid, req.Workno))}, nil
}

func (s api) GetCallStatisticsEx(ctx context.Context, req generated.GetCallStatisticsExRequestObject) (generated.GetCallStatisticsExResponseObject, error) {
	return generated.GetCallStatisticsEx200JSONResponse{CallStatisticsExReplyJSONResponse: typed[generated.CallStatisticsExReplyJSONResponse](s.g.callStatistics(ctx, req.Agentid))}, nil
}

func (s api) GetAllCallIDs(ctx context.Context, req generated.GetAllCallIDsRequestObject) (generated.GetAllCallIDsResponseObject, error) {
	return generated.GetAllCallIDs200JSONResponse{CallIdListReplyJSONResponse: typed[generated.CallIdListReplyJSONResponse](s.g.callIDsOf(ctx, req.Agentid, req.Agentid))}, nil
}

func (s api) GetIvrInfo(ctx context.Context, req generated.GetIvrInfoRequestObject) (generated.GetIvrInfoResponseObject, error) {
	return generated.GetIvrInfo200JSONResponse{IvrInfoListReplyJSONResponse: typed[generated.IvrInfoListReplyJSONResponse](s.g.ofAgent(ctx, req.Agentid, func(*agent) any { return ivrFlows() }))}, nil
}

func (s api) GetInnoInfo(ctx context.Context, req generated.GetInnoInfoRequestObject) (generated.GetInnoInfoResponseObject, error) {
	return generated.GetInnoInfo200JSONResponse{AccessCodeInfoListReplyJSONResponse: typed[generated.AccessCodeInfoListReplyJSONResponse](s.g.ofAgent(ctx, req.Agentid, func(*agent) any { return accessCodes() }))}, nil
}

func (s api) GetVdnSkill(ctx context.Context, req generated.GetVdnSkillRequestObject) (generated.GetVdnSkillResponseObject, error) {
	return generated.GetVdnSkill200JSONResponse{VdnSkillListReplyJSONResponse: typed[generated.VdnSkillListReplyJSONResponse](s.g.vdnSkillsOf(ctx, req.Agentid, req.Vdnid))}, nil
}

func (s api) GetSignedSkillsByWorkNo(ctx context.Context, req generated.GetSignedSkillsByWorkNoRequestObject) (generated.GetSignedSkillsByWorkNoResponseObject, error) {
	return generated.GetSignedSkillsByWorkNo200JSONResponse{SkillListReplyJSONResponse: typed[generated.SkillListReplyJSONResponse](s.g.signedSkills(ctx, req.Agentid, req.Workno))}, nil
}
