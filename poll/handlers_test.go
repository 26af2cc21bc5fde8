package poll

import (
	"errors"
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
	w.add(1) // a waiter, as PickUp's subscription
	h.Run(func() error { <-release; return nil })
	h.Run(func() error { return nil }) // returns although the first still waits
	close(release)
	w.add(-1)
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
}
