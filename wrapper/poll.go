package wrapper

import (
	"context"
	"fmt"
	"time"

	"github.com/agentgateway-go/agentgateway/internal/poll"
)

// PollOptions tune Poll and the fleet's all-agent poll. The zero value
// gives the defaults.
type PollOptions struct {
	// IdleDelay is the pause after a reply without an event (default
	// 200 ms, the vendor's advice).
	IdleDelay time.Duration
	// MinBackoff and MaxBackoff bound the jittered pause after a failed
	// poll (defaults 250 ms and 10 s).
	MinBackoff, MaxBackoff time.Duration
	// MaxNoRight ends the poll after this many 000-003 replies in a row
	// (default 5, as the vendor demo does).
	MaxNoRight int
	// OnError, if set, is told of every failed poll the loop survives, and
	// of every event it skipped.
	OnError func(error)
	// OnGap, if set, is told of each gap: wherever the agent's events may
	// have been lost (Gap says why and what is true now), once: before the
	// next poll once the snapshot can be read, at the latest before the
	// next events; on the goroutine and in the order of handle. Without it
	// no snapshot is read and the gap stays pending.
	OnGap func(Gap)
}

// loopOptions are o for poll.Loop; onLost is told of each poll reply lost.
func (o PollOptions) loopOptions(onLost func(error)) poll.Options {
	return poll.Options{IdleDelay: o.IdleDelay, MinBackoff: o.MinBackoff, MaxBackoff: o.MaxBackoff,
		MaxNoRight: o.MaxNoRight, OnError: o.OnError, OnLost: onLost}
}

// Poll long-polls the agent's events (PollEvent, on poll.Loop) and calls
// handle for each, in order, on a goroutine of its own, so that handle may
// wait for later events (PickUp) while Poll fetches them. It runs until
// ctx ends (ctx's error), handle returns an error (that), the session
// signs out (nil), or the gateway ends it: a retcode of ErrNotSignedIn
// (100-006, 105-005..007), or MaxNoRight 000-003 replies in a row (an
// *APIError matching ErrNotSignedIn). Poll returns once handle has seen
// every event fetched. Failures are retried with jittered backoff: this
// GET is the only request ever repeated. An event naming another agent is
// dropped and reported to OnError as ErrOtherAgentEvent. Where events may
// have been lost (Gap), OnGap hears of it before the next events. At most
// one Poll runs per session.
func (s *Session) Poll(ctx context.Context, handle func(Event) error, opts PollOptions) error {
	if err := s.claimPoll(handle); err != nil {
		return err
	}
	defer s.hub.Release()
	return s.pollLoop(s.startPolling(ctx, handle, opts))
}

// PollInBackground runs Poll in the background, registered before it
// returns (PickUp may follow at once); the channel receives Poll's result.
func (s *Session) PollInBackground(ctx context.Context, handle func(Event) error, opts PollOptions) (<-chan error, error) {
	done := make(chan error, 1)
	if _, err := s.StartPoll(ctx, handle, opts, func(err error) { done <- err }); err != nil {
		return nil, err
	}
	return done, nil
}

// StartPoll starts Poll in the background, registered before it returns
// (PickUp may follow at once), and calls done with Poll's result, once;
// stop ends it as ctx ending would (done then gets context.Canceled), so
// that a caller running many needs no context per poll. It is for code
// that runs many agents: while a reply is awaited it holds no goroutine
// but a reader with a small stack, when the client sends through its own
// transport or an *http.Transport without a proxy or a custom TLS dialer
// (otherwise a goroutine runs Poll); a backup gateway is used as Poll
// uses it.
func (s *Session) StartPoll(ctx context.Context, handle func(Event) error, opts PollOptions, done func(error)) (stop func(), err error) {
	if done == nil {
		return nil, &ValidationError{Field: "done", Value: "nil", Rule: "a function"}
	}
	if err := s.claimPoll(handle); err != nil {
		return nil, err
	}
	p := s.startPolling(ctx, handle, opts)
	end := func(err error) {
		s.hub.Release()
		done(err)
	}
	if s.c.parked != nil {
		go s.pollChain(p, end) // a goroutine that ends once the first poll is sent
	} else {
		go func() { end(s.pollLoop(p)) }()
	}
	return func() { p.stop(context.Canceled) }, nil
}

func (s *Session) claimPoll(handle func(Event) error) error {
	if handle == nil {
		return &ValidationError{Field: "handle", Value: "nil", Rule: "a function"}
	}
	if !s.hub.Claim() {
		return ErrAlreadyPolling
	}
	return nil
}

func (s *Session) pollLoop(p *polling) error {
	err := poll.Loop(p.ctx, p.loopOptions(), func(ctx context.Context) ([]Event, error) {
		p.beforeFetch(ctx)
		events, err := s.PollEvent(ctx, nil)
		p.afterFetch(ctx, err)
		return events, err
	}, p.deliver, p.final)
	return p.close(err)
}

// polling is one Poll's state, in its blocking form (poll.Loop) or its
// chained one (poll.Chain).
type polling struct {
	s        *Session
	ctx      context.Context
	stop     context.CancelCauseFunc
	handlers *poll.Handlers
	handle   func(Event) error
	opts     PollOptions
}

func (s *Session) startPolling(ctx context.Context, handle func(Event) error, opts PollOptions) *polling {
	p := &polling{s: s, handle: handle, opts: opts}
	p.ctx, p.stop = context.WithCancelCause(ctx)
	// A sign-out ends the poll, even one waiting for a reply (SignOut
	// calls stopPoll after ending s.ended).
	s.stopPoll.Store(&p.stop)
	if s.ended.Err() != nil {
		p.stop(poll.ErrStopped)
	}
	// handle runs on its own goroutine: it may wait for this poll's later
	// events (PickUp in a handler) while the poll fetches them.
	p.handlers = poll.StartHandlers(p.stop, s.hub.Waiters())
	return p
}

func (p *polling) loopOptions() poll.Options {
	return p.opts.loopOptions(func(error) { p.s.MarkGap(GapReplyLost) })
}

// A gap is reported before the next poll is sent, once its snapshot can
// be read; and at the latest before the next events, then with the
// snapshot's error if it still cannot. OnGap runs on handle's goroutine,
// in order with the events.
func (p *polling) reportGap(ctx context.Context, always bool) {
	if g, ok := p.s.takeGap(ctx, always); ok {
		p.handlers.Run(func() error { p.opts.OnGap(g); return nil })
	}
}

func (p *polling) beforeFetch(ctx context.Context) {
	if p.opts.OnGap != nil {
		p.reportGap(ctx, false)
	}
}

func (p *polling) afterFetch(ctx context.Context, err error) {
	if err == nil && p.opts.OnGap != nil {
		p.reportGap(ctx, true)
	}
}

func (p *polling) deliver(ev Event) (skipped, fatal error) {
	if err := p.s.deliver(p.ctx, ev); err != nil {
		return err, nil
	}
	p.handlers.Run(func() error { return p.handle(ev) })
	return nil, nil
}

func (p *polling) final(err error) error {
	p.s.gone()
	return p.s.unlessSignedOut(err)
}

// close waits for the handler and returns the poll's result.
func (p *polling) close(err error) error {
	herr := p.handlers.Close()
	p.s.stopPoll.CompareAndSwap(&p.stop, nil)
	p.stop(nil)
	if herr != nil {
		return herr
	}
	return err
}

// fetchEvents sends one event poll, under the poll timeout, and decodes
// its events.
func (s *Session) fetchEvents(ctx context.Context, op string, send sendFunc) ([]Event, error) {
	ctx, obs := s.startCall(ctx, op)
	start := time.Now()
	r, err := s.exchange(ctx, op, s.c.cfg.pollTimeout, nil, send)
	return s.fetched(ctx, op, start, obs, r, err)
}

// fetched decodes an event poll's reply, logs and observes the call.
func (s *Session) fetched(ctx context.Context, op string, start time.Time, obs callEnd, r wireReply, err error) ([]Event, error) {
	if err != nil {
		s.logCall(ctx, op, 0, start, err)
		obs.done(0, err)
		return nil, err
	}
	events, err := r.Events(nil)
	s.logCall(ctx, op, r.Status(), start, err)
	obs.done(r.Status(), err)
	r.Release()
	return events, err
}

func init() {
	// Package fleet counts its sessions' waiters in its own (a loop that
	// feeds many sessions runs ahead of its handler while any waits),
	// through internal/poll, so that no exported method carries it.
	poll.CountWaitersIn = func(session any, w *poll.Waiters) {
		if s, ok := session.(*Session); ok && s != nil && w != nil {
			s.hub.CountIn(w)
		}
	}
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
	s.seeEvent(ctx, ev, EventDelivered)
	s.hub.Publish(ctx, ev)
	return nil
}
