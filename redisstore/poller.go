package redisstore

import (
	"context"
	"errors"
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
	LeaseTTL time.Duration       // default DefaultLeaseTTL
	Poll     wrapper.PollOptions // for each Session.Poll
}

// Run polls agent whenever this process holds its lease, waiting for the
// lease while another process holds it, until ctx ends (the lease is then
// released, and Run returns ctx's error) or the session ends: on
// ErrNotSignedIn the stored session is deleted and the error returned. A
// stored session is needed (ErrNoSession). Each holding of the lease
// restores the session, a gap (wrapper.GapRestored): its gap entry, and
// those of the session's other gaps, go into the stream (AppendGap) before
// the events that follow them, and to Poll.OnGap.
func (p *Poller) Run(ctx context.Context, agent int) error {
	ttl := p.LeaseTTL
	if ttl <= 0 {
		ttl = DefaultLeaseTTL
	}
	for {
		sent := time.Now() // the lease counts from here, by this process's clock
		l, err := p.Store.Acquire(ctx, agent, ttl)
		switch {
		case err == nil:
			err = p.serve(ctx, l, ttl, sent)
			if !errors.Is(err, ErrLeaseLost) {
				return err
			}
		case ctx.Err() != nil:
			return ctx.Err()
		case !errors.Is(err, ErrLeaseHeld):
			return err
		}
		t := time.NewTimer(ttl / 4) // try again; the holder may be dead
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// leaseMargin is how long before the lease may expire, by this process's
// clock, that a poller stops: clocks and the network are not exact.
func leaseMargin(ttl time.Duration) time.Duration { return ttl / 10 }

// serve polls under lease l, acquired by a request sent at sent, until the
// poll ends. It sends no poll, append or call once the lease may have
// expired (a margin before): a watchdog cancels the poll in flight then,
// and every Redis call is bounded by that moment.
func (p *Poller) serve(ctx context.Context, l Lease, ttl time.Duration, sent time.Time) error {
	bg := context.WithoutCancel(ctx)
	st, err := p.Store.LoadState(ctx, l.Agent)
	var s *wrapper.Session
	if err == nil {
		s, err = p.Client.Restore(st)
	}
	if err != nil {
		_ = p.Store.Release(bg, l)
		return err
	}
	pctx, stop := context.WithCancelCause(ctx)
	held := sent.Add(ttl - leaseMargin(ttl)) // until when the lease surely holds
	watchdog := time.AfterFunc(time.Until(held), func() { stop(ErrLeaseLost) })
	defer watchdog.Stop()
	var mu sync.Mutex
	var wg sync.WaitGroup
	wg.Go(func() { p.renew(pctx, stop, l, ttl, &mu, &held, watchdog) })
	opts := p.Poll
	opts.OnGap = func(g wrapper.Gap) { // in order with the events: a gap entry precedes the next ones
		if err := p.retry(pctx, func(ctx context.Context) error { _, err := p.Store.AppendGap(ctx, l, g); return err }, &mu, &held); err != nil {
			stop(err)
		}
		if p.Poll.OnGap != nil {
			p.Poll.OnGap(g)
		}
	}
	err = s.Poll(pctx, func(ev wrapper.Event) error {
		return p.retry(pctx, func(ctx context.Context) error { _, err := p.Store.Append(ctx, l, ev); return err }, &mu, &held)
	}, opts)
	stop(nil)
	wg.Wait()
	switch {
	case errors.Is(err, ErrLeaseLost) || errors.Is(context.Cause(pctx), ErrLeaseLost):
		return ErrLeaseLost
	case errors.Is(err, wrapper.ErrNotSignedIn):
		_ = p.Store.DeleteState(bg, s.State())
	}
	rctx, cancel := context.WithTimeout(bg, time.Second)
	_ = p.Store.Release(rctx, l)
	cancel()
	return err
}

// renew extends the lease every ttl/3, each Renew bounded by the moment the
// lease may expire; it ends the poll when the lease is lost, or when Redis
// failed for so long that it may have expired. A renewal moves the
// watchdog.
func (p *Poller) renew(ctx context.Context, stop context.CancelCauseFunc, l Lease, ttl time.Duration, mu *sync.Mutex, held *time.Time, watchdog *time.Timer) {
	tick := time.NewTicker(ttl / 3)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		start := time.Now()
		mu.Lock()
		rctx, cancel := context.WithDeadline(ctx, *held)
		mu.Unlock()
		err := p.Store.Renew(rctx, l, ttl)
		cancel()
		mu.Lock()
		if err == nil {
			*held = start.Add(ttl - leaseMargin(ttl))
			watchdog.Reset(time.Until(*held))
		}
		expired := time.Now().After(*held)
		mu.Unlock()
		if errors.Is(err, ErrLeaseLost) || expired {
			stop(ErrLeaseLost)
			return
		}
	}
}

// retry runs an append, retrying Redis while the lease holds; each try is
// bounded by the moment the lease may expire.
func (p *Poller) retry(ctx context.Context, appendOnce func(context.Context) error, mu *sync.Mutex, held *time.Time) error {
	for pause := 10 * time.Millisecond; ; pause = min(2*pause, time.Second) {
		mu.Lock()
		actx, cancel := context.WithDeadline(ctx, *held)
		mu.Unlock()
		err := appendOnce(actx)
		cancel()
		mu.Lock()
		expired := time.Now().After(*held)
		mu.Unlock()
		if err == nil || errors.Is(err, ErrLeaseLost) || expired || ctx.Err() != nil {
			if err != nil && expired {
				err = ErrLeaseLost
			}
			return err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
}
