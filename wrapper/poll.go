package wrapper

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/transport"
)

// PollOptions tune Poll. The zero value gives the defaults.
type PollOptions struct {
	// IdleDelay is the pause after a reply without an event (default
	// 200 ms, the vendor's advice). After an event the next poll is sent at
	// once so queued events drain quickly.
	IdleDelay time.Duration
	// MinBackoff and MaxBackoff bound the pause after a failed poll
	// (defaults 250 ms and 10 s); each pause is drawn at random up to an
	// exponentially growing cap (jitter keeps many agents from retrying in
	// step after a gateway restart).
	MinBackoff, MaxBackoff time.Duration
	// MaxNoRight ends the poll after this many 000-003 replies in a row
	// (default 5, as the vendor demo does).
	MaxNoRight int
	// OnError, if set, is told of every failed poll that Poll survives.
	OnError func(error)
}

func (o *PollOptions) withDefaults() {
	if o.IdleDelay <= 0 {
		o.IdleDelay = 200 * time.Millisecond
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 250 * time.Millisecond
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(10*time.Second, o.MinBackoff)
	}
	if o.MaxNoRight <= 0 {
		o.MaxNoRight = 5
	}
}

// Poll long-polls the agent's events and calls handle for each, in order,
// until ctx ends (it returns ctx's error), handle returns an error (it
// returns that), SignOut or ForceSignOut on the session succeeds (it
// returns nil), or the session ends otherwise: 100-006, or MaxNoRight
// 000-003 replies in a row, return an *APIError matching ErrNotSignedIn.
//
// Only the session's own events reach handle (and PickUp): an event whose
// workNo names another agent is dropped and reported to OnError as
// ErrOtherAgentEvent; one without a workNo is the agent's.
//
// Transport errors and unreadable replies are retried with jittered
// backoff: this GET is the only request the package ever repeats. A Guid
// rotated by the gateway (Set-GUID on a poll reply) is used from the next
// request on. At most one Poll runs per session.
//
//	GET /agentgateway/resource/agentevent/{agentid}
func (s *Session) Poll(ctx context.Context, handle func(Event) error, opts PollOptions) error {
	if err := s.claimPoll(handle); err != nil {
		return err
	}
	defer s.releasePoll()
	return s.pollLoop(ctx, handle, opts)
}

// PollInBackground runs Poll in a new goroutine. When it returns without
// error the poll is already registered, so PickUp may follow at once; the
// channel receives Poll's result.
func (s *Session) PollInBackground(ctx context.Context, handle func(Event) error, opts PollOptions) (<-chan error, error) {
	if err := s.claimPoll(handle); err != nil {
		return nil, err
	}
	done := make(chan error, 1)
	go func() {
		err := s.pollLoop(ctx, handle, opts)
		s.releasePoll()
		done <- err
	}()
	return done, nil
}

func (s *Session) claimPoll(handle func(Event) error) error {
	if handle == nil {
		return &ValidationError{Field: "handle", Value: "nil", Rule: "a function"}
	}
	s.subsMu.Lock()
	defer s.subsMu.Unlock()
	if s.pollDone != nil {
		return ErrAlreadyPolling
	}
	s.pollDone = make(chan struct{})
	return nil
}

// releasePoll marks the poll ended, which also ends PickUp waits.
func (s *Session) releasePoll() {
	s.subsMu.Lock()
	close(s.pollDone)
	s.pollDone = nil
	s.subsMu.Unlock()
}

// errSignedOut ends a Poll whose session signed out.
var errSignedOut = errors.New("agentgateway: signed out")

func (s *Session) pollLoop(ctx context.Context, handle func(Event) error, opts PollOptions) error {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	// A sign-out ends the poll, even one waiting for a reply.
	defer context.AfterFunc(s.ended, func() { stop(errSignedOut) })()
	return longPoll(ctx, opts, s.pollOnce, func(ev Event) (skipped, fatal error) {
		if err := s.deliver(ctx, ev); err != nil {
			return err, nil
		}
		return nil, handle(ev)
	}, func(err error) error {
		s.gone()
		return s.unlessSignedOut(err)
	})
}

// longPoll is the loop of Poll and PollAllAgents: fetch until ctx ends,
// deliver fails, or the gateway ends the session (100-006, or MaxNoRight
// 000-003 replies in a row: final says what the poll returns then);
// failures are retried after a jittered backoff. An event deliver skips
// is reported to OnError; its fatal error ends the poll.
func longPoll(ctx context.Context, opts PollOptions, fetch func(context.Context, []Event) ([]Event, error),
	deliver func(Event) (skipped, fatal error), final func(error) error) error {
	opts.withDefaults()
	report := func(err error) {
		if opts.OnError != nil {
			opts.OnError(err)
		}
	}
	var (
		events   []Event
		failures int // consecutive failed polls, for the backoff
		noRight  int // consecutive 000-003 replies
	)
	for {
		if ctx.Err() != nil {
			return pollEnd(ctx)
		}
		var err error
		events, err = fetch(ctx, events[:0])
		if err != nil {
			if ctx.Err() != nil {
				return pollEnd(ctx)
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				switch apiErr.RetCode {
				case "100-006":
					return final(err)
				case "000-003":
					if noRight++; noRight >= opts.MaxNoRight {
						return final(err)
					}
				}
			}
			report(err)
			failures++
			if !sleep(ctx, backoff(failures, opts.MinBackoff, opts.MaxBackoff)) {
				return pollEnd(ctx)
			}
			continue
		}
		failures, noRight = 0, 0
		for _, ev := range events {
			skipped, fatal := deliver(ev)
			if fatal != nil {
				return fatal
			}
			if skipped != nil {
				report(skipped)
			}
		}
		if len(events) == 0 && !sleep(ctx, opts.IdleDelay) {
			return pollEnd(ctx)
		}
	}
}

// pollEnd is the error a Poll ends with when ctx ended: none when the
// session's own sign-out ended it.
func pollEnd(ctx context.Context) error {
	if context.Cause(ctx) == errSignedOut {
		return nil
	}
	return ctx.Err()
}

// ownEvent reports whether ev is for the session's agent; an event with no
// workNo is.
func (s *Session) ownEvent(ev Event) bool { a := ev.Agent(); return a == "" || a == s.workNo }

// pollOnce sends one event poll and decodes its reply into dst.
func (s *Session) pollOnce(ctx context.Context, dst []Event) ([]Event, error) {
	return s.fetchEvents(ctx, dst, "PollEvent", func(ctx context.Context) (*http.Response, error) {
		return s.api.PollEvent(transport.MayFailOver(ctx), s.agentID, &generated.PollEventParams{})
	})
}

// fetchEvents sends one event poll, under the poll timeout, and decodes
// its reply into dst.
func (s *Session) fetchEvents(ctx context.Context, dst []Event, op string, send sendFunc) ([]Event, error) {
	start := time.Now()
	r, err := s.exchange(ctx, op, s.c.cfg.pollTimeout, nil, send)
	if err != nil {
		s.logCall(ctx, op, 0, start, err)
		return dst, err
	}
	dst, err = r.Events(dst)
	s.logCall(ctx, op, r.Status(), start, err)
	r.Release()
	return dst, err
}

// backoff returns a random pause in [min/2, cap], where cap doubles with
// each failure up to hi.
func backoff(failures int, lo, hi time.Duration) time.Duration {
	ceiling := lo
	for i := 1; i < failures && ceiling < hi; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, hi)
	return lo/2 + rand.N(ceiling-lo/2+1)
}

// sleep waits d or until ctx ends; it reports whether the wait completed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// subscription receives the session's events while a helper (PickUp)
// waits for them.
type subscription struct {
	ch       chan Event
	done     chan struct{} // closed by unsubscribe
	pollDone <-chan struct{}
}

// subscribe registers a subscription with the running Poll (or, for a
// session fed by Deliver, with Deliver), or returns ErrNotPolling.
func (s *Session) subscribe() (*subscription, error) {
	s.subsMu.Lock()
	defer s.subsMu.Unlock()
	if s.pollDone == nil && !s.fed {
		return nil, ErrNotPolling
	}
	sub := &subscription{ch: make(chan Event, 16), done: make(chan struct{}), pollDone: s.pollDone}
	if s.subs == nil {
		s.subs = map[*subscription]struct{}{}
	}
	s.subs[sub] = struct{}{}
	return sub, nil
}

func (s *Session) unsubscribe(sub *subscription) {
	s.subsMu.Lock()
	delete(s.subs, sub)
	s.subsMu.Unlock()
	close(sub.done)
}

// publish hands ev to every subscriber, waiting for each (no event is
// dropped) unless it has gone or the poll is ending.
func (s *Session) publish(ctx context.Context, ev Event) {
	s.subsMu.Lock()
	if len(s.subs) == 0 {
		s.subsMu.Unlock()
		return
	}
	subs := make([]*subscription, 0, len(s.subs))
	for sub := range s.subs {
		subs = append(subs, sub)
	}
	s.subsMu.Unlock()
	for _, sub := range subs {
		select {
		case sub.ch <- ev:
		case <-sub.done:
		case <-ctx.Done():
		}
	}
}

// UseDeliver says the session's events come through Deliver (from a poll of
// all agents, a relay), so PickUp waits for them without a Poll. Push-mode
// sessions need not say so.
func (s *Session) UseDeliver() {
	s.subsMu.Lock()
	s.fed = true
	s.subsMu.Unlock()
}

// Deliver hands an event received outside Poll to the session's waiters
// (PickUp). An event whose workNo names another agent is dropped: Deliver
// returns ErrOtherAgentEvent.
func (s *Session) Deliver(ev Event) error { return s.deliver(context.Background(), ev) }

// deliver is the one way an event reaches a session's waiters, from its
// own Poll or from Deliver.
func (s *Session) deliver(ctx context.Context, ev Event) error {
	if !s.ownEvent(ev) {
		return fmt.Errorf("%w (session of agent %d)", ErrOtherAgentEvent, s.agentID)
	}
	s.publish(ctx, ev)
	return nil
}
