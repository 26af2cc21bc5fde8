package main

import (
	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// The events an agent gets, in order, in each role of a round: ringing
// until the other snatches the call; the pickup, then its release.
var (
	asRinger = []string{"AgentEvent_Ringing", "AgentOther_PhoneRelease"}
	asPicker = []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Talking",
		"AgentEvent_Incoming_CallInfo", "AgentMediaEvent_Record", "AgentEvent_Call_Release", "AgentOther_PhoneRelease"}
)

// expected is agent i's events: the first of a pair rings first.
func expected(i int) []string {
	if i%2 == 0 {
		return append(append([]string(nil), asRinger...), asPicker...)
	}
	return append(append([]string(nil), asPicker...), asRinger...)
}

// countStreams reads the entries the desk read: the events (lost,
// duplicated), the gap entries (silent loss: an event missing with no gap
// entry between the events around it, see explained), and the call a
// desk applying the stream believes in, against the gateway's truth.
func countStreams(entries map[int][]redisstore.StreamEvent, truth []agwtest.AgentStatus, res *result) {
	callOf := map[int]string{}
	for _, a := range truth {
		callOf[a.ID] = a.CallID
	}
	for i := range res.Sessions {
		agent := agentBase + i
		want, counts, got := expected(i), map[string]int{}, map[string]int{}
		for _, typ := range want {
			counts[typ]++
		}
		var view consumerView
		var evs []redisstore.StreamEvent
		for _, ev := range entries[agent] {
			evs = append(evs, ev)
			if ev.Gap != nil {
				res.Gaps++
				view.reset(ev.Gap)
				continue
			}
			res.EventsReceived++
			got[ev.Event.EventType]++
			view.apply(ev.Event)
		}
		for typ, n := range got {
			res.Duplicated += max(n-counts[typ], 0)
		}
		if !explained(want, evs) {
			res.SilentLoss++
		}
		if view.callID != callOf[agent] {
			res.StateMismatch++
		}
	}
}

// explained reports whether evs can be want with events missing only
// where a gap entry stands between the events around them (or after the
// last): it tries every way to place evs in want. An event that fits
// nowhere (a duplicate) is passed over; it is counted elsewhere.
func explained(want []string, evs []redisstore.StreamEvent) bool {
	type state struct {
		next int  // in want: the next event expected
		gap  bool // a gap entry since the last event placed
	}
	states := map[state]bool{{}: true}
	for _, ev := range evs {
		after := map[state]bool{}
		for st := range states {
			if ev.Gap != nil {
				after[state{st.next, true}] = true
				continue
			}
			placed := false
			for j := st.next; j < len(want) && (j == st.next || st.gap); j++ {
				if want[j] == ev.Event.EventType {
					after[state{j + 1, false}], placed = true, true
				}
			}
			if !placed {
				after[st] = true
			}
		}
		states = after
	}
	for st := range states {
		if st.next == len(want) || st.gap {
			return true
		}
	}
	return false
}

// consumerView is what a desk that applies an agent's stream believes:
// the call the agent is in, if any. A gap's snapshot replaces it.
type consumerView struct{ callID string }

func (v *consumerView) reset(g *wrapper.Gap) {
	v.callID = ""
	if g.Snapshot != nil && len(g.Snapshot.Calls) > 0 {
		v.callID = g.Snapshot.Calls[0].CallID
	}
}

func (v *consumerView) apply(ev wrapper.Event) {
	switch ev.EventType {
	case "AgentEvent_Ringing", "AgentEvent_Talking":
		v.callID = ev.CallID()
	case "AgentEvent_Call_Release", "AgentOther_PhoneRelease":
		v.callID = ""
	}
}
