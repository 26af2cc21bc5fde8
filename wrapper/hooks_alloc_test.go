package wrapper

import (
	"context"
	"testing"
)

// TestNoHooksNoAllocs: without hooks, what every request and event passes
// through costs a nil check and allocates nothing.
func TestNoHooksNoAllocs(t *testing.T) {
	c, err := NewClient("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.newSession(20001, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	match := func(Event) bool { return false }
	var ev Event
	allocs := testing.AllocsPerRun(1000, func() {
		cctx, obs := s.startCall(ctx, "SayBusy")
		obs.done(200, nil)
		s.seeEvent(cctx, ev, EventDelivered)
		s.seeWaited(cctx, match)(ev)
		s.seeGap(Gap{})
	})
	if allocs != 0 {
		t.Errorf("%v allocations without hooks", allocs)
	}
}
