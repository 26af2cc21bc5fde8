package wrapper

import (
	"context"
	"errors"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// idleSignOut is how long the gateway keeps an agent that neither polls nor
// sends heartbeats.
const idleSignOut = 2 * time.Minute

// KeepAlive sends a Handshake every interval (about 30 s, the vendor asks;
// under two minutes, or the gateway signs the agent out) with serviceToken
// ("" for none), both checked first, until ctx ends (ctx's error), the
// session signs out (nil) or the gateway says it is gone (an error matching
// ErrNotSignedIn). Push-mode sessions need it; polling ones do not. Other
// failures go to onError, if set; no heartbeat is sent early or twice.
func (s *Session) KeepAlive(ctx context.Context, serviceToken string, interval time.Duration, onError func(error)) error {
	params, err := s.c.HeartbeatParams(serviceToken, interval)
	if err != nil {
		return err
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.ended.Done():
			return nil
		case <-tick.C:
		}
		err := s.Handshake(ctx, params)
		switch {
		case err == nil:
		case errors.Is(err, ErrNotSignedIn):
			return s.unlessSignedOut(err)
		case ctx.Err() != nil:
			return ctx.Err()
		case onError != nil:
			onError(err)
		}
	}
}

// HeartbeatParams checks KeepAlive's arguments (fleet's KeepAliveAll's
// too) and returns the Handshake parameters.
func (c *Client) HeartbeatParams(serviceToken string, interval time.Duration) (*generated.HandshakeParams, error) {
	if interval <= 0 || interval >= idleSignOut {
		return nil, &ValidationError{Field: "interval", Value: interval.String(), Rule: "more than 0 and less than 2m0s"}
	}
	params := &generated.HandshakeParams{}
	if serviceToken != "" {
		params.ServiceToken = &serviceToken
	}
	return params, c.checkHandshake(params)
}
