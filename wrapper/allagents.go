package wrapper

import (
	"context"
	"net/http"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/transport"
)

// PollAllAgents long-polls the events of every agent on the gateway node in
// one request per round (the gateway's GET_EVENT_MODE=2) and routes each to
// its session with Route, so that PickUp and every event consumer work on
// sessions fed this way (sign them in, or Restore them, and Track them).
// handle, if not nil, sees every event first. The rules are Poll's: it
// returns when ctx ends, when handle returns an error, or when the gateway
// ends the session (100-006, or MaxNoRight 000-003 replies in a row);
// failures are retried after a jittered backoff; an event for an agent
// without a tracked session goes to OnError as ErrUnknownAgent.
//
//	GET /agentgateway/resource/agentevent/allagentevent
func (c *Client) PollAllAgents(ctx context.Context, handle func(Event) error, opts PollOptions) error {
	s := c.anonymous()
	fetch := func(ctx context.Context, dst []Event) ([]Event, error) {
		return s.fetchEvents(ctx, dst, "PollAllAgentEvents", func(ctx context.Context) (*http.Response, error) {
			//lint:ignore SA1019 code-only in the spec, offered on purpose
			return s.api.PollAllAgentEvents(transport.MayFailOver(ctx), &generated.PollAllAgentEventsParams{})
		})
	}
	deliver := func(ev Event) (skipped, fatal error) {
		if handle != nil {
			if err := handle(ev); err != nil {
				return nil, err
			}
		}
		return c.Route(ev), nil
	}
	return longPoll(ctx, opts, fetch, deliver, func(err error) error { return err })
}
