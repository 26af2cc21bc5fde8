package poll

import (
	"context"
	"sync"
	"sync/atomic"
)

// maxQueued bounds the events waiting for a handler that a waiter holds up.
const maxQueued = 1024

// Handlers runs an event handler (and the other calls a poll makes to its
// user, such as OnGap) on its own goroutine, in order. The poll
// waits for each event to be handled, so at most one reply is in flight,
// except while some waiter is subscribed: a handler may be that waiter
// (PickUp from inside the handler), waiting for events only the poll can
// fetch, so the poll goes on fetching, queueing up to maxQueued events.
type Handlers struct {
	ch      chan func() error
	runMu   sync.Mutex    // one Run at a time: callers may be concurrent (pushes)
	queued  int64         // events Run queued (under runMu)
	done    atomic.Int64  // events handled
	handled chan struct{} // signalled after each event handled
	wg      sync.WaitGroup
	mu      sync.Mutex
	running bool  // a work goroutine runs
	err     error // the handler's first error
	failed  chan struct{}
	stop    context.CancelCauseFunc
	waiters *Waiters
}

// StartHandlers runs each call Run queues. When one returns an error, no
// further call runs and stop is called with it. waiters are the
// subscriptions that let the poll run ahead. The goroutine exists only
// while calls are queued, so an idle poll costs none.
func StartHandlers(stop context.CancelCauseFunc, waiters *Waiters) *Handlers {
	return &Handlers{ch: make(chan func() error, maxQueued), handled: make(chan struct{}, 1),
		failed: make(chan struct{}), waiters: waiters, stop: stop}
}

// work runs the queued calls, and ends when the queue is empty.
func (h *Handlers) work() {
	defer h.wg.Done()
	for {
		var call func() error
		select {
		case call = <-h.ch:
		default:
		}
		if call == nil {
			h.mu.Lock()
			if len(h.ch) == 0 {
				h.running = false
				h.mu.Unlock()
				return
			}
			h.mu.Unlock()
			continue
		}
		if h.Err() == nil {
			if err := call(); err != nil {
				h.mu.Lock()
				h.err = err
				h.mu.Unlock()
				close(h.failed)
				h.stop(err)
			}
		}
		h.done.Add(1)
		select {
		case h.handled <- struct{}{}:
		default:
		}
	}
}

// Run queues call and waits until it ran, unless a waiter is subscribed
// (then it returns at once; the queue only waits when full) or a call
// failed. A call queued is never dropped before a failure. Concurrent
// Runs (a push handler's requests) take turns.
func (h *Handlers) Run(call func() error) {
	h.runMu.Lock()
	defer h.runMu.Unlock()
	select {
	case h.ch <- call:
	case <-h.failed:
		return
	}
	h.mu.Lock()
	if !h.running {
		h.running = true
		h.wg.Add(1)
		go h.work()
	}
	h.mu.Unlock()
	h.queued++
	for h.done.Load() < h.queued {
		changed := h.waiters.Changed() // before Any: a later subscription closes it
		if h.waiters.Any() {
			return
		}
		select {
		case <-h.handled:
		case <-changed:
		case <-h.failed:
			return
		}
	}
}

// Err is the handler's error, once it returned one.
func (h *Handlers) Err() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.err
}

// Close waits for the queued calls to run and returns the first error,
// if any. Run must not be called after it.
func (h *Handlers) Close() error {
	h.wg.Wait()
	return h.Err()
}

// Waiters counts subscriptions, so that a poll knows to run ahead of its
// handler. Its zero value is ready; Hubs may share one (a fleet's).
type Waiters struct {
	n       atomic.Int64
	mu      sync.Mutex
	changed chan struct{} // closed and replaced when n goes up
}

// Any reports whether a waiter is subscribed.
func (w *Waiters) Any() bool { return w.n.Load() > 0 }

// Changed is closed when a waiter subscribes after the call.
func (w *Waiters) Changed() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.changed == nil {
		w.changed = make(chan struct{})
	}
	return w.changed
}

func (w *Waiters) add(d int64) {
	w.n.Add(d)
	if d > 0 {
		w.mu.Lock()
		if w.changed != nil {
			close(w.changed)
			w.changed = nil
		}
		w.mu.Unlock()
	}
}
