package redisstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// agentRun is one agent of a node, across its holdings of the lease.
type agentRun struct {
	*node
	agent    int
	owner    string    // this agent's run, to Acquire
	due      time.Time // when to ask for the lease again (under node.mu)
	fails    int       // failures in a row, for the backoff
	seq      int64     // entries appended, numbered across leases (Append's seq)
	losses   uint64    // the Store's losses of data when the session was last loaded
	reported uint64    // the loss whose lost session OnError heard of
	ended    error     // why the agent is done, once it is
}

// holding is one lease held and the poll under it.
type holding struct {
	*agentRun
	lease   Lease
	renewAt time.Time // when the renew loop renews it (under node.mu)

	mu       sync.Mutex
	held     time.Time   // until when the lease surely holds
	stopPoll func()      // ends the poll (Session.StartPoll's stop)
	watchdog *time.Timer // loses the lease when it may have expired
	cause    error       // why the poll was stopped, or errPollEnded
}

// try asks for the lease and, granted, starts polling under it; else it
// files the agent to try again, or done.
func (a *agentRun) try(ctx context.Context) {
	sent := time.Now() // the lease counts from here, by this process's clock
	actx, cancel := context.WithDeadline(ctx, sent.Add(a.ttl-leaseMargin(a.ttl)))
	l, err := a.Store.Acquire(actx, a.agent, a.owner, a.ttl)
	cancel()
	if err == nil {
		err = a.start(ctx, l, sent)
	}
	if err == nil || ctx.Err() != nil {
		return // held, or the node is ending
	}
	a.settle(a, err)
}

// start polls under lease l, acquired by a request sent at sent: the
// session is loaded and restored, and the poll started; finish ends the
// holding. No poll, append or call is sent once the lease may have
// expired (a margin before): the watchdog cancels the poll in flight
// then, and every Redis call is bounded by that moment.
func (a *agentRun) start(ctx context.Context, l Lease, sent time.Time) error {
	held := sent.Add(a.ttl - leaseMargin(a.ttl))
	lctx, cancel := context.WithDeadline(ctx, held)
	st, err := a.Store.load(lctx, l.Agent)
	cancel()
	var s *wrapper.Session
	if err == nil {
		a.losses, _ = a.Store.lossCount()
		a.Store.hold(st)
		s, err = a.Client.Restore(st.SessionState)
	}
	if err != nil {
		a.release(ctx, l)
		return err
	}
	h := &holding{agentRun: a, lease: l, held: held, renewAt: sent.Add(a.ttl / 3)}
	opts := a.Poll
	opts.OnGap = func(g wrapper.Gap) { // in order with the events: a gap entry precedes the next ones
		if err := h.appendOnce(ctx, func(ctx context.Context, seq int64) error { _, err := a.Store.AppendGap(ctx, l, seq, g); return err }); err != nil {
			h.lose(err)
		}
		if a.Poll.OnGap != nil {
			a.Poll.OnGap(g)
		}
	}
	a.node.mu.Lock()
	delete(a.waiting, a.agent)
	a.node.held[a.agent] = h
	a.polls.Add(1)
	a.node.mu.Unlock()
	stop, err := s.StartPoll(ctx, func(ev wrapper.Event) error {
		return h.appendOnce(ctx, func(ctx context.Context, seq int64) error { _, err := a.Store.Append(ctx, l, seq, ev); return err })
	}, opts, func(err error) { h.finish(ctx, s, err) })
	if err != nil {
		h.finish(ctx, s, err)
		return nil
	}
	h.mu.Lock()
	h.stopPoll = stop
	h.watchdog = time.AfterFunc(time.Until(held), func() { h.lose(fmt.Errorf("%w: its time ran out", ErrLeaseLost)) })
	lost := h.cause != nil
	h.mu.Unlock()
	if lost {
		stop() // lost before StartPoll returned
	}
	return nil
}

// lose ends the poll for cause (the first cause is kept).
func (h *holding) lose(cause error) {
	h.mu.Lock()
	if h.cause == nil {
		h.cause = cause
	}
	stop := h.stopPoll
	h.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// lost returns why the holding ended early, if it did.
func (h *holding) lost() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.cause
}

// finish ends a holding whose poll ended with err: the session is
// deleted (ErrNotSignedIn) or noted, the lease released, and the agent
// filed to try again, or done.
func (h *holding) finish(ctx context.Context, s *wrapper.Session, err error) {
	a := h.agentRun
	defer a.polls.Done()
	h.mu.Lock()
	if h.watchdog != nil {
		h.watchdog.Stop()
	}
	if h.cause == nil {
		h.cause = errPollEnded // a late renewal or append stops nothing now
	}
	cause := h.cause
	h.mu.Unlock()
	if cause != errPollEnded && errors.Is(err, context.Canceled) && ctx.Err() == nil {
		err = cause // stopped by lose
	}
	bg := context.WithoutCancel(ctx)
	switch {
	case errors.Is(err, ErrLeaseLost):
		a.Store.touch(s.State())
	case errors.Is(err, wrapper.ErrNotSignedIn):
		_ = a.Store.DeleteState(bg, s.State())
		a.release(bg, h.lease)
	default:
		a.Store.touch(s.State())
		a.release(bg, h.lease)
	}
	if ctx.Err() != nil {
		a.node.mu.Lock()
		delete(a.node.held, a.agent)
		a.node.mu.Unlock()
		return // the node is ending
	}
	a.settle(a, err)
}

// errPollEnded marks a holding whose poll has ended.
var errPollEnded = errors.New("redisstore: poll ended")

func (a *agentRun) release(ctx context.Context, l Lease) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
	_ = a.Store.Release(rctx, l)
	cancel()
}

// renew extends the lease, bounded by the moment it may expire; it ends
// the poll when the lease is lost, or when Redis failed for so long that
// it may have expired. A renewal moves the watchdog.
func (h *holding) renew(ctx context.Context) {
	start := time.Now()
	h.mu.Lock()
	rctx, cancel := context.WithDeadline(ctx, h.held)
	h.mu.Unlock()
	err := h.Store.Renew(rctx, h.lease, h.ttl)
	cancel()
	h.mu.Lock()
	if err == nil && h.cause == nil {
		h.held = start.Add(h.ttl - leaseMargin(h.ttl))
		if h.watchdog != nil {
			h.watchdog.Reset(time.Until(h.held))
		}
	}
	expired := time.Now().After(h.held)
	h.mu.Unlock()
	next := h.ttl / 3
	switch {
	case ctx.Err() != nil:
		return
	case errors.Is(err, ErrLeaseLost):
		h.lose(err)
	case err != nil && expired:
		h.lose(fmt.Errorf("%w: %w", ErrLeaseLost, err))
	case err != nil:
		h.Poller.report(h.agent, err)
		next = h.ttl / 10
	}
	h.node.mu.Lock()
	h.renewAt = time.Now().Add(next)
	h.node.mu.Unlock()
}

// appendOnce appends one entry (numbered on the poll's goroutine: events
// and gaps in order), retrying Redis while the lease holds; each try is
// bounded by the moment the lease may expire. Append's seq makes a retry
// of an append that landed harmless.
func (h *holding) appendOnce(ctx context.Context, add func(ctx context.Context, seq int64) error) error {
	h.seq++
	seq := h.seq
	for try, pause := 0, 10*time.Millisecond; ; try, pause = try+1, min(2*pause, time.Second) {
		h.mu.Lock()
		actx, cancel := context.WithDeadline(ctx, h.held)
		h.mu.Unlock()
		err := add(actx, seq)
		cancel()
		h.mu.Lock()
		expired := time.Now().After(h.held)
		h.mu.Unlock()
		if err == nil || errors.Is(err, ErrLeaseLost) || expired || ctx.Err() != nil || h.lost() != nil {
			if err != nil && expired && !errors.Is(err, ErrLeaseLost) {
				err = fmt.Errorf("%w: %w", ErrLeaseLost, err)
			}
			return err
		}
		if try == 0 {
			h.Poller.report(h.agent, err)
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
}
