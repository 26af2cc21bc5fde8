package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/agentgateway-go/agentgateway/flex"
	"github.com/agentgateway-go/agentgateway/generated"
)

// Friendlier names for generated operations: each is the operation itself,
// never a second way to send it.

// Mute is BeginMute.
func (s *Session) Mute(ctx context.Context) error { return s.BeginMute(ctx) }

// Unmute is EndMute.
func (s *Session) Unmute(ctx context.Context) error { return s.EndMute(ctx) }

// Unhold is GetHold: take back a held call.
func (s *Session) Unhold(ctx context.Context, params *generated.GetHoldParams) error {
	return s.GetHold(ctx, params)
}

// SendDigits is SecondDialEx: send DTMF digits in the current call.
func (s *Session) SendDigits(ctx context.Context, digits string) error {
	return s.SecondDialEx(ctx, &generated.SecondDialExParams{Number: digits})
}

// codeNoHeldCall is GetHoldList's "no held call" retcode.
const codeNoHeldCall = "400-003"

// HeldCall is one entry of HeldCalls.
type HeldCall struct {
	CallID flex.String     `json:"callid"`
	Raw    json.RawMessage `json:"-"` // the entry as sent
}

// HeldCalls sends GetHoldList and lists the calls the agent holds. The
// gateway answers 400-003 when there are none; that is an empty list here,
// not an error, since holding nothing is an ordinary state.
//
//	GET /agentgateway/resource/calldata/{agentid}/holdlist
func (s *Session) HeldCalls(ctx context.Context) ([]HeldCall, error) {
	result, err := s.call(ctx, "GetHoldList", func(ctx context.Context) (*http.Response, error) {
		return s.api.GetHoldList(ctx, s.agentID)
	})
	if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.RetCode == codeNoHeldCall {
		return nil, nil
	}
	raws, err := decodeResult[[]json.RawMessage]("GetHoldList", s.agentID, result, err)
	calls := make([]HeldCall, len(raws))
	for i, raw := range raws {
		if err == nil {
			calls[i], err = decodeResult[HeldCall]("GetHoldList", s.agentID, raw, nil)
		}
		calls[i].Raw = raw
	}
	if err != nil {
		return nil, err
	}
	return calls, nil
}
