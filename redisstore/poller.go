package redisstore

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// DefaultLeaseTTL is how long a lease lasts without renewal: how long an
// agent goes unpolled after its poller dies. Keep it well under the
// gateway's two-minute idle sign-out.
const DefaultLeaseTTL = 10 * time.Second

// Poller polls agents whose sessions are stored, one process per agent at
// a time, and appends their events to the agents' streams. Build Client
// with wrapper.WithStateHook(Store.Hook(...)) so that Guid rotations
// reach Redis.
type Poller struct {
	Store    *Store
	Client   *wrapper.Client
	LeaseTTL time.Duration       // default DefaultLeaseTTL; the same in every process
	Poll     wrapper.PollOptions // for each agent's Session.StartPoll
	// OnError, if set, is told of each failure the poller survives (an
	// *Error naming the agent): a Redis call that failed (a renewal, an
	// append's first try, a lease or session not read), a lease lost, a
	// session lost with Redis's data (ErrSessionLost). The poller's
	// goroutines call it, perhaps at once: it must be safe for concurrent
	// use.
	OnError func(agent int, err error)
	// OnEnd, if set, is told when RunAgents stops polling an agent before
	// its context ends, with the error Run would return for it:
	// ErrNotSignedIn (its stored session is deleted) or ErrNoSession.
	OnEnd func(agent int, err error)
}

// Run polls agent whenever this process holds its lease, waiting for the
// lease while another process holds it, until ctx ends (the lease is then
// released, and Run returns ctx's error) or the session ends: on
// ErrNotSignedIn the stored session is deleted and the error returned.
// Redis failures never end it: it tries again with jittered backoff (at
// most a quarter of the lease time), telling OnError. A missing session
// ends it (ErrNoSession: signed out, never signed in, Forget) unless
// Redis lost its data since Run last loaded it; then Run waits for a
// process that holds it to write it again (Check), and tells OnError of
// ErrSessionLost if none has after a lease time. Each holding of the
// lease restores the session, a gap (wrapper.GapRestored): its gap entry,
// and those of the session's other gaps, go into the stream before the
// events that follow them, and to Poll.OnGap.
func (p *Poller) Run(ctx context.Context, agent int) error {
	var ended error
	n := p.newNode(func(_ int, err error) { ended = err })
	if err := n.run(ctx, []int{agent}); err != nil {
		return err
	}
	return ended
}

// RunAgents is Run for many agents at once, until ctx ends (it returns
// ctx's error once every poll has ended and its lease is released) or
// every agent's session ended (nil; OnEnd heard of each). One goroutine
// asks for the leases of the agents this process does not hold, and one
// renews those it holds, so an agent waiting for its lease costs no
// goroutine, and a polled one what its Session.StartPoll costs: nothing
// but a small reader while a reply is awaited, with the library's own
// transport. A process can thus stand by for thousands of agents that
// other processes poll. Agents listed twice are polled once.
func (p *Poller) RunAgents(ctx context.Context, agents []int) error {
	return p.newNode(p.OnEnd).run(ctx, agents)
}

func (p *Poller) report(agent int, err error) {
	if p.OnError != nil {
		p.OnError(agent, opError(agent, "poll", err))
	}
}

func (p *Poller) leaseTTL() time.Duration {
	if p.LeaseTTL <= 0 {
		return DefaultLeaseTTL
	}
	return p.LeaseTTL
}

// next judges how a holding of agent a ended (or why it was not had): the
// pause before asking for its lease again, or that the agent is done
// (with the error Run returns for it).
func (a *agentRun) next(err error) (wait time.Duration, done bool) {
	ttl := a.ttl
	switch {
	case err == nil || errors.Is(err, wrapper.ErrNotSignedIn):
		return 0, true
	case errors.Is(err, ErrLeaseHeld):
		a.fails = 0 // Redis answers; the holder may die: try again
		return ttl / 4, false
	case errors.Is(err, ErrNoSession):
		n, at := a.Store.lossCount()
		if n == a.losses {
			return 0, true // deleted, not lost
		}
		if time.Since(at) >= ttl && a.reported != n {
			a.reported = n
			a.Poller.report(a.agent, opError(a.agent, "load session", ErrSessionLost))
		}
	case errors.Is(err, ErrLeaseLost):
		a.Poller.report(a.agent, err)
		a.fails = 0
		return 0, false // at once: Redis may be back
	default:
		a.Poller.report(a.agent, err)
	}
	a.fails++
	return backoff(a.fails, ttl), false
}

// backoff is the pause after the n-th failure in a row: doubling from
// 50 ms up to a quarter of the lease time, jittered down by up to half.
func backoff(n int, ttl time.Duration) time.Duration {
	d := min(50*time.Millisecond<<min(n-1, 16), ttl/4)
	return d - rand.N(d/2+1)
}

// leaseMargin is how long before the lease may expire, by this process's
// clock, that a poller stops: clocks and the network are not exact.
func leaseMargin(ttl time.Duration) time.Duration { return ttl / 10 }
