package redisstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
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
	Poll     wrapper.PollOptions // for each Session.Poll
	// OnError, if set, is told of each failure Run survives (an *Error
	// naming the agent): a Redis call that failed (a renewal, an append's
	// first try, a lease or session not read), a lease lost, a session
	// lost with Redis's data (ErrSessionLost). Run's goroutines call it,
	// perhaps at once: it must be safe for concurrent use.
	OnError func(agent int, err error)
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
	ttl := p.LeaseTTL
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	r := &run{Poller: p, agent: agent, ttl: ttl, owner: newName()}
	r.losses, _ = p.Store.lossCount()
	for fails := 0; ; {
		if err := ctx.Err(); err != nil {
			return err
		}
		_ = p.Store.flush(ctx) // sessions this process holds that Redis lacks
		sent := time.Now()     // the lease counts from here, by this process's clock
		actx, cancel := context.WithDeadline(ctx, sent.Add(ttl-leaseMargin(ttl)))
		l, err := p.Store.Acquire(actx, agent, r.owner, ttl)
		cancel()
		if err == nil {
			err = r.serve(ctx, l, sent)
		}
		wait := ttl / 4 // the holder may be dead: try again
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err == nil || errors.Is(err, wrapper.ErrNotSignedIn):
			return err
		case errors.Is(err, ErrLeaseHeld):
			fails = 0 // Redis answers
		case errors.Is(err, ErrNoSession):
			n, at := p.Store.lossCount()
			if n == r.losses {
				return err // deleted, not lost
			}
			if time.Since(at) >= ttl && r.reported != n {
				r.reported = n
				p.report(agent, opError(agent, "load session", ErrSessionLost))
			}
			fails++
			wait = backoff(fails, ttl)
		case errors.Is(err, ErrLeaseLost):
			p.report(agent, err)
			fails, wait = 0, 0 // at once: Redis may be back
		default:
			p.report(agent, err)
			fails++
			wait = backoff(fails, ttl)
		}
		if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
		}
	}
}

func (p *Poller) report(agent int, err error) {
	if p.OnError != nil {
		p.OnError(agent, opError(agent, "poll", err))
	}
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

// run is one Run's state across its leases.
type run struct {
	*Poller
	agent    int
	ttl      time.Duration
	owner    string // this Run, to Acquire
	seq      int64  // entries appended, numbered across leases (Append's seq)
	losses   uint64 // the Store's losses of data when the session was last loaded
	reported uint64 // the loss whose lost session OnError heard of
}

// serve polls under lease l, acquired by a request sent at sent, until the
// poll ends. It sends no poll, append or call once the lease may have
// expired (a margin before): a watchdog cancels the poll in flight then,
// and every Redis call is bounded by that moment.
func (r *run) serve(ctx context.Context, l Lease, sent time.Time) error {
	ttl, bg := r.ttl, context.WithoutCancel(ctx)
	var mu sync.Mutex
	held := sent.Add(ttl - leaseMargin(ttl)) // until when the lease surely holds
	lctx, cancel := context.WithDeadline(ctx, held)
	st, err := r.Store.load(lctx, l.Agent)
	cancel()
	var s *wrapper.Session
	if err == nil {
		r.losses, _ = r.Store.lossCount()
		r.Store.hold(st)
		s, err = r.Client.Restore(st.SessionState)
	}
	if err != nil {
		rctx, cancel := context.WithTimeout(bg, time.Second)
		_ = r.Store.Release(rctx, l)
		cancel()
		return err
	}
	pctx, stop := context.WithCancelCause(ctx)
	watchdog := time.AfterFunc(time.Until(held), func() { stop(fmt.Errorf("%w: its time ran out", ErrLeaseLost)) })
	defer watchdog.Stop()
	var wg sync.WaitGroup
	wg.Go(func() { r.renew(pctx, stop, l, &mu, &held, watchdog) })
	appendOnce := func(add func(ctx context.Context, seq int64) error) error {
		r.seq++ // on the handler's goroutine: events and gaps in order
		seq := r.seq
		return r.retry(pctx, func(ctx context.Context) error { return add(ctx, seq) }, &mu, &held)
	}
	opts := r.Poll
	opts.OnGap = func(g wrapper.Gap) { // in order with the events: a gap entry precedes the next ones
		if err := appendOnce(func(ctx context.Context, seq int64) error { _, err := r.Store.AppendGap(ctx, l, seq, g); return err }); err != nil {
			stop(err)
		}
		if r.Poll.OnGap != nil {
			r.Poll.OnGap(g)
		}
	}
	err = s.Poll(pctx, func(ev wrapper.Event) error {
		return appendOnce(func(ctx context.Context, seq int64) error { _, err := r.Store.Append(ctx, l, seq, ev); return err })
	}, opts)
	stop(nil)
	wg.Wait()
	if cause := context.Cause(pctx); errors.Is(err, ErrLeaseLost) || errors.Is(cause, ErrLeaseLost) {
		r.Store.touch(s.State())
		if !errors.Is(err, ErrLeaseLost) {
			err = cause
		}
		return err
	}
	if errors.Is(err, wrapper.ErrNotSignedIn) {
		_ = r.Store.DeleteState(bg, s.State())
	} else {
		r.Store.touch(s.State())
	}
	rctx, cancel := context.WithTimeout(bg, time.Second)
	_ = r.Store.Release(rctx, l)
	cancel()
	return err
}

// renew extends the lease every ttl/3 (ttl/10 after a failure), each
// Renew bounded by the moment the lease may expire; it ends the poll when
// the lease is lost, or when Redis failed for so long that it may have
// expired. A renewal moves the watchdog.
func (r *run) renew(ctx context.Context, stop context.CancelCauseFunc, l Lease, mu *sync.Mutex, held *time.Time, watchdog *time.Timer) {
	ttl := r.ttl
	t := time.NewTimer(ttl / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		start := time.Now()
		mu.Lock()
		rctx, cancel := context.WithDeadline(ctx, *held)
		mu.Unlock()
		err := r.Store.Renew(rctx, l, ttl)
		cancel()
		mu.Lock()
		if err == nil {
			*held = start.Add(ttl - leaseMargin(ttl))
			watchdog.Reset(time.Until(*held))
		}
		expired := time.Now().After(*held)
		mu.Unlock()
		switch {
		case errors.Is(err, ErrLeaseLost):
			stop(err)
			return
		case err != nil && expired:
			stop(fmt.Errorf("%w: %w", ErrLeaseLost, err))
			return
		case err != nil:
			r.report(r.agent, err)
			t.Reset(ttl / 10)
		default:
			t.Reset(ttl / 3)
		}
	}
}

// retry runs an append, retrying Redis while the lease holds; each try is
// bounded by the moment the lease may expire. Append's seq makes a retry
// of an append that landed harmless.
func (r *run) retry(ctx context.Context, appendOnce func(context.Context) error, mu *sync.Mutex, held *time.Time) error {
	for try, pause := 0, 10*time.Millisecond; ; try, pause = try+1, min(2*pause, time.Second) {
		mu.Lock()
		actx, cancel := context.WithDeadline(ctx, *held)
		mu.Unlock()
		err := appendOnce(actx)
		cancel()
		mu.Lock()
		expired := time.Now().After(*held)
		mu.Unlock()
		if err == nil || errors.Is(err, ErrLeaseLost) || expired || ctx.Err() != nil {
			if err != nil && expired && !errors.Is(err, ErrLeaseLost) {
				err = fmt.Errorf("%w: %w", ErrLeaseLost, err)
			}
			return err
		}
		if try == 0 {
			r.report(r.agent, err)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
}
