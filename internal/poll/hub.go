package poll

import (
	"context"
	"sync"
)

// Hub hands one session's events to its waiters. Its zero value is ready.
type Hub[E any] struct {
	mu       sync.Mutex
	pollDone chan struct{} // non-nil while a poll runs; closed when it ends
	fed      bool          // events are handed in without a poll
	subs     map[*Sub[E]]struct{}
	waiters  Waiters  // its subscriptions, for its poll's handlers
	shared   *Waiters // also counted here (a fleet's), if set
}

// Waiters counts the hub's subscriptions.
func (h *Hub[E]) Waiters() *Waiters { return &h.waiters }

// CountIn counts the hub's subscriptions in w too (a fleet counts those of
// every session it routes to).
func (h *Hub[E]) CountIn(w *Waiters) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.shared = w
	w.add(int64(len(h.subs)))
}

func (h *Hub[E]) countWaiters(d int64) { // with h.mu held
	h.waiters.add(d)
	if h.shared != nil {
		h.shared.add(d)
	}
}

// Sub receives the session's events while a waiter waits for them.
type Sub[E any] struct {
	C        <-chan E
	PollDone <-chan struct{} // closed when the poll it joined ends; nil if none
	ch       chan E
	done     chan struct{} // closed by Close
	h        *Hub[E]
}

// Claim marks a poll running; false if one already runs.
func (h *Hub[E]) Claim() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pollDone != nil {
		return false
	}
	h.pollDone = make(chan struct{})
	return true
}

// Release marks the poll ended, which ends its waiters' waits.
func (h *Hub[E]) Release() {
	h.mu.Lock()
	close(h.pollDone)
	h.pollDone = nil
	h.mu.Unlock()
}

// Feed says events come without a poll (push mode, a relay), so a waiter
// may subscribe with none running.
func (h *Hub[E]) Feed() {
	h.mu.Lock()
	h.fed = true
	h.mu.Unlock()
}

// Ready reports whether an event can reach a waiter: a poll runs or
// events are fed.
func (h *Hub[E]) Ready() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ready()
}

// ready is Ready with h.mu held.
func (h *Hub[E]) ready() bool { return h.pollDone != nil || h.fed }

// Subscribe registers a waiter; false when no event can reach it (see
// Ready). Close it when done.
func (h *Hub[E]) Subscribe() (*Sub[E], bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.ready() {
		return nil, false
	}
	ch := make(chan E, 16)
	sub := &Sub[E]{C: ch, ch: ch, done: make(chan struct{}), PollDone: h.pollDone, h: h}
	if h.subs == nil {
		h.subs = map[*Sub[E]]struct{}{}
	}
	h.subs[sub] = struct{}{}
	h.countWaiters(1)
	return sub, true
}

// Close ends the subscription.
func (s *Sub[E]) Close() {
	s.h.mu.Lock()
	delete(s.h.subs, s)
	s.h.countWaiters(-1)
	s.h.mu.Unlock()
	close(s.done)
}

// Publish hands ev to every waiter, waiting for each (no event is dropped)
// unless it has gone or ctx ends.
func (h *Hub[E]) Publish(ctx context.Context, ev E) {
	h.mu.Lock()
	if len(h.subs) == 0 {
		h.mu.Unlock()
		return
	}
	subs := make([]*Sub[E], 0, len(h.subs))
	for sub := range h.subs {
		subs = append(subs, sub)
	}
	h.mu.Unlock()
	for _, sub := range subs {
		select {
		case sub.ch <- ev:
		case <-sub.done:
		case <-ctx.Done():
		}
	}
}
