package poll

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// Handlers run queued calls in order, one at a time, with no goroutine left
// when idle; the first error stops the calls after it and is returned.
func TestHandlersOrderAndError(t *testing.T) {
	var stopped error
	h := StartHandlers(func(err error) { stopped = err }, new(Waiters))
	var got []int
	for i := range 5 {
		h.Run(func() error { got = append(got, i); return nil })
	}
	if len(got) != 5 || got[4] != 4 {
		t.Fatalf("calls ran %v, want 0..4 in order, each before Run returned", got)
	}
	h.wg.Wait() // the goroutine ends by itself once the queue is empty
	h.mu.Lock()
	idle := !h.running
	h.mu.Unlock()
	if !idle {
		t.Fatal("a goroutine is left when no call is queued")
	}
	boom := errors.New("boom")
	h.Run(func() error { return boom })
	h.Run(func() error { got = append(got, 99); return nil })
	if err := h.Close(); !errors.Is(err, boom) || !errors.Is(stopped, boom) {
		t.Fatalf("Close = %v, stop got %v; want boom", err, stopped)
	}
	if got[len(got)-1] == 99 {
		t.Fatal("a call ran after the error")
	}
}

// While a waiter is subscribed Run does not wait for the call: a handler
// that waits for a later event lets the poll fetch it.
func TestHandlersRunAheadWhileWaiting(t *testing.T) {
	w := new(Waiters)
	h := StartHandlers(func(error) {}, w)
	release := make(chan struct{})
	w.Add(1) // a waiter, as PickUp's subscription
	h.Run(func() error { <-release; return nil })
	h.Run(func() error { return nil }) // returns although the first still waits
	close(release)
	w.Add(-1)
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
}

// Runs from many goroutines (a push handler's requests) take turns: each
// returns once its own call ran, and none waits forever.
func TestHandlersConcurrentRuns(t *testing.T) {
	h := StartHandlers(func(error) {}, new(Waiters))
	var wg sync.WaitGroup
	var ran atomic.Int64
	for range 50 {
		wg.Go(func() {
			for range 20 {
				var mine atomic.Bool
				h.Run(func() error { mine.Store(true); ran.Add(1); return nil })
				if !mine.Load() {
					t.Error("Run returned before its call ran")
				}
			}
		})
	}
	wg.Wait()
	if err := h.Close(); err != nil || ran.Load() != 1000 {
		t.Fatalf("Close = %v, %d calls ran, want 1000", err, ran.Load())
	}
}
