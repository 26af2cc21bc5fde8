// Package fleet runs many agents' sessions from one process: it routes
// events that arrive for many agents at once (push mode's callback, the
// all-agent poll, a relay such as a Redis stream) to each agent's session,
// so that PickUp and every event waiter work there, and sends the
// heartbeats of every push-mode session from one goroutine.
package fleet

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/poll"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// ErrUnknownAgent is an event Route has no session for.
var ErrUnknownAgent = errors.New("agentgateway: no routed session for the event's agent")

// Fleet routes events to the sessions it tracks, one per agent. It is safe
// for concurrent use.
type Fleet struct {
	c      *wrapper.Client
	mu     sync.RWMutex
	routes map[string]*wrapper.Session // by workNo
	beats  *beats                      // KeepAliveAll's schedule, while it runs
}

// New returns a fleet of c's sessions, tracking none yet.
func New(c *wrapper.Client) *Fleet { return &Fleet{c: c, routes: map[string]*wrapper.Session{}} }

// Track makes Route deliver s's agent's events to s, replacing an older
// session of the same agent, and lets PickUp run on s without a Poll
// (wrapper.Session.UseDeliver). A push-mode session joins a running
// KeepAliveAll. A session leaves the fleet when it ends (Done).
func (f *Fleet) Track(s *wrapper.Session) {
	s.UseDeliver()
	workNo := strconv.Itoa(s.AgentID())
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[workNo] = s
	if f.beats != nil {
		f.beats.add(s, time.Now().Add(f.beats.interval))
	}
}

// Session returns the tracked live session of workNo, or nil.
func (f *Fleet) Session(workNo string) *wrapper.Session {
	f.mu.RLock()
	s := f.routes[workNo]
	f.mu.RUnlock()
	if s == nil {
		return nil
	}
	select {
	case <-s.Done():
		f.forget(s)
		return nil
	default:
		return s
	}
}

// forget drops s, unless a newer session of its agent replaced it.
func (f *Fleet) forget(s *wrapper.Session) {
	workNo := strconv.Itoa(s.AgentID())
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.routes[workNo] == s {
		delete(f.routes, workNo)
	}
}

// Route hands ev to the waiters (PickUp) of the tracked session of its
// workNo. An event without a workNo, or for an agent without a live tracked
// session, is an error matching ErrUnknownAgent.
func (f *Fleet) Route(ev wrapper.Event) error {
	s := f.Session(ev.Agent())
	if s == nil {
		return &routeError{workNo: ev.Agent()}
	}
	return s.Deliver(ev)
}

// PollAllAgents long-polls the events of every agent on the gateway node in
// one request per round (PollAllAgentEvents, the gateway's
// GET_EVENT_MODE=2) and routes each to its session; handle, if not nil,
// sees every event first. The rules are wrapper.Session.Poll's: it returns
// when ctx ends, when handle returns an error, or when the gateway ends
// the session (ErrNotSignedIn: 100-006, 105-005..007; or MaxNoRight 000-003 replies in a row); failures
// are retried after a jittered backoff; an event for an agent without a
// tracked session goes to opts.OnError as ErrUnknownAgent.
func (f *Fleet) PollAllAgents(ctx context.Context, handle func(wrapper.Event) error, opts wrapper.PollOptions) error {
	fetch := func(ctx context.Context) ([]wrapper.Event, error) {
		return f.c.PollAllAgentEvents(ctx, nil)
	}
	deliver := func(ev wrapper.Event) (skipped, fatal error) {
		if handle != nil {
			if err := handle(ev); err != nil {
				return nil, err
			}
		}
		return f.Route(ev), nil
	}
	return poll.Loop(ctx, opts, fetch, deliver, func(err error) error { return err })
}

type routeError struct{ workNo string }

func (e *routeError) Error() string {
	return ErrUnknownAgent.Error() + " (workNo " + strconv.Quote(e.workNo) + ")"
}
func (e *routeError) Unwrap() error { return ErrUnknownAgent }
