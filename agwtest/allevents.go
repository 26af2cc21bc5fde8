package agwtest

import (
	"encoding/json"
	"slices"

	"github.com/agentgateway-go/agentgateway/generated"
)

// WithAllAgentEvents lets PollAllAgentEvents answer the events of every
// agent, as a gateway configured with GET_EVENT_MODE=2 does; without it
// that operation is refused with 000-003.
func WithAllAgentEvents() Option {
	return func(c *config) { c.allAgentEvents = true }
}

// allAgentEvents answers, without waiting, the queued events of every
// polling agent as one array, by agent ID, each agent's oldest first.
// Each such poll also counts as a sign of life of every polling session,
// since agents served this way do not poll themselves.
func (g *Gateway) allAgentEvents() generated.PollAllAgentEvents200JSONResponse {
	if !g.cfg.allAgentEvents {
		msg := "no right: the gateway does not serve the events of all agents"
		return generated.PollAllAgentEvents200JSONResponse{Retcode: codeNoRight, Message: &msg}
	}
	g.lock()
	defer g.mu.Unlock()
	ids := make([]int, 0, len(g.agents))
	for id, a := range g.agents {
		if a.sess != nil && a.sess.push == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	events := []generated.Event{}
	for _, id := range ids {
		s := g.agents[id].sess
		for _, raw := range s.queue {
			var ev generated.Event
			if err := json.Unmarshal(raw, &ev); err != nil {
				panic("agwtest: a queued event does not decode: " + err.Error())
			}
			events = append(events, ev)
		}
		g.sent += len(s.queue)
		s.queue = nil
		g.touch(s)
	}
	msg := "success"
	return generated.PollAllAgentEvents200JSONResponse{Retcode: codeOK, Message: &msg, Event: &events}
}
