package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Thin, validated methods for the voicecall operations. Each sends one
// request, never retried, and maps the reply like every other call: a
// retcode other than "0" is an *APIError (200-xxx codes match ErrCallState),
// an unreadable reply a *ReplyError. Operations marked "unverified" are
// known only from vendor client code (deprecated in the spec).

type agentOnly func(ctx context.Context, agentid generated.AgentId, eds ...generated.RequestEditorFn) (*http.Response, error)

func (s *Session) simple(ctx context.Context, op string, f agentOnly) error {
	_, err := s.call(ctx, op, func(ctx context.Context) (*http.Response, error) { return f(ctx, s.agentID) })
	return err
}

// CalloutParams are the fields of an outbound call.
type CalloutParams struct {
	Called       string // 1-24 characters of 0-9 * #; required
	Caller       string // calling number, up to 24 digits; "" for the platform default
	SkillID      int    // skill queue; 0 for the platform default
	CallAppData  string // call-associated data, at most 16 KB
	MediaAbility int    // 0 audio (default), 1 video, 2 negotiated
}

// Callout makes an outbound call. Events: AgentOther_PhoneAlerting, ...,
// AgentEvent_Talking; on failure AgentEvent_Call_Out_Fail.
//
//	PUT /agentgateway/resource/voicecall/{agentid}/callout
func (s *Session) Callout(ctx context.Context, p CalloutParams) error {
	if err := checkDialString("called", p.Called); err != nil {
		return err
	}
	if err := checkDigits("caller", p.Caller, 0, 24); err != nil {
		return err
	}
	if err := checkRange("skillid", p.SkillID, 0, 1<<31-1); err != nil {
		return err
	}
	if err := checkRange("mediaability", p.MediaAbility, 0, 2); err != nil {
		return err
	}
	if err := checkCallAppData(p.CallAppData); err != nil {
		return err
	}
	body := generated.CalloutRequest{Called: p.Called, Caller: nonEmpty(p.Caller), Callappdata: nonEmpty(p.CallAppData)}
	if p.SkillID != 0 {
		body.Skillid = &p.SkillID
	}
	if p.MediaAbility != 0 {
		body.Mediaability = &p.MediaAbility
	}
	_, err := s.call(ctx, "Callout", func(ctx context.Context) (*http.Response, error) {
		return s.api.Callout(ctx, s.agentID, body)
	})
	return err
}

// PreviewCallout places a previewed outbound call: called is one of the
// numbers and controlID the controlid of AgentEvent_Preview_CallOut_Ex.
//
//	PUT /agentgateway/resource/voicecall/{agentid}/previewCallout
func (s *Session) PreviewCallout(ctx context.Context, called string, controlID int64) error {
	if err := checkDialString("called", called); err != nil {
		return err
	}
	body := generated.PreviewCalloutRequest{Called: called, Callcontrolid: controlID}
	_, err := s.call(ctx, "PreviewCallout", func(ctx context.Context) (*http.Response, error) {
		return s.api.PreviewCallout(ctx, s.agentID, body)
	})
	return err
}

// CallInner calls another agent. The public vendor pages do not show the
// body's fields, so body is sent as given.
//
//	PUT /agentgateway/resource/voicecall/{agentid}/callinner
func (s *Session) CallInner(ctx context.Context, body map[string]any) error {
	if body == nil {
		return &ValidationError{Field: "body", Value: "nil", Rule: "a JSON object"}
	}
	_, err := s.call(ctx, "CallInner", func(ctx context.Context) (*http.Response, error) {
		return s.api.CallInner(ctx, s.agentID, body)
	})
	return err
}

// InnerHelp asks an agent or skill queue (dstAddress) for help during a
// call; deviceType 1 is a skill queue, 0 leaves it out.
//
//	POST /agentgateway/resource/voicecall/{agentid}/innerhelp
func (s *Session) InnerHelp(ctx context.Context, dstAddress string, deviceType int) error {
	if err := checkChars("dstaddress", dstAddress, 1, 64, func(b byte) bool { return b > ' ' && b < 0x7f },
		"a non-empty agent or skill queue ID"); err != nil {
		return err
	}
	if err := checkRange("devicetype", deviceType, 0, 1<<31-1); err != nil {
		return err
	}
	body := generated.InnerHelpRequest{Dstaddress: dstAddress}
	if deviceType != 0 {
		body.Devicetype = &deviceType
	}
	_, err := s.call(ctx, "InnerHelp", func(ctx context.Context) (*http.Response, error) {
		return s.api.InnerHelp(ctx, s.agentID, body)
	})
	return err
}

// Answer answers the ringing call; callID picks one when several ring, ""
// answers the only one. Error 200-002: no call to answer.
//
//	PUT /agentgateway/resource/voicecall/{agentid}/answer[?callid={callid}]
func (s *Session) Answer(ctx context.Context, callID string) error {
	params := &generated.AnswerParams{}
	if callID != "" {
		if err := checkCallID("callid", callID); err != nil {
			return err
		}
		params.Callid = &callID
	}
	_, err := s.call(ctx, "Answer", func(ctx context.Context) (*http.Response, error) {
		return s.api.Answer(ctx, s.agentID, params)
	})
	return err
}

// Mute mutes the agent (unverified).
//
//	POST /agentgateway/resource/voicecall/{agentid}/beginmute
//
//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
func (s *Session) Mute(ctx context.Context) error { return s.simple(ctx, "BeginMute", s.api.BeginMute) }

// Unmute ends Mute (unverified).
//
//	POST /agentgateway/resource/voicecall/{agentid}/endmute
//
//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
func (s *Session) Unmute(ctx context.Context) error { return s.simple(ctx, "EndMute", s.api.EndMute) }

// Hold holds the current call (unverified). Event: AgentEvent_Hold.
//
//	POST /agentgateway/resource/voicecall/{agentid}/hold
//
//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
func (s *Session) Hold(ctx context.Context) error { return s.simple(ctx, "Hold", s.api.Hold) }

// Unhold retrieves the held call callID (see HeldCalls) (unverified).
//
//	POST /agentgateway/resource/voicecall/{agentid}/gethold?callid={callid}
func (s *Session) Unhold(ctx context.Context, callID string) error {
	if err := checkCallID("callid", callID); err != nil {
		return err
	}
	params := &generated.GetHoldParams{Callid: callID}
	_, err := s.call(ctx, "GetHold", func(ctx context.Context) (*http.Response, error) {
		//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
		return s.api.GetHold(ctx, s.agentID, params)
	})
	return err
}

// codeNoHeldCall is GetHoldList's "no held call" retcode.
const codeNoHeldCall = "400-003"

// HeldCall is one entry of HeldCalls.
type HeldCall struct {
	CallID FlexString      `json:"callid"`
	Raw    json.RawMessage `json:"-"` // the entry as sent
}

// HeldCalls lists the calls the agent holds. The gateway answers 400-003
// when there are none; that is an empty list here, not an error, since
// holding nothing is an ordinary state.
//
//	GET /agentgateway/resource/calldata/{agentid}/holdlist
func (s *Session) HeldCalls(ctx context.Context) ([]HeldCall, error) {
	result, err := s.call(ctx, "GetHoldList", func(ctx context.Context) (*http.Response, error) {
		return s.api.GetHoldList(ctx, s.agentID)
	})
	if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.RetCode == codeNoHeldCall {
		return nil, nil
	}
	if err != nil || isNull(result) {
		return nil, err
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(result, &raws); err != nil {
		return nil, &ReplyError{Op: "GetHoldList", AgentID: s.agentID, HTTPStatus: http.StatusOK, Reason: "result is not a list", Err: err}
	}
	calls := make([]HeldCall, len(raws))
	for i, raw := range raws {
		if err := json.Unmarshal(raw, &calls[i]); err != nil {
			return nil, &ReplyError{Op: "GetHoldList", AgentID: s.agentID, HTTPStatus: http.StatusOK, Reason: "held call entry", Err: err}
		}
		calls[i].Raw = raw
	}
	return calls, nil
}

// TransferParams are the fields of a transfer. Only DeviceType is confirmed
// by the vendor page; the rest, and the meaning of Mode, come from client
// code.
type TransferParams struct {
	DeviceType   int    // 1 skill queue, 2 agent, 3 IVR, 4 system access code, 5 external number
	Address      string // target, 1-24 characters
	Mode         int    // 0-4, see the spec
	CallAppData  string // at most 16 KB
	MediaAbility int
	Caller       string // up to 24 digits, "" for none
}

// Transfer transfers the current call. Error 200-012: no call.
//
//	POST /agentgateway/resource/voicecall/{agentid}/transfer
func (s *Session) Transfer(ctx context.Context, p TransferParams) error {
	if err := checkRange("devicetype", p.DeviceType, 1, 5); err != nil {
		return err
	}
	if err := checkChars("address", p.Address, 1, 24, func(b byte) bool { return b > ' ' && b < 0x7f },
		"1-24 printable characters"); err != nil {
		return err
	}
	if err := checkRange("mode", p.Mode, 0, 4); err != nil {
		return err
	}
	if err := checkCallAppData(p.CallAppData); err != nil {
		return err
	}
	if err := checkRange("mediaability", p.MediaAbility, 0, 1<<31-1); err != nil {
		return err
	}
	if err := checkDigits("caller", p.Caller, 0, 24); err != nil {
		return err
	}
	body := generated.TransferRequest{Devicetype: p.DeviceType, Address: p.Address, Mode: p.Mode,
		Callappdata: nonEmpty(p.CallAppData), Caller: nonEmpty(p.Caller)}
	if p.MediaAbility != 0 {
		body.Mediaability = &p.MediaAbility
	}
	_, err := s.call(ctx, "Transfer", func(ctx context.Context) (*http.Response, error) {
		return s.api.Transfer(ctx, s.agentID, body)
	})
	return err
}

// CancelTransfer cancels a transfer in progress (unverified).
//
//	POST /agentgateway/resource/voicecall/{agentid}/canceltransfer
func (s *Session) CancelTransfer(ctx context.Context) error {
	//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
	return s.simple(ctx, "CancelTransfer", s.api.CancelTransfer)
}

// SendDigits sends 1-24 digits (0-9 * #) on the established call
// (two-stage dialling).
//
//	POST /agentgateway/resource/voicecall/{agentid}/seconddialex?number={digits}
func (s *Session) SendDigits(ctx context.Context, digits string) error {
	if err := checkDialString("number", digits); err != nil {
		return err
	}
	params := &generated.SecondDialExParams{Number: digits}
	_, err := s.call(ctx, "SecondDialEx", func(ctx context.Context) (*http.Response, error) {
		return s.api.SecondDialEx(ctx, s.agentID, params)
	})
	return err
}

// SendDigitsLegacy is SendDigits for old gateway builds: 1-24 of 0-9 , % *
// (unverified).
//
//	POST /agentgateway/resource/voicecall/{agentid}/seconddial/{digits}
func (s *Session) SendDigitsLegacy(ctx context.Context, digits string) error {
	if err := checkChars("number", digits, 1, 24, isLegacyDialChar, "1-24 characters of 0-9 , % *"); err != nil {
		return err
	}
	_, err := s.call(ctx, "SecondDial", func(ctx context.Context) (*http.Response, error) {
		//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
		return s.api.SecondDial(ctx, s.agentID, digits)
	})
	return err
}

// JoinConference makes a three-party call with the held call heldCallID.
// Errors 200-010 (no call), 200-011 (no held call).
//
//	POST /agentgateway/resource/voicecall/{agentid}/confjoin
func (s *Session) JoinConference(ctx context.Context, heldCallID, callAppData string) error {
	if err := checkCallID("callid", heldCallID); err != nil {
		return err
	}
	if err := checkCallAppData(callAppData); err != nil {
		return err
	}
	body := generated.ConfJoinRequest{Callid: heldCallID, Callappdata: nonEmpty(callAppData)}
	_, err := s.call(ctx, "ConfJoin", func(ctx context.Context) (*http.Response, error) {
		return s.api.ConfJoin(ctx, s.agentID, body)
	})
	return err
}

// ConnectHold releases the current call and reconnects the held call
// callID (the vendor page is titled "Holding a Call").
//
//	POST /agentgateway/resource/voicecall/{agentid}/connecthold/{callid}
func (s *Session) ConnectHold(ctx context.Context, callID string) error {
	if err := checkCallID("callid", callID); err != nil {
		return err
	}
	_, err := s.call(ctx, "ConnectHold", func(ctx context.Context) (*http.Response, error) {
		return s.api.ConnectHold(ctx, s.agentID, callID)
	})
	return err
}

// Release hangs up the current call. Error 200-017: no call.
//
//	DELETE /agentgateway/resource/voicecall/{agentid}/release
func (s *Session) Release(ctx context.Context) error { return s.simple(ctx, "Release", s.api.Release) }

// ReleaseLegacy is Release on the bare path the vendor keeps for
// compatibility; prefer Release.
//
//	DELETE /agentgateway/resource/voicecall/{agentid}
func (s *Session) ReleaseLegacy(ctx context.Context) error {
	//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
	return s.simple(ctx, "ReleaseLegacy", s.api.ReleaseLegacy)
}

// Disconnect releases the party with the given number (1-24 digits) from
// the last call, in internal help or a three-party call.
//
//	POST /agentgateway/resource/voicecall/{agentid}/disconnect/{number}
func (s *Session) Disconnect(ctx context.Context, number string) error {
	if err := checkDigits("number", number, 1, 24); err != nil {
		return err
	}
	_, err := s.call(ctx, "Disconnect", func(ctx context.Context) (*http.Response, error) {
		return s.api.Disconnect(ctx, s.agentID, number)
	})
	return err
}

// DropCall ends the call callID (unverified).
//
//	POST /agentgateway/resource/voicecall/{agentid}/dropcall/{callid}
func (s *Session) DropCall(ctx context.Context, callID string) error {
	if err := checkCallID("callid", callID); err != nil {
		return err
	}
	_, err := s.call(ctx, "DropCall", func(ctx context.Context) (*http.Response, error) {
		//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
		return s.api.DropCall(ctx, s.agentID, callID)
	})
	return err
}

// PhonePickup takes the agent's phone off hook after
// AgentOther_PhoneAlerting (phone linkage only).
//
//	POST /agentgateway/resource/voicecall/{agentid}/phonepickup
func (s *Session) PhonePickup(ctx context.Context) error {
	return s.simple(ctx, "PhonePickup", s.api.PhonePickup)
}

// PhoneHangup rejects the alerting call (phone linkage only).
//
//	POST /agentgateway/resource/voicecall/{agentid}/phonehangup
func (s *Session) PhoneHangup(ctx context.Context) error {
	return s.simple(ctx, "PhoneHangup", s.api.PhoneHangup)
}

// ReleasePhone puts the agent's phone on hook (unverified).
//
//	DELETE /agentgateway/resource/voicecall/{agentid}/releasephone
func (s *Session) ReleasePhone(ctx context.Context) error {
	//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
	return s.simple(ctx, "ReleasePhone", s.api.ReleasePhone)
}

// MuteVideo stops sending the agent's video (unverified).
//
//	POST /agentgateway/resource/voicecall/{agentid}/beginmutevideo
func (s *Session) MuteVideo(ctx context.Context) error {
	//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
	return s.simple(ctx, "BeginMuteVideo", s.api.BeginMuteVideo)
}

// UnmuteVideo ends MuteVideo (unverified).
//
//	POST /agentgateway/resource/voicecall/{agentid}/endmutevideo
func (s *Session) UnmuteVideo(ctx context.Context) error {
	//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
	return s.simple(ctx, "EndMuteVideo", s.api.EndMuteVideo)
}

// ReportSound plays a voice prompt into the call (unverified; body fields
// unknown, sent as given). Error 200-009: no call.
//
//	POST /agentgateway/resource/voicecall/{agentid}/reportsound
func (s *Session) ReportSound(ctx context.Context, body map[string]any) error {
	if body == nil {
		return &ValidationError{Field: "body", Value: "nil", Rule: "a JSON object"}
	}
	_, err := s.call(ctx, "ReportSound", func(ctx context.Context) (*http.Response, error) {
		//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
		return s.api.ReportSound(ctx, s.agentID, body)
	})
	return err
}

// RequestCall requests the queued call callID (unverified). skillType is 0
// or 1; skillID 0 leaves the skill out.
//
//	POST /agentgateway/resource/voicecall/{agentid}/requestcall/{callid}/{skilltype}[?skillid={skillid}]
func (s *Session) RequestCall(ctx context.Context, callID string, skillType, skillID int) error {
	if err := checkCallID("callid", callID); err != nil {
		return err
	}
	if err := checkRange("skilltype", skillType, 0, 1); err != nil {
		return err
	}
	if err := checkRange("skillid", skillID, 0, 1<<31-1); err != nil {
		return err
	}
	params := &generated.RequestCallParams{}
	if skillID != 0 {
		params.Skillid = &skillID
	}
	_, err := s.call(ctx, "RequestCall", func(ctx context.Context) (*http.Response, error) {
		//lint:ignore SA1019 unverified operations are offered on purpose (see the spec)
		return s.api.RequestCall(ctx, s.agentID, callID, generated.RequestCallParamsSkilltype(skillType), params)
	})
	return err
}

// TransmitConferenceDigits passes the customer's key presses to an IVR in
// a three-party conference (2025 pages; body fields unknown, sent as given).
//
//	POST /agentgateway/resource/voicecall/{agentid}/thirdPartyConfTransmitNum
func (s *Session) TransmitConferenceDigits(ctx context.Context, body map[string]any) error {
	if body == nil {
		return &ValidationError{Field: "body", Value: "nil", Rule: "a JSON object"}
	}
	_, err := s.call(ctx, "ThirdPartyConfTransmitNum", func(ctx context.Context) (*http.Response, error) {
		return s.api.ThirdPartyConfTransmitNum(ctx, s.agentID, body)
	})
	return err
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
