package wrapper

import (
	"context"
	"net/http"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/poll"
	"github.com/agentgateway-go/agentgateway/transport"
)

// PollAllAgents long-polls the events of every agent on the gateway node in
// one request per round (the gateway's GET_EVENT_MODE=2) and calls handle
// for each; fleet.Fleet.PollAllAgents routes them to their sessions. The
// rules are Poll's: it returns when ctx ends, when handle returns an error,
// or when the gateway ends the session (100-006, or MaxNoRight 000-003
// replies in a row); failures are retried after a jittered backoff.
//
//	GET /agentgateway/resource/agentevent/allagentevent
func (c *Client) PollAllAgents(ctx context.Context, handle func(Event) error, opts PollOptions) error {
	if handle == nil {
		return &ValidationError{Field: "handle", Value: "nil", Rule: "a function"}
	}
	s := c.anonymous()
	fetch := func(ctx context.Context, dst []Event) ([]Event, error) {
		return s.fetchEvents(ctx, dst, "PollAllAgentEvents", func(ctx context.Context) (*http.Response, error) {
			//lint:ignore SA1019 code-only in the spec, offered on purpose
			return s.api.PollAllAgentEvents(transport.MayFailOver(ctx), &generated.PollAllAgentEventsParams{})
		})
	}
	deliver := func(ev Event) (skipped, fatal error) { return nil, handle(ev) }
	return poll.Loop(ctx, opts, fetch, deliver, func(err error) error { return err })
}
