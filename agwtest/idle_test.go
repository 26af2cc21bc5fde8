package agwtest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

	require.Equal(t, agwtest.StateSignedOut, srv.AgentState(agentB), "agent B after 2 minutes without a poll")
	wantRetcode(t, do(t, srv, http.MethodGet, "/agentevent/20002", guidB, nil), "100-006")
	require.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "agent A polled a second ago")
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/snatchpickup?destWorkNo=20003", guidA, nil), "100-007")

	clock.Advance(2 * time.Minute)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/snatchpickup?destWorkNo=20003", guidA, nil), "100-006")
	assert.Equal(t, 2, srv.Stats().IdleSignOuts, "IdleSignOuts")
	// An agent signed out for idleness signs in again without 100-002.
	assert.NotEqual(t, guidB, signIn(t, srv, agentB), "a new sign-in reused the expired Guid")
}

func TestIdleSignOutDropsTheRingingCall(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	srv := newDemo(t, agwtest.WithClock(clock.Now))
	signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	clock.Advance(3 * time.Minute)
	_, ok := srv.Call(callID)
	assert.False(t, ok, "the call still rings at an agent the gateway signed out")
	_, err := srv.Ring(agentA, "13800000000")
	assert.Error(t, err, "Ring reached an agent the gateway signed out")
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
	require.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "an agent with a poll in progress")
	ring(t, srv, agentA)
	r := <-got
	require.Equal(t, "0", r.env.Retcode, "the waiting poll got %s", r.body)
	require.Contains(t, string(r.env.Event), "AgentEvent_Ringing", "the waiting poll got %s", r.body)
	// The poll's end is the last sign of life: the limit counts from there.
	clock.Advance(2*time.Minute - time.Second)
	require.Equal(t, agwtest.StateRinging, srv.AgentState(agentA), "1m59s since the last poll")
	clock.Advance(time.Second)
	require.Equal(t, agwtest.StateSignedOut, srv.AgentState(agentA), "2m since the last poll")
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
