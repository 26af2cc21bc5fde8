package wrapper

import (
	"context"

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

// HeldCalls is GetHoldList: the calls the agent holds, none when the
// gateway answers 400-003 (no held call).
func (s *Session) HeldCalls(ctx context.Context) (generated.HoldList, error) {
	return s.GetHoldList(ctx)
}
