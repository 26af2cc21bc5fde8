package agwtest

import (
	"cmp"
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

// allAgentBatch bounds the events of one all-agent reply (each about
// 200-400 bytes, so a reply stays far under a client's 1 MiB limit); the
// rest wait for the next poll.
const allAgentBatch = 500

// allAgentEvents answers, without waiting, up to allAgentBatch (a test may set less) queued
// events of the polling agents as one array, each agent's oldest first,
// by agent ID from where the last full reply stopped (so that no agent
// waits behind others for long). Each such poll also counts as a sign of
// life of every polling session, since agents served this way do not
// poll themselves.
func (g *Gateway) allAgentEvents() generated.PollAllAgentEvents200JSONResponse {
	if !g.cfg.allAgentEvents {
		msg := "no right: the gateway does not serve the events of all agents"
		return generated.PollAllAgentEvents200JSONResponse{Retcode: generated.RetCodeNoRight, Message: &msg}
	}
	g.lock()
	defer g.mu.Unlock()
	ids := make([]int, 0, len(g.agents))
	for id, a := range g.agents {
		if a.sess != nil && a.sess.push == nil {
			ids = append(ids, id)
			g.touch(a.sess)
		}
	}
	slices.Sort(ids)
	first, _ := slices.BinarySearch(ids, g.allNext)
	batch := cmp.Or(g.cfg.allAgentBatch, allAgentBatch)
	events := []generated.Event{}
	for i := range ids {
		id := ids[(first+i)%len(ids)]
		s := g.agents[id].sess
		take := min(len(s.queue), batch-len(events))
		for _, raw := range s.queue[:take] {
			var ev generated.Event
			if err := json.Unmarshal(raw, &ev); err != nil {
				panic("agwtest: a queued event does not decode: " + err.Error())
			}
			events = append(events, ev)
		}
		g.sent += take
		if s.queue = s.queue[take:]; len(s.queue) == 0 {
			s.queue = nil
		}
		if len(events) == batch {
			g.allNext = id // it may have more
			break
		}
	}
	msg := "success"
	return generated.PollAllAgentEvents200JSONResponse{Retcode: generated.RetCodeSuccess, Message: &msg, Event: &events}
}
