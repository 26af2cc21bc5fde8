// Package poll schedules a long poll, without knowing what it fetches: a
// loop that fetches until its context ends, retries failures after a
// jittered exponential backoff and stops when told the session ended
// (Loop, or Chain, the same loop driven by callbacks and timers); and
// Handlers that run a user's handler beside the poll, ahead of it while
// Waiters count a goroutine waiting for later events. Package wrapper
// builds Session.Poll on it, and package fleet its all-agent poll.
package poll

import (
	"context"
	"errors"
	"math/rand/v2"
	"net"
	"time"
)

// Options tune a poll. The zero value gives the defaults.
type Options struct {
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
	// OnError, if set, is told of every failed poll the loop survives, and
	// of every event it skipped.
	OnError func(error)
	// OnLost, if set, is told of every failed poll whose reply may have
	// been lost (MayHaveReached): its events are gone.
	OnLost func(error)
}

func (o *Options) withDefaults() {
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

// The gateway's refusals say what they mean to a poll by matching these
// with errors.Is (the client's *APIError does).
var (
	// ErrRefused: the gateway answered and refused; its envelope carried
	// no event, so nothing was lost.
	ErrRefused = errors.New("agentgateway: refused by the gateway")
	// ErrNoRight: a 000-003 reply; MaxNoRight of them in a row end a poll.
	ErrNoRight = errors.New("agentgateway: no right")
	// ErrEnded: the gateway ended the session; the poll ends.
	ErrEnded = errors.New("agentgateway: session ended by the gateway")
)

// ErrStopped, as the cause of the loop's context (context.WithCancelCause),
// ends Loop without an error: the session was signed out on purpose.
var ErrStopped = errors.New("agentgateway: poll stopped")

// Loop fetches until ctx ends (it returns ctx's error, or nil when its
// cause is ErrStopped), deliver returns a fatal error (it returns that), or
// the gateway ends the session: a failure matching ErrEnded, or MaxNoRight
// matching ErrNoRight in a row (it returns final of that failure). Other
// failures are retried after a jittered backoff; they and the events
// deliver skips go to OnError.
func Loop[E any](ctx context.Context, opts Options, fetch func(context.Context) ([]E, error),
	deliver func(E) (skipped, fatal error), final func(error) error) error {
	s := newStep(opts, deliver, final)
	for {
		if stop, result := s.before(ctx); stop {
			return result
		}
		events, err := fetch(ctx)
		pause, stop, result := s.after(ctx, events, err)
		if stop {
			return result
		}
		if pause > 0 {
			sleep(ctx, pause) // before sees ctx if it ended the pause
		}
	}
}

// step judges each fetch of one poll. Loop and Chain both drive it, so the
// rules live here once; its counters carry from one fetch to the next.
type step[E any] struct {
	opts     Options
	deliver  func(E) (skipped, fatal error)
	final    func(error) error
	failures int // consecutive failed polls, for the backoff
	noRight  int // consecutive 000-003 replies
}

func newStep[E any](opts Options, deliver func(E) (skipped, fatal error), final func(error) error) *step[E] {
	opts.withDefaults()
	return &step[E]{opts: opts, deliver: deliver, final: final}
}

// before reports whether the poll ends instead of fetching (ctx ended),
// and what it returns then.
func (s *step[E]) before(ctx context.Context) (stop bool, result error) {
	if ctx.Err() != nil {
		return true, end(ctx)
	}
	return false, nil
}

// after judges a fetch's reply: it delivers the events, and returns either
// the pause before the next fetch or that the poll ends, with its result.
func (s *step[E]) after(ctx context.Context, events []E, err error) (pause time.Duration, stop bool, result error) {
	if err != nil {
		if ctx.Err() != nil {
			return 0, true, end(ctx)
		}
		switch {
		case errors.Is(err, ErrNoRight):
			if s.noRight++; s.noRight >= s.opts.MaxNoRight {
				return 0, true, s.final(err)
			}
		case errors.Is(err, ErrEnded):
			return 0, true, s.final(err)
		}
		if s.opts.OnLost != nil && MayHaveReached(err) {
			s.opts.OnLost(err)
		}
		s.report(err)
		s.failures++
		return backoff(s.failures, s.opts.MinBackoff, s.opts.MaxBackoff), false, nil
	}
	s.failures, s.noRight = 0, 0
	for _, ev := range events {
		skipped, fatal := s.deliver(ev)
		if fatal != nil {
			return 0, true, fatal
		}
		if skipped != nil {
			s.report(skipped)
		}
	}
	if len(events) == 0 {
		return s.opts.IdleDelay, false, nil
	}
	return 0, false, nil // drain queued events at once
}

func (s *step[E]) report(err error) {
	if s.opts.OnError != nil {
		s.opts.OnError(err)
	}
}

// MayHaveReached reports whether a failed request may have reached the
// gateway: anything but a refusal the gateway wrote (ErrRefused) and a
// connection never made (a dial error), since the gateway may have
// answered what was lost on the way.
func MayHaveReached(err error) bool {
	if errors.Is(err, ErrRefused) {
		return false
	}
	if op, ok := errors.AsType[*net.OpError](err); ok && op.Op == "dial" {
		return false
	}
	return true
}

// end is the error a loop ends with when ctx ended.
func end(ctx context.Context) error {
	if context.Cause(ctx) == ErrStopped {
		return nil
	}
	return ctx.Err()
}

// backoff returns a random pause in [lo/2, cap], where cap doubles with
// each failure up to hi.
func backoff(failures int, lo, hi time.Duration) time.Duration {
	ceiling := lo
	for i := 1; i < failures && ceiling < hi; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, hi)
	return lo/2 + rand.N(ceiling-lo/2+1)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
