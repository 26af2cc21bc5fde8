package wrapper_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// gapPoll polls s until the test ends, sending events and gaps to one
// channel, in the order the session hands them over.
func gapPoll(t *testing.T, s *wrapper.Session) <-chan any {
	t.Helper()
	out := make(chan any, 64)
	ctx, cancel := context.WithCancel(context.Background())
	opts := fastPoll
	opts.OnGap = func(g wrapper.Gap) { out <- g }
	done, err := s.PollInBackground(ctx, func(ev wrapper.Event) error { out <- ev; return nil }, opts)
	require.NoError(t, err)
	t.Cleanup(func() { cancel(); <-done })
	return out
}

// nextGap skips events until a gap arrives.
func nextGap(t *testing.T, got <-chan any) wrapper.Gap {
	t.Helper()
	ctx := testContext(t)
	for {
		select {
		case v := <-got:
			if g, ok := v.(wrapper.Gap); ok {
				return g
			}
		case <-ctx.Done():
			t.Fatal("no gap reported")
		}
	}
}

// nextEvent returns the next item, which must be an event.
func nextEvent(t *testing.T, got <-chan any) wrapper.Event {
	t.Helper()
	select {
	case v := <-got:
		ev, ok := v.(wrapper.Event)
		require.True(t, ok, "want an event, got %#v", v)
		return ev
	case <-testContext(t).Done():
		t.Fatal("no event")
	}
	return wrapper.Event{}
}

// The gateway answers a poll with the ringing event, and the reply is lost
// on the way: one gap, before the next event, whose snapshot shows the
// ringing call the event would have told of.
func TestGapWhenAPollReplyIsLost(t *testing.T) {
	g := agwtest.NewGateway(agwtest.WithPollWait(20 * time.Millisecond))
	t.Cleanup(g.Close)
	require.NoError(t, agwtest.Demo(g))
	var drop atomic.Bool // the next poll that carries an event loses its reply
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !drop.Load() {
			g.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, r)
		if !bytesContain(rec.Body.Bytes(), "AgentEvent_Ringing") {
			copyReply(w, rec)
			return
		}
		drop.Store(false)
		panic(http.ErrAbortHandler) // the gateway answered; the connection dies before the reply
	}))
	t.Cleanup(srv.Close)
	c, err := wrapper.NewClient(srv.URL, wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	s := signInDemo(t, c, 20001)
	drop.Store(true)
	got := gapPoll(t, s)
	callID, err := g.Ring(20001, "13800000000")
	require.NoError(t, err)
	gap := nextGap(t, got)
	assert.Equal(t, wrapper.GapReplyLost, gap.Reason)
	assert.Equal(t, 20001, gap.Agent)
	require.NoError(t, gap.Err)
	require.NotNil(t, gap.Snapshot)
	assert.Equal(t, generated.AgentStateCodeTalking, gap.Snapshot.State, "a ringing agent is in a call")
	call, ok := g.Call(callID)
	require.True(t, ok)
	assert.Equal(t, []wrapper.CallDetails{{CallID: callID, Caller: call.Caller, Called: call.Called}}, gap.Snapshot.Calls)
	assert.Empty(t, gap.Snapshot.Held)

	require.NoError(t, s.Answer(testContext(t), nil))
	ev := nextEvent(t, got) // the gap came first, and only once
	assert.Equal(t, "AgentEvent_Talking", ev.EventType)
	assert.Equal(t, callID, ev.CallID())
}

// The gateway ends a session (another desk forces the agent in); the next
// sign-in through the same client reports the gap with a snapshot.
func TestGapAfterSigningInAgain(t *testing.T) {
	f := newFake(t)
	s := signInDemo(t, f.client, 20001)
	poll := make(chan error, 1)
	go func() { poll <- s.Poll(testContext(t), func(wrapper.Event) error { return nil }, fastPoll) }()

	other, err := wrapper.NewClient(f.srv.URL(), wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	_, err = other.SignIn(testContext(t), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword, Force: true})
	require.NoError(t, err)
	require.ErrorIs(t, <-poll, wrapper.ErrNotSignedIn)

	again, err := f.client.SignIn(testContext(t), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword, Force: true})
	require.NoError(t, err)
	gap := nextGap(t, gapPoll(t, again))
	assert.Equal(t, wrapper.GapSignedInAgain, gap.Reason)
	require.NotNil(t, gap.Snapshot, "%v", gap.Err)
	assert.Equal(t, generated.AgentStateCodeIdle, gap.Snapshot.State)
	assert.Empty(t, gap.Snapshot.Calls)

	fresh := signInDemo(t, f.client, 20002) // an agent the gateway never ended
	got := gapPoll(t, fresh)
	f.ring(20002, false)
	require.Equal(t, "AgentEvent_Ringing", nextEvent(t, got).EventType, "no gap for a first sign-in")
}

// A session restored from its state (another process held it) reports a
// gap first: its previous holder may have taken events it never handed on.
func TestGapAfterRestore(t *testing.T) {
	f := newFake(t)
	s := signInDemo(t, f.client, 20001)
	callID := f.ring(20001, false)
	restored, err := f.client.Restore(s.State())
	require.NoError(t, err)
	got := gapPoll(t, restored)
	select {
	case v := <-got:
		gap, ok := v.(wrapper.Gap)
		require.True(t, ok, "the gap comes before any event, got %#v", v)
		assert.Equal(t, wrapper.GapRestored, gap.Reason)
		require.NotNil(t, gap.Snapshot, "%v", gap.Err)
		require.Len(t, gap.Snapshot.Calls, 1)
		assert.Equal(t, callID, gap.Snapshot.Calls[0].CallID)
	case <-testContext(t).Done():
		t.Fatal("no gap")
	}
}

// A poll that fails over to the backup reports a gap: the primary's queued
// events do not follow.
func TestGapOnFailover(t *testing.T) {
	_, primary, backup, c := gatewayPair(t, time.Hour)
	s := signInDemo(t, c, 20001)
	got := gapPoll(t, s)
	primary.down.Store(true)
	backup.await(t, "GET", "/agentevent/20001")
	gap := nextGap(t, got)
	assert.Contains(t, []wrapper.GapReason{wrapper.GapFailover, wrapper.GapReplyLost}, gap.Reason)
	require.NotNil(t, gap.Snapshot, "read through the backup: %v", gap.Err)
	assert.Equal(t, generated.AgentStateCodeIdle, gap.Snapshot.State)
}

func bytesContain(b []byte, s string) bool { return strings.Contains(string(b), s) }

func copyReply(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// A bot calls PickUp from inside the picker's own Poll handler: the poll
// keeps fetching the events PickUp waits for.
func TestPickUpFromOwnPollHandler(t *testing.T) {
	f := newFake(t)
	f.signIn(20001)
	callID := f.ring(20001, false)
	picker, err := f.client.SignIn(testContext(t), 20002, wrapper.SignInOptions{Phone: phones[20002], Password: agwtest.DemoPassword, Status: 4})
	require.NoError(t, err)
	picked := make(chan error, 1)
	ctx, cancel := context.WithCancel(testContext(t))
	done, err := picker.PollInBackground(ctx, func(ev wrapper.Event) error {
		if ev.EventType == "AgentState_Ready" {
			call, err := picker.PickUp(testContext(t), 20001)
			if err == nil && call.CallID != callID {
				err = assert.AnError
			}
			picked <- err
		}
		return nil
	}, fastPoll)
	require.NoError(t, err)
	require.NoError(t, <-picked)
	cancel()
	<-done
}
