package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// The strict server's voice-call additions (Reject, CallInnerSkill), each
// adapting a reply of the Gateway to its generated response type.

func (s api) Reject(ctx context.Context, req generated.RejectRequestObject) (generated.RejectResponseObject, error) {
	return generated.Reject200JSONResponse{EnvelopeJSONResponse: envelope(s.g.reject(ctx, req.Agentid, req.Body))}, nil
}

func (s api) CallInnerSkill(ctx context.Context, req generated.CallInnerSkillRequestObject) (generated.CallInnerSkillResponseObject, error) {
	return generated.CallInnerSkill200JSONResponse{CallIdReplyJSONResponse: typed[generated.CallIdReplyJSONResponse](s.g.callInnerSkill(ctx, req.Agentid, req.Body))}, nil
}
