package wrapper

import (
	"errors"
	"strconv"
	"time"
)

// ErrUnknownAgent is an event Route has no session for.
var ErrUnknownAgent = errors.New("agentgateway: no routed session for the event's agent")

// Route hands ev to the waiters (PickUp) of the session of its workNo among
// the sessions the client tracks for routing: push-mode sessions from
// SignIn or Restore, and those given to Track. It is the one way events
// reach a session not fed by its own Poll: PushHandler uses it, and so can
// any fan-in source (a poll of every agent's events, a Redis stream).
// An event without a workNo, or for an agent without a routed session, is
// an error matching ErrUnknownAgent.
func (c *Client) Route(ev Event) error {
	s := c.routed(ev.Agent())
	if s == nil {
		return &routeError{workNo: ev.Agent()}
	}
	return s.Deliver(ev)
}

type routeError struct{ workNo string }

func (e *routeError) Error() string {
	return ErrUnknownAgent.Error() + " (workNo " + strconv.Quote(e.workNo) + ")"
}
func (e *routeError) Unwrap() error { return ErrUnknownAgent }

// Track makes Route deliver s's agent's events to s, replacing an older
// session of the same agent, and lets PickUp run on s without a Poll. A
// session stops being routed once SignOut or ForceSignOut succeeds or the
// gateway says it is signed out.
func (c *Client) Track(s *Session) {
	c.routeMu.Lock()
	defer c.routeMu.Unlock()
	if c.routes == nil {
		c.routes = make(map[string]*Session)
	}
	s.subsMu.Lock()
	s.fed = true
	s.subsMu.Unlock()
	c.routes[s.workNo] = s
	if c.beats != nil {
		c.beats.add(s, time.Now().Add(c.beats.interval))
	}
}

func (c *Client) routed(workNo string) *Session {
	c.routeMu.RLock()
	defer c.routeMu.RUnlock()
	return c.routes[workNo]
}

// untrack forgets s, unless a newer session of its agent replaced it.
func (c *Client) untrack(s *Session) {
	c.routeMu.Lock()
	defer c.routeMu.Unlock()
	if c.routes[s.workNo] == s {
		delete(c.routes, s.workNo)
	}
}
