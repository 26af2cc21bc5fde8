package agwtest

import (
	"context"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// callStats counts an agent's calls on one day of the fake's clock, for
// GetCallStatisticsEx. Guarded by Gateway.mu.
type callStats struct {
	day      string        // the date counted, "20060102"
	answered int           // calls that rang at the agent and were answered
	callouts int           // Callout requests
	talk     time.Duration // time spent talking, up to the current talk
	since    time.Time     // while talking: when the talk began, or the day did
}

// statsOf returns a's counts for today, starting them afresh on a new day
// (a talk under way counts from midnight). Call with g.mu held.
func (g *Gateway) statsOf(a *agent) *callStats {
	s := &a.desk.stats
	now := g.cfg.now()
	if day := now.Format("20060102"); s.day != day {
		talking := !s.since.IsZero()
		*s = callStats{day: day}
		if talking {
			y, m, d := now.Date()
			s.since = time.Date(y, m, d, 0, 0, 0, 0, now.Location())
		}
	}
	return s
}

// countTalk adds a's time in StateTalking as the state changes. Call with
// g.mu held.
func (g *Gateway) countTalk(a *agent, from, to State) {
	switch {
	case from != StateTalking && to == StateTalking:
		g.statsOf(a).since = g.cfg.now()
	case from == StateTalking && to != StateTalking:
		s := g.statsOf(a)
		if !s.since.IsZero() {
			s.talk += g.cfg.now().Sub(s.since)
		}
		s.since = time.Time{}
	}
}

// callStatistics answers the agent's counts for today: seconds talking
// (the current talk included), calls answered and callouts made.
func (g *Gateway) callStatistics(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		s := g.statsOf(a)
		talk := s.talk
		if !s.since.IsZero() {
			talk += g.cfg.now().Sub(s.since)
		}
		return successWith(generated.CallStatisticsEx{
			Talktime: ptr(int64(talk / time.Second)), Answernums: ptr(s.answered), Calloutnums: ptr(s.callouts),
		})
	})
}
