package agwtest_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// fakeClock is a clock that moves only when told to.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestIdleSignOutAfterTwoMinutesWithoutAPoll(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newDemo(t, agwtest.WithClock(clock.Now), agwtest.WithPollWait(0))
	guidA := signIn(t, srv, agentA)
	guidB := signIn(t, srv, agentB)

	clock.Advance(2*time.Minute - time.Second)
	pollOnce(t, srv, agentA, guidA) // A shows a sign of life; B does not
	clock.Advance(time.Second)

	if got := srv.AgentState(agentB); got != agwtest.StateSignedOut {
		t.Fatalf("after 2 minutes without a poll agent B is %v, want signed out", got)
	}
	wantRetcode(t, do(t, srv, http.MethodGet, "/agentevent/20002", guidB, nil), "100-006")
	if got := srv.AgentState(agentA); got != agwtest.StateIdle {
		t.Fatalf("agent A polled a second ago and is %v, want idle", got)
	}
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/snatchpickup?destWorkNo=20003", guidA, nil), "100-007")

	clock.Advance(2 * time.Minute)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/snatchpickup?destWorkNo=20003", guidA, nil), "100-006")
	if got := srv.Stats().IdleSignOuts; got != 2 {
		t.Errorf("IdleSignOuts = %d, want 2", got)
	}
	// An agent signed out for idleness signs in again without 100-002.
	if g := signIn(t, srv, agentB); g == guidB {
		t.Error("a new sign-in reused the expired Guid")
	}
}

func TestIdleSignOutDropsTheRingingCall(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newDemo(t, agwtest.WithClock(clock.Now))
	signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	clock.Advance(3 * time.Minute)
	if _, ok := srv.Call(callID); ok {
		t.Error("the call still rings at an agent the gateway signed out")
	}
	if _, err := srv.Ring(agentA, "13800000000"); err == nil {
		t.Error("Ring reached an agent the gateway signed out")
	}
}

func TestPollInProgressKeepsTheAgentSignedIn(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	waiting := make(chan int, 4)
	srv := newDemo(t, agwtest.WithClock(clock.Now), agwtest.WithPollWait(time.Hour),
		agwtest.WithPollWaitHook(func(id int) { waiting <- id }))
	guid := signIn(t, srv, agentA)
	got := pollAsync(t, srv, agentA, guid)
	<-waiting

	clock.Advance(10 * time.Minute) // the poll has waited "ten minutes"
	if st := srv.AgentState(agentA); st != agwtest.StateIdle {
		t.Fatalf("an agent with a poll in progress is %v, want idle", st)
	}
	ring(t, srv, agentA)
	if r := <-got; r.env.Retcode != "0" || !strings.Contains(string(r.env.Event), "AgentEvent_Ringing") {
		t.Fatalf("the waiting poll got %s", r.body)
	}
	// The poll's end is the last sign of life: the limit counts from there.
	clock.Advance(2*time.Minute - time.Second)
	if st := srv.AgentState(agentA); st != agwtest.StateRinging {
		t.Fatalf("%v after 1m59s since the last poll, want ringing", st)
	}
	clock.Advance(time.Second)
	if st := srv.AgentState(agentA); st != agwtest.StateSignedOut {
		t.Fatalf("%v after 2m since the last poll, want signed out", st)
	}
}

func TestHeartbeatKeepsTheAgentSignedIn(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newDemo(t, agwtest.WithClock(clock.Now))
	guid := signIn(t, srv, agentA)
	for range 5 {
		clock.Advance(time.Minute + 30*time.Second)
		wantRetcode(t, do(t, srv, http.MethodPost, agentPath(agentA, "/handshake"), guid, nil), "0")
	}
	clock.Advance(2 * time.Minute)
	wantRetcode(t, do(t, srv, http.MethodPost, agentPath(agentA, "/handshake"), guid, nil), "100-006")
}

func TestIdleSignOutCanBeDisabled(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newDemo(t, agwtest.WithClock(clock.Now), agwtest.WithIdleSignOut(0))
	guid := signIn(t, srv, agentA)
	clock.Advance(24 * time.Hour)
	wantRetcode(t, do(t, srv, http.MethodPut, "/onlineagent/20001/updateGuid", guid, nil), "0")
}

func TestIdleSignOutLimitIsConfigurable(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newDemo(t, agwtest.WithClock(clock.Now), agwtest.WithIdleSignOut(30*time.Second))
	guid := signIn(t, srv, agentA)
	clock.Advance(29 * time.Second)
	wantRetcode(t, do(t, srv, http.MethodPut, "/onlineagent/20001/updateGuid", guid, nil), "0")
	clock.Advance(time.Second)
	wantRetcode(t, do(t, srv, http.MethodPut, "/onlineagent/20001/updateGuid", guid, nil), "100-006")
}
