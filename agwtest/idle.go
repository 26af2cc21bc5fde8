package agwtest

import "time"

// The vendor gateway signs out an agent that has not polled for events (in
// push mode: sent no heartbeat) for two minutes. The fake does the same,
// lazily: nothing runs in the background; every request and test hook first
// ends the sessions whose time is up, so a fake clock (WithClock) drives it
// without any waiting.

// lock takes g.mu and then signs out the agents that have been idle too
// long, ends rests whose time is up, warns and ends agent conferences on
// their clock (agentconf.go) and offers waiting calls to idle agents
// (desk.go), so that whatever follows sees the state the vendor would
// show.
func (g *Gateway) lock() {
	g.mu.Lock()
	g.expireIdle()
	g.endRests()
	g.confTimers()
	g.offerQueued()
}

// expireIdle ends every session that has no poll in progress and has been
// silent for the idle limit. nextExpiry, a lower bound on the earliest
// deadline, keeps the common case to one comparison. Call with g.mu held.
func (g *Gateway) expireIdle() {
	limit := g.cfg.idleSignOut
	if limit <= 0 || g.nextExpiry.IsZero() {
		return
	}
	now := g.cfg.now()
	if now.Before(g.nextExpiry) {
		return
	}
	g.nextExpiry = time.Time{}
	for _, a := range g.agents {
		s := a.sess
		if s == nil || s.polls > 0 {
			continue // a poll in progress is a live agent; its end touches the session
		}
		deadline := s.lastSeen.Add(limit)
		if !now.Before(deadline) {
			g.endSession(a)
			g.idleSignOuts++
			continue
		}
		g.noteDeadline(deadline)
	}
}

// touch records a sign of life (sign-in, a poll starting or ending, a
// heartbeat). Call with g.mu held.
func (g *Gateway) touch(s *session) {
	if g.cfg.idleSignOut <= 0 {
		return
	}
	s.lastSeen = g.cfg.now()
	g.noteDeadline(s.lastSeen.Add(g.cfg.idleSignOut))
}

func (g *Gateway) noteDeadline(t time.Time) {
	if g.nextExpiry.IsZero() || t.Before(g.nextExpiry) {
		g.nextExpiry = t
	}
}
