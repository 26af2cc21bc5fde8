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

// KeepAlive sends a Heartbeat every interval until ctx ends (it returns
// ctx's error), SignOut or ForceSignOut on the session succeeds (it
// returns nil) or the gateway says the session is gone (it returns an
// error matching ErrNotSignedIn). Push-mode sessions need it: the gateway
// signs out an agent without a heartbeat for two minutes; the vendor asks
// for one about every 30 s. Polling sessions do not need it.
//
// Any other failure goes to onError, if set, and the next heartbeat comes
// on schedule: none is sent early or twice. interval must be positive and
// under two minutes; serviceToken is Handshake's service_token ("" for none). Both are checked
// before anything is sent.
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

// HeartbeatParams checks the arguments of KeepAlive (and of
// fleet.Fleet.KeepAliveAll) and returns the Handshake parameters.
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
