package wrapper

import "github.com/agentgateway-go/agentgateway/reply"

// Event is one agent event (see reply.Event): Agent names its agent and
// Decode gives its content as the generated model the spec names.
type Event = reply.Event

// DecodeEventReply decodes one event-poll reply body: its events, or the
// *APIError its retcode stands for; for events relayed from elsewhere.
func DecodeEventReply(body []byte) ([]Event, error) { return reply.DecodeEventReply(body) }
