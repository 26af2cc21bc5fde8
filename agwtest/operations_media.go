package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// The strict server's voice-call additions (Reject, CallInnerSkill) and
// record and playback, each adapting a reply of the Gateway to its
// generated response type.

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
