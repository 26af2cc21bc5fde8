package wrapper

import (
	"context"
	"sync"

	"github.com/agentgateway-go/agentgateway/internal/poll"
)

// hub hands one session's events to its waiters (PickUp, Confirm,
// Await). Its zero value is ready.
type hub struct {
	mu       sync.Mutex
	pollDone chan struct{} // non-nil while a poll runs; closed when it ends
	fed      bool          // events are handed in without a poll
	subs     map[*waiter]struct{}
	waiters  poll.Waiters  // its subscriptions, for its poll's handlers
	shared   *poll.Waiters // also counted here (a fleet's), if set
}

// Waiters counts the hub's subscriptions.
func (h *hub) Waiters() *poll.Waiters { return &h.waiters }

// CountIn counts the hub's subscriptions in w too (a fleet counts those of
// every session it routes to).
func (h *hub) CountIn(w *poll.Waiters) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.shared = w
	w.Add(int64(len(h.subs)))
}

func (h *hub) countWaiters(d int64) { // with h.mu held
	h.waiters.Add(d)
	if h.shared != nil {
		h.shared.Add(d)
	}
}

// waiter receives the session's events while it waits for them.
type waiter struct {
	C        <-chan Event
	PollDone <-chan struct{} // closed when the poll it joined ends; nil if none
	ch       chan Event
	done     chan struct{} // closed by Close
	h        *hub
}

// Claim marks a poll running; false if one already runs.
func (h *hub) Claim() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pollDone != nil {
		return false
	}
	h.pollDone = make(chan struct{})
	return true
}

// Release marks the poll ended, which ends its waiters' waits.
func (h *hub) Release() {
	h.mu.Lock()
	close(h.pollDone)
	h.pollDone = nil
	h.mu.Unlock()
}

// Feed says events come without a poll (push mode, a relay), so a waiter
// may subscribe with none running.
func (h *hub) Feed() {
	h.mu.Lock()
	h.fed = true
	h.mu.Unlock()
}

// Ready reports whether an event can reach a waiter: a poll runs or
// events are fed.
func (h *hub) Ready() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ready()
}

// ready is Ready with h.mu held.
func (h *hub) ready() bool { return h.pollDone != nil || h.fed }

// Subscribe registers a waiter; false when no event can reach it (see
// Ready). Close it when done.
func (h *hub) Subscribe() (*waiter, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.ready() {
		return nil, false
	}
	ch := make(chan Event, 16)
	sub := &waiter{C: ch, ch: ch, done: make(chan struct{}), PollDone: h.pollDone, h: h}
	if h.subs == nil {
		h.subs = map[*waiter]struct{}{}
	}
	h.subs[sub] = struct{}{}
	h.countWaiters(1)
	return sub, true
}

// Close ends the subscription.
func (s *waiter) Close() {
	s.h.mu.Lock()
	delete(s.h.subs, s)
	s.h.countWaiters(-1)
	s.h.mu.Unlock()
	close(s.done)
}

// Publish hands ev to every waiter, waiting for each (no event is dropped)
// unless it has gone or ctx ends.
func (h *hub) Publish(ctx context.Context, ev Event) {
	h.mu.Lock()
	if len(h.subs) == 0 {
		h.mu.Unlock()
		return
	}
	subs := make([]*waiter, 0, len(h.subs))
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
