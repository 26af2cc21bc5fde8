package agwtest

import (
	"cmp"
	"encoding/json"
	"slices"
	"sync"
	"time"
)

// consoleHistory is how many recent events the console replays to a page
// that connects or reconnects.
const consoleHistory = 500

// consoleLog keeps the latest queued events for the console's timeline.
// push feeds it with g.mu held; the console reads it under its own lock,
// so a page never holds up the gateway.
type consoleLog struct {
	mu      sync.Mutex
	seq     uint64
	entries []consoleEntry // oldest first; trimmed to consoleHistory in batches
	wake    chan struct{}  // closed by the next add; nil while no page waits
}

// consoleEntry is one timeline line as the page receives it.
type consoleEntry struct {
	Seq   uint64          `json:"seq"`
	Time  time.Time       `json:"time"`
	Event json.RawMessage `json:"event"` // as queued: {"eventType","workNo","content"}
}

// add records an encoded event and wakes the waiting pages. The channel is
// made only when a page asks for one, so a gateway without a console
// allocates nothing here.
func (l *consoleLog) add(ev json.RawMessage) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	if len(l.entries) >= 2*consoleHistory {
		// Trimming once per consoleHistory events keeps add O(1) amortized.
		l.entries = slices.Clone(l.entries[len(l.entries)-consoleHistory:])
	}
	l.entries = append(l.entries, consoleEntry{Seq: l.seq, Time: time.Now(), Event: ev})
	if l.wake != nil {
		close(l.wake)
		l.wake = nil
	}
}

// since returns the kept entries after seq (at most consoleHistory) and a
// channel closed by the next add.
func (l *consoleLog) since(seq uint64) ([]consoleEntry, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.wake == nil {
		l.wake = make(chan struct{})
	}
	i, _ := slices.BinarySearchFunc(l.entries, seq+1, func(e consoleEntry, s uint64) int { return cmp.Compare(e.Seq, s) })
	i = max(i, len(l.entries)-consoleHistory)
	return slices.Clone(l.entries[i:]), l.wake
}

// consoleCall is a call as the console lists it.
type consoleCall struct {
	ID        string `json:"id"`
	Caller    string `json:"caller"`
	Called    string `json:"called"`
	Agent     int    `json:"agent"`
	Direction string `json:"direction"` // inbound, internal or outbound
	State     string `json:"state"`     // the agent's state while the call is its current one, else "held"
	Muted     bool   `json:"muted"`
}

// consoleState is what the page's tables show. It carries no Guid or
// password: the page is served without authentication.
type consoleState struct {
	Agents          []AgentStatus `json:"agents"`
	Calls           []consoleCall `json:"calls"`
	EventsQueued    int           `json:"eventsQueued"`
	EventsDelivered int           `json:"eventsDelivered"`
}

// consoleSnapshot reads the tables. Agents come from Agents, so whatever
// AgentStatus gains (skills, say) reaches the page unchanged.
func (g *Gateway) consoleSnapshot() consoleState {
	st := consoleState{Calls: []consoleCall{}}
	g.lock()
	for _, c := range g.calls {
		cc := consoleCall{ID: c.ID, Caller: c.Caller, Called: c.Called, Agent: c.Agent,
			Direction: "inbound", State: "held", Muted: c.muted}
		switch {
		case c.Outbound:
			cc.Direction = "outbound"
		case c.Internal:
			cc.Direction = "internal"
		}
		if a := g.agents[c.Agent]; a != nil && a.call == c {
			cc.State = a.state.String()
		}
		st.Calls = append(st.Calls, cc)
	}
	st.EventsQueued, st.EventsDelivered = g.queued, g.sent
	g.mu.Unlock()
	// Call IDs share the gateway's epoch prefix, so the shorter is older.
	slices.SortFunc(st.Calls, func(x, y consoleCall) int {
		return cmp.Or(cmp.Compare(len(x.ID), len(y.ID)), cmp.Compare(x.ID, y.ID))
	})
	st.Agents = g.Agents()
	return st
}
