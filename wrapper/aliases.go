package wrapper

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Friendlier names of generated operations, never a second way to send one.

// Mute is BeginMute.
func (s *Session) Mute(ctx context.Context) error { return s.BeginMute(ctx) }

// Unmute is EndMute.
func (s *Session) Unmute(ctx context.Context) error { return s.EndMute(ctx) }

// Unhold is GetHold: take back a held call.
func (s *Session) Unhold(ctx context.Context, p *generated.GetHoldParams) error {
	return s.GetHold(ctx, p)
}

// SendDigits is SecondDialEx: send DTMF digits in the current call.
func (s *Session) SendDigits(ctx context.Context, digits string) error {
	return s.SecondDialEx(ctx, &generated.SecondDialExParams{Number: digits})
}

// HeldCalls is GetHoldList: the calls the agent holds (400-003: none).
func (s *Session) HeldCalls(ctx context.Context) (generated.HoldList, error) {
	return s.GetHoldList(ctx)
}
