package poll

import (
	"context"
	"sync"
	"sync/atomic"
)

// maxQueued bounds the calls waiting for a handler that a waiter holds up.
const maxQueued = 1024

// Handlers runs an event handler (and the other calls a poll makes to its
// user, such as OnGap) on its own goroutine, in order. The poll waits for
// each call to run, so at most one reply is in flight, except while some
// waiter is subscribed: a handler may be that waiter (PickUp from inside
// the handler), waiting for events only the poll can fetch, so the poll
// goes on fetching, queueing up to maxQueued calls. The goroutine exists
// only while calls are queued, and the queue holds only what is queued: an
// idle poll costs nothing.
type Handlers struct {
	mu      sync.Mutex
	queue   []func() error
	queued  int64         // calls queued so far
	running bool          // a work goroutine runs
	room    chan struct{} // closed and replaced when a call leaves a full queue
	done    atomic.Int64  // calls run so far
	sigMu   sync.Mutex
	handled chan struct{} // closed after each call ran; made by the Run that waits on it
	wg      sync.WaitGroup
	errMu   sync.Mutex
	err     error         // the first error of a call
	failed  chan struct{} // closed at the first error; made when first needed
	stop    context.CancelCauseFunc
	waiters *Waiters
}

// StartHandlers runs each call Run queues. When one returns an error, no
// further call runs and stop is called with it. waiters are the
// subscriptions that let the poll run ahead.
func StartHandlers(stop context.CancelCauseFunc, waiters *Waiters) *Handlers {
	return &Handlers{waiters: waiters, stop: stop} // channels are made when needed: an idle poll holds none
}

// Run queues call and waits until it ran, unless a waiter is subscribed
// (then it returns at once; it waits only while the queue is full) or a
// call failed. A call queued is never dropped before a failure. Run may be
// called from several goroutines (push requests); the calls run in the
// order they were queued.
func (h *Handlers) Run(call func() error) {
	h.mu.Lock()
	for len(h.queue) >= maxQueued {
		if h.room == nil {
			h.room = make(chan struct{})
		}
		room := h.room
		h.mu.Unlock()
		select {
		case <-room:
		case <-h.failedC():
			return
		}
		h.mu.Lock()
	}
	h.queue = append(h.queue, call)
	h.queued++
	ticket := h.queued
	if !h.running {
		h.running = true
		h.wg.Add(1)
		go h.work()
	}
	h.mu.Unlock()
	for {
		h.sigMu.Lock()
		if h.handled == nil {
			h.handled = make(chan struct{})
		}
		handled := h.handled // before done: a later call's end closes it
		h.sigMu.Unlock()
		if h.done.Load() >= ticket {
			return
		}
		changed := h.waiters.Changed() // before Any: a later subscription closes it
		if h.waiters.Any() {
			return
		}
		select { // after a failure the queue drains at once, skipping calls
		case <-handled:
		case <-changed:
		}
	}
}

// work runs the queued calls, and ends when the queue is empty.
func (h *Handlers) work() {
	defer h.wg.Done()
	for {
		h.mu.Lock()
		if len(h.queue) == 0 {
			h.running, h.queue = false, nil
			h.mu.Unlock()
			return
		}
		call := h.queue[0]
		h.queue[0] = nil
		h.queue = h.queue[1:]
		if h.room != nil {
			close(h.room)
			h.room = nil
		}
		h.mu.Unlock()
		if h.Err() == nil {
			if err := call(); err != nil {
				h.errMu.Lock()
				h.err = err
				if h.failed == nil {
					h.failed = make(chan struct{})
				}
				close(h.failed)
				h.errMu.Unlock()
				h.stop(err)
			}
		}
		h.done.Add(1)
		h.sigMu.Lock()
		if h.handled != nil {
			close(h.handled) // wakes every Run waiting
			h.handled = nil
		}
		h.sigMu.Unlock()
	}
}

// failedC is closed once a call failed.
func (h *Handlers) failedC() <-chan struct{} {
	h.errMu.Lock()
	defer h.errMu.Unlock()
	if h.failed == nil {
		h.failed = make(chan struct{})
	}
	return h.failed
}

// Err is the first error a call returned, if any.
func (h *Handlers) Err() error {
	h.errMu.Lock()
	defer h.errMu.Unlock()
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

func (w *Waiters) Add(d int64) {
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

// CountWaitersIn counts a session's waiters in w too. Package wrapper sets
// it (session is a *wrapper.Session); package fleet calls it for the
// sessions it feeds. A session of another type is ignored.
var CountWaitersIn = func(session any, w *Waiters) {}
