package poll

import (
	"context"
	"errors"
	"sync"

	"github.com/agentgateway-go/agentgateway/reply"
)

var (
	// ErrNotPolling: a waiter needs a running poll, or events handed in
	// otherwise (Hub.Feed), to see events.
	ErrNotPolling = errors.New("agentgateway: no event poll running for this session")
	// ErrAlreadyPolling: a session runs at most one poll at a time.
	ErrAlreadyPolling = errors.New("agentgateway: an event poll is already running for this session")
)

// Hub hands one session's events to its waiters. Its zero value is ready.
type Hub struct {
	mu       sync.Mutex
	pollDone chan struct{} // non-nil while a poll runs; closed when it ends
	fed      bool          // events are handed in without a poll
	subs     map[*Sub]struct{}
	waiters  Waiters  // its subscriptions, for its poll's handlers
	shared   *Waiters // also counted here (a fleet's), if set
}

// Waiters counts the hub's subscriptions.
func (h *Hub) Waiters() *Waiters { return &h.waiters }

// CountIn counts the hub's subscriptions in w too (a fleet counts those of
// every session it routes to).
func (h *Hub) CountIn(w *Waiters) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.shared = w
	w.add(int64(len(h.subs)))
}

func (h *Hub) countWaiters(d int64) { // with h.mu held
	h.waiters.add(d)
	if h.shared != nil {
		h.shared.add(d)
	}
}

// Sub receives the session's events while a waiter waits for them.
type Sub struct {
	C        <-chan reply.Event
	PollDone <-chan struct{} // closed when the poll it joined ends; nil if none
	ch       chan reply.Event
	done     chan struct{} // closed by Close
	h        *Hub
}

// Claim marks a poll running, or returns ErrAlreadyPolling.
func (h *Hub) Claim() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.pollDone != nil {
		return ErrAlreadyPolling
	}
	h.pollDone = make(chan struct{})
	return nil
}

// Release marks the poll ended, which ends its waiters' waits.
func (h *Hub) Release() {
	h.mu.Lock()
	close(h.pollDone)
	h.pollDone = nil
	h.mu.Unlock()
}

// Feed says events come without a poll (push mode, a relay), so a waiter
// may subscribe with none running.
func (h *Hub) Feed() {
	h.mu.Lock()
	h.fed = true
	h.mu.Unlock()
}

// Ready returns ErrNotPolling when no event can reach a waiter: no poll
// runs and no events are fed.
func (h *Hub) Ready() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.ready()
}

// ready is Ready with h.mu held.
func (h *Hub) ready() error {
	if h.pollDone == nil && !h.fed {
		return ErrNotPolling
	}
	return nil
}

// Subscribe registers a waiter, or returns ErrNotPolling when no event can
// reach it. Close it when done.
func (h *Hub) Subscribe() (*Sub, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if err := h.ready(); err != nil {
		return nil, err
	}
	ch := make(chan reply.Event, 16)
	sub := &Sub{C: ch, ch: ch, done: make(chan struct{}), PollDone: h.pollDone, h: h}
	if h.subs == nil {
		h.subs = map[*Sub]struct{}{}
	}
	h.subs[sub] = struct{}{}
	h.countWaiters(1)
	return sub, nil
}

// Close ends the subscription.
func (s *Sub) Close() {
	s.h.mu.Lock()
	delete(s.h.subs, s)
	s.h.countWaiters(-1)
	s.h.mu.Unlock()
	close(s.done)
}

// Publish hands ev to every waiter, waiting for each (no event is dropped)
// unless it has gone or ctx ends.
func (h *Hub) Publish(ctx context.Context, ev reply.Event) {
	h.mu.Lock()
	if len(h.subs) == 0 {
		h.mu.Unlock()
		return
	}
	subs := make([]*Sub, 0, len(h.subs))
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
