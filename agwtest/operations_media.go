package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// The strict server's voice-call additions (Reject, CallInnerSkill), record
// and playback, and the agent conference, each adapting a reply of the
// Gateway to its generated response type.

func (s api) Reject(ctx context.Context, req generated.RejectRequestObject) (generated.RejectResponseObject, error) {
	return generated.Reject200JSONResponse{EnvelopeJSONResponse: envelope(s.g.reject(ctx, req.Agentid, req.Body))}, nil
}

func (s api) CallInnerSkill(ctx context.Context, req generated.CallInnerSkillRequestObject) (generated.CallInnerSkillResponseObject, error) {
	return generated.CallInnerSkill200JSONResponse{CallIdReplyJSONResponse: typed[generated.CallIdReplyJSONResponse](s.g.callInnerSkill(ctx, req.Agentid, req.Body))}, nil
}

// Record and playback.

func (s api) Play(ctx context.Context, req generated.PlayRequestObject) (generated.PlayResponseObject, error) {
	return generated.Play200JSONResponse{EnvelopeJSONResponse: envelope(s.g.play(ctx, req.Agentid, req.Body))}, nil
}

func (s api) StopPlay(ctx context.Context, req generated.StopPlayRequestObject) (generated.StopPlayResponseObject, error) {
	return generated.StopPlay200JSONResponse{EnvelopeJSONResponse: envelope(s.g.stopPlay(ctx, req.Agentid))}, nil
}

func (s api) ResumePlay(ctx context.Context, req generated.ResumePlayRequestObject) (generated.ResumePlayResponseObject, error) {
	return generated.ResumePlay200JSONResponse{EnvelopeJSONResponse: envelope(s.g.resumePlay(ctx, req.Agentid))}, nil
}

func (s api) BackFastPlay(ctx context.Context, req generated.BackFastPlayRequestObject) (generated.BackFastPlayResponseObject, error) {
	return generated.BackFastPlay200JSONResponse{EnvelopeJSONResponse: envelope(s.g.backFast(ctx, req.Agentid))}, nil
}

func (s api) PlayRelocation(ctx context.Context, req generated.PlayRelocationRequestObject) (generated.PlayRelocationResponseObject, error) {
	return generated.PlayRelocation200JSONResponse{EnvelopeJSONResponse: envelope(s.g.relocate(ctx, req.Agentid))}, nil
}

func (s api) NetPlay(ctx context.Context, req generated.NetPlayRequestObject) (generated.NetPlayResponseObject, error) {
	return generated.NetPlay200JSONResponse{EnvelopeJSONResponse: envelope(s.g.netPlay(ctx, req.Agentid))}, nil
}

func (s api) Record(ctx context.Context, req generated.RecordRequestObject) (generated.RecordResponseObject, error) {
	return generated.Record200JSONResponse{EnvelopeJSONResponse: envelope(s.g.record(ctx, req.Agentid, req.Body))}, nil
}

// The agent conference.

func (s api) RequestAgentConf(ctx context.Context, req generated.RequestAgentConfRequestObject) (generated.RequestAgentConfResponseObject, error) {
	return generated.RequestAgentConf200JSONResponse{EnvelopeJSONResponse: envelope(s.g.requestAgentConf(ctx, req.Agentid, req.Body))}, nil
}

func (s api) AnswerAgentConf(ctx context.Context, req generated.AnswerAgentConfRequestObject) (generated.AnswerAgentConfResponseObject, error) {
	return generated.AnswerAgentConf200JSONResponse{EnvelopeJSONResponse: envelope(s.g.answerAgentConf(ctx, req.Agentid, true))}, nil
}

func (s api) RejectAgentConf(ctx context.Context, req generated.RejectAgentConfRequestObject) (generated.RejectAgentConfResponseObject, error) {
	return generated.RejectAgentConf200JSONResponse{EnvelopeJSONResponse: envelope(s.g.answerAgentConf(ctx, req.Agentid, false))}, nil
}

func (s api) RequestLeaveAgentConf(ctx context.Context, req generated.RequestLeaveAgentConfRequestObject) (generated.RequestLeaveAgentConfResponseObject, error) {
	return generated.RequestLeaveAgentConf200JSONResponse{EnvelopeJSONResponse: envelope(s.g.requestLeaveAgentConf(ctx, req.Agentid))}, nil
}

func (s api) ReleaseAgentConf(ctx context.Context, req generated.ReleaseAgentConfRequestObject) (generated.ReleaseAgentConfResponseObject, error) {
	return generated.ReleaseAgentConf200JSONResponse{EnvelopeJSONResponse: envelope(s.g.releaseAgentConf(ctx, req.Agentid))}, nil
}

func (s api) ProlongAgentConf(ctx context.Context, req generated.ProlongAgentConfRequestObject) (generated.ProlongAgentConfResponseObject, error) {
	return generated.ProlongAgentConf200JSONResponse{EnvelopeJSONResponse: envelope(s.g.prolongAgentConf(ctx, req.Agentid, req.Params.ProlongTime))}, nil
}

func (s api) ApplyToShiftPresident(ctx context.Context, req generated.ApplyToShiftPresidentRequestObject) (generated.ApplyToShiftPresidentResponseObject, error) {
	return generated.ApplyToShiftPresident200JSONResponse{EnvelopeJSONResponse: envelope(s.g.shiftPresident(ctx, req.Agentid, req.Params.DestWorkNo))}, nil
}

func (s api) PlayVoiceToConf(ctx context.Context, req generated.PlayVoiceToConfRequestObject) (generated.PlayVoiceToConfResponseObject, error) {
	return generated.PlayVoiceToConf200JSONResponse{EnvelopeJSONResponse: envelope(s.g.confVoice(ctx, req.Agentid, true))}, nil
}

func (s api) StopVoiceToConf(ctx context.Context, req generated.StopVoiceToConfRequestObject) (generated.StopVoiceToConfResponseObject, error) {
	return generated.StopVoiceToConf200JSONResponse{EnvelopeJSONResponse: envelope(s.g.confVoice(ctx, req.Agentid, false))}, nil
}
