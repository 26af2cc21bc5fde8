package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// api adapts the Gateway to the generated strict server: one method per
// operation the fake knows, each turning a reply into its response type.
// Operations it does not simulate check the Guid and succeed; an operation
// added to the spec since answers generated.Unimplemented's envelope until
// the fake learns it.
type api struct {
	generated.Unimplemented
	g *Gateway
}

var _ generated.StrictServerInterface = api{}

func envelope(r reply) generated.EnvelopeJSONResponse {
	return generated.EnvelopeJSONResponse(r.envelope())
}

func guidEnvelope(r reply, guid string) generated.EnvelopeWithGuidJSONResponse {
	resp := generated.EnvelopeWithGuidJSONResponse{Body: r.envelope()}
	if guid != "" {
		resp.Headers.SetGUID = setGuid(guid)
	}
	return resp
}

// Session and events.

func (s api) SignIn(ctx context.Context, req generated.SignInRequestObject) (generated.SignInResponseObject, error) {
	r, guid := s.g.signIn(ctx, req.Agentid, req.Body, false)
	return generated.SignIn200JSONResponse{SignInReplyJSONResponse: signInReply(r, guid)}, nil
}

func (s api) ForceSignIn(ctx context.Context, req generated.ForceSignInRequestObject) (generated.ForceSignInResponseObject, error) {
	r, guid := s.g.signIn(ctx, req.Agentid, req.Body, true)
	return generated.ForceSignIn200JSONResponse{SignInReplyJSONResponse: signInReply(r, guid)}, nil
}

func (s api) SignOut(ctx context.Context, req generated.SignOutRequestObject) (generated.SignOutResponseObject, error) {
	return generated.SignOut200JSONResponse{EnvelopeJSONResponse: envelope(s.g.signOut(ctx, req.Agentid, false))}, nil
}

func (s api) ForceSignOut(ctx context.Context, req generated.ForceSignOutRequestObject) (generated.ForceSignOutResponseObject, error) {
	return generated.ForceSignOut200JSONResponse{EnvelopeJSONResponse: envelope(s.g.signOut(ctx, req.Agentid, true))}, nil
}

func (s api) Handshake(ctx context.Context, req generated.HandshakeRequestObject) (generated.HandshakeResponseObject, error) {
	r, guid := s.g.heartbeat(ctx, req.Agentid)
	return generated.Handshake200JSONResponse{EnvelopeWithGuidJSONResponse: guidEnvelope(r, guid)}, nil
}

func (s api) UpdateGuid(ctx context.Context, req generated.UpdateGuidRequestObject) (generated.UpdateGuidResponseObject, error) {
	return generated.UpdateGuid200JSONResponse{GuidResultReplyJSONResponse: typed[generated.GuidResultReplyJSONResponse](s.g.updateGuid(ctx, req.Agentid))}, nil
}

func (s api) PollEvent(ctx context.Context, req generated.PollEventRequestObject) (generated.PollEventResponseObject, error) {
	return s.g.poll(ctx, req.Agentid), nil
}

func (s api) GetHoldList(ctx context.Context, req generated.GetHoldListRequestObject) (generated.GetHoldListResponseObject, error) {
	return generated.GetHoldList200JSONResponse{HoldListReplyJSONResponse: typed[generated.HoldListReplyJSONResponse](s.g.holdList(ctx, req.Agentid))}, nil
}

// Simulated call control.

func (s api) SnatchPickup(ctx context.Context, req generated.SnatchPickupRequestObject) (generated.SnatchPickupResponseObject, error) {
	return generated.SnatchPickup200JSONResponse{EnvelopeJSONResponse: envelope(s.g.snatchPickup(ctx, req.Agentid, req.Params.DestWorkNo))}, nil
}

func (s api) Answer(ctx context.Context, req generated.AnswerRequestObject) (generated.AnswerResponseObject, error) {
	return generated.Answer200JSONResponse{EnvelopeJSONResponse: envelope(s.g.answer(ctx, req.Agentid, req.Params.Callid, generated.RetCodeAnswerNoCall))}, nil
}

func (s api) PhonePickup(ctx context.Context, req generated.PhonePickupRequestObject) (generated.PhonePickupResponseObject, error) {
	return generated.PhonePickup200JSONResponse{EnvelopeJSONResponse: envelope(s.g.answer(ctx, req.Agentid, nil, generated.RetCodeOperationFailed))}, nil
}

func (s api) Release(ctx context.Context, req generated.ReleaseRequestObject) (generated.ReleaseResponseObject, error) {
	return generated.Release200JSONResponse{EnvelopeJSONResponse: envelope(s.g.release(ctx, req.Agentid))}, nil
}

func (s api) ReleaseLegacy(ctx context.Context, req generated.ReleaseLegacyRequestObject) (generated.ReleaseLegacyResponseObject, error) {
	return generated.ReleaseLegacy200JSONResponse{EnvelopeJSONResponse: envelope(s.g.release(ctx, req.Agentid))}, nil
}

func (s api) Hold(ctx context.Context, req generated.HoldRequestObject) (generated.HoldResponseObject, error) {
	return generated.Hold200JSONResponse{EnvelopeJSONResponse: envelope(s.g.hold(ctx, req.Agentid))}, nil
}

func (s api) GetHold(ctx context.Context, req generated.GetHoldRequestObject) (generated.GetHoldResponseObject, error) {
	return generated.GetHold200JSONResponse{EnvelopeJSONResponse: envelope(s.g.getHold(ctx, req.Agentid, deref(req.Params.Callid)))}, nil
}

func (s api) BeginMute(ctx context.Context, req generated.BeginMuteRequestObject) (generated.BeginMuteResponseObject, error) {
	return generated.BeginMute200JSONResponse{EnvelopeJSONResponse: envelope(s.g.mute(ctx, req.Agentid, true))}, nil
}

func (s api) EndMute(ctx context.Context, req generated.EndMuteRequestObject) (generated.EndMuteResponseObject, error) {
	return generated.EndMute200JSONResponse{EnvelopeJSONResponse: envelope(s.g.mute(ctx, req.Agentid, false))}, nil
}

func (s api) Transfer(ctx context.Context, req generated.TransferRequestObject) (generated.TransferResponseObject, error) {
	return generated.Transfer200JSONResponse{EnvelopeJSONResponse: envelope(s.g.transfer(ctx, req.Agentid, req.Body))}, nil
}

func (s api) Callout(ctx context.Context, req generated.CalloutRequestObject) (generated.CalloutResponseObject, error) {
	return generated.Callout200JSONResponse{CallIdReplyJSONResponse: typed[generated.CallIdReplyJSONResponse](s.g.callout(ctx, req.Agentid, req.Body))}, nil
}

// Not simulated, and answering a call ID the fake has no call for would
// mislead: Guid check, then 100-007.

func (s api) PreviewCallout(ctx context.Context, req generated.PreviewCalloutRequestObject) (generated.PreviewCalloutResponseObject, error) {
	return generated.PreviewCallout200JSONResponse{CallIdReplyJSONResponse: typed[generated.CallIdReplyJSONResponse](s.g.previewCallout(ctx, req.Agentid, req.Body))}, nil
}

func (s api) CallInner(ctx context.Context, req generated.CallInnerRequestObject) (generated.CallInnerResponseObject, error) {
	return generated.CallInner200JSONResponse{CallIdReplyJSONResponse: typed[generated.CallIdReplyJSONResponse](s.g.notImplemented(ctx, req.Agentid))}, nil
}

func (s api) InnerHelp(ctx context.Context, req generated.InnerHelpRequestObject) (generated.InnerHelpResponseObject, error) {
	return generated.InnerHelp200JSONResponse{CallIdReplyJSONResponse: typed[generated.CallIdReplyJSONResponse](s.g.notImplemented(ctx, req.Agentid))}, nil
}

// Not simulated: Guid check, then success.

func (s api) BeginMuteVideo(ctx context.Context, req generated.BeginMuteVideoRequestObject) (generated.BeginMuteVideoResponseObject, error) {
	return generated.BeginMuteVideo200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) EndMuteVideo(ctx context.Context, req generated.EndMuteVideoRequestObject) (generated.EndMuteVideoResponseObject, error) {
	return generated.EndMuteVideo200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) CancelTransfer(ctx context.Context, req generated.CancelTransferRequestObject) (generated.CancelTransferResponseObject, error) {
	return generated.CancelTransfer200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) SecondDialEx(ctx context.Context, req generated.SecondDialExRequestObject) (generated.SecondDialExResponseObject, error) {
	return generated.SecondDialEx200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) SecondDial(ctx context.Context, req generated.SecondDialRequestObject) (generated.SecondDialResponseObject, error) {
	return generated.SecondDial200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) ConfJoin(ctx context.Context, req generated.ConfJoinRequestObject) (generated.ConfJoinResponseObject, error) {
	return generated.ConfJoin200JSONResponse{EnvelopeJSONResponse: envelope(s.g.confJoin(ctx, req.Agentid, req.Body))}, nil
}

func (s api) ConnectHold(ctx context.Context, req generated.ConnectHoldRequestObject) (generated.ConnectHoldResponseObject, error) {
	return generated.ConnectHold200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) Disconnect(ctx context.Context, req generated.DisconnectRequestObject) (generated.DisconnectResponseObject, error) {
	return generated.Disconnect200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) DropCall(ctx context.Context, req generated.DropCallRequestObject) (generated.DropCallResponseObject, error) {
	return generated.DropCall200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) PhoneHangup(ctx context.Context, req generated.PhoneHangupRequestObject) (generated.PhoneHangupResponseObject, error) {
	return generated.PhoneHangup200JSONResponse{EnvelopeJSONResponse: envelope(s.g.phoneHangup(ctx, req.Agentid))}, nil
}

func (s api) ReleasePhone(ctx context.Context, req generated.ReleasePhoneRequestObject) (generated.ReleasePhoneResponseObject, error) {
	return generated.ReleasePhone200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) ReportSound(ctx context.Context, req generated.ReportSoundRequestObject) (generated.ReportSoundResponseObject, error) {
	return generated.ReportSound200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) RequestCall(ctx context.Context, req generated.RequestCallRequestObject) (generated.RequestCallResponseObject, error) {
	return generated.RequestCall200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}

func (s api) ThirdPartyConfTransmitNum(ctx context.Context, req generated.ThirdPartyConfTransmitNumRequestObject) (generated.ThirdPartyConfTransmitNumResponseObject, error) {
	return generated.ThirdPartyConfTransmitNum200JSONResponse{EnvelopeJSONResponse: envelope(s.g.authorized(ctx, req.Agentid))}, nil
}
