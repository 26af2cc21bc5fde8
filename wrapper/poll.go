package wrapper

import (
	"context"
	"fmt"
	"time"

	"github.com/agentgateway-go/agentgateway/poll"
)

// PollOptions tune Poll (see poll.Options). The zero value gives the defaults.
type PollOptions = poll.Options

// Poll long-polls the agent's events (PollEvent, on poll.Loop) and calls
// handle for each, in order, until ctx ends (ctx's error), handle returns an
// error (that), the session signs out (nil), or the gateway ends it:
// a retcode of ErrNotSignedIn (100-006, 105-005..007), or MaxNoRight 000-003 replies in a row (an *APIError matching
// ErrNotSignedIn). Failures are retried with jittered backoff: this GET is
// the only request ever repeated. An event naming another agent is dropped
// and reported to OnError as ErrOtherAgentEvent. At most one Poll runs per
// session.
func (s *Session) Poll(ctx context.Context, handle func(Event) error, opts PollOptions) error {
	if err := s.claimPoll(handle); err != nil {
		return err
	}
	defer s.hub.Release()
	return s.pollLoop(ctx, handle, opts)
}

// PollInBackground runs Poll in a new goroutine, registered before it
// returns (PickUp may follow at once); the channel receives Poll's result.
func (s *Session) PollInBackground(ctx context.Context, handle func(Event) error, opts PollOptions) (<-chan error, error) {
	if err := s.claimPoll(handle); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() {
		err := s.pollLoop(ctx, handle, opts)
		s.hub.Release()
		done <- err
	}()
	return done, nil
}

func (s *Session) claimPoll(handle func(Event) error) error {
	if handle == nil {
		return &ValidationError{Field: "handle", Value: "nil", Rule: "a function"}
	}
	return s.hub.Claim()
}

func (s *Session) pollLoop(ctx context.Context, handle func(Event) error, opts PollOptions) error {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	// A sign-out ends the poll, even one waiting for a reply.
	defer context.AfterFunc(s.ended, func() { stop(poll.ErrStopped) })()
	fetch := func(ctx context.Context) ([]Event, error) { return s.PollEvent(ctx, nil) }
	return poll.Loop(ctx, opts, fetch, func(ev Event) (skipped, fatal error) {
		if err := s.deliver(ctx, ev); err != nil {
			return err, nil
		}
		return nil, handle(ev)
	}, func(err error) error {
		s.gone()
		return s.unlessSignedOut(err)
	})
}

// fetchEvents sends one event poll, under the poll timeout, and decodes
// its events.
func (s *Session) fetchEvents(ctx context.Context, op string, send sendFunc) ([]Event, error) {
	start := time.Now()
	r, err := s.exchange(ctx, op, s.c.cfg.pollTimeout, nil, send)
	if err != nil {
		s.logCall(ctx, op, 0, start, err)
		return nil, err
	}
	events, err := r.Events(nil)
	s.logCall(ctx, op, r.Status(), start, err)
	r.Release()
	return events, err
}

// UseDeliver says the session's events come through Deliver (the all-agent
// poll, a relay), so PickUp needs no Poll. Push-mode sessions need not say so.
func (s *Session) UseDeliver() { s.hub.Feed() }

// Deliver hands an event received outside Poll to the session's waiters
// (PickUp). An event whose workNo names another agent is dropped: Deliver
// returns ErrOtherAgentEvent.
func (s *Session) Deliver(ev Event) error { return s.deliver(context.Background(), ev) }

// deliver is the one way an event reaches the waiters, from Poll or
// Deliver; an event without a workNo is the agent's.
func (s *Session) deliver(ctx context.Context, ev Event) error {
	if a := ev.Agent(); a != "" && a != s.workNo {
		return fmt.Errorf("%w (session of agent %d)", ErrOtherAgentEvent, s.agentID)
	}
	s.hub.Publish(ctx, ev)
	return nil
}
