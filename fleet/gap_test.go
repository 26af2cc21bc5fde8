package fleet_test

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
	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// A push session's heartbeat fails once (the connection dies): its pushes
// may have failed too. After the next good heartbeat the fleet reports one
// gap, with the agent's state read from the gateway.
func TestGapWhenAPushHeartbeatFails(t *testing.T) {
	g := agwtest.NewGateway(agwtest.WithPollWait(20 * time.Millisecond))
	t.Cleanup(g.Close)
	require.NoError(t, agwtest.Demo(g))
	var failed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/handshake") && failed.CompareAndSwap(false, true) {
			panic(http.ErrAbortHandler)
		}
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := wrapper.NewClient(srv.URL, wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	gaps := make(chan wrapper.Gap, 4)
	fl := fleet.New(c, fleet.WithOnGap(func(g wrapper.Gap) { gaps <- g }))
	cb := httptest.NewServer(fl.PushHandler(pushToken, nil))
	t.Cleanup(cb.Close)
	s, err := c.SignIn(testContext(t), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword,
		PushURL: cb.URL + "/cb", ServiceToken: pushToken})
	require.NoError(t, err)
	fl.Track(s)

	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() { done <- fl.KeepAliveAll(ctx, pushToken, 5*time.Millisecond, nil) }()
	select {
	case gap := <-gaps:
		assert.Equal(t, wrapper.GapPushFailed, gap.Reason)
		assert.Equal(t, 20001, gap.Agent)
		require.NotNil(t, gap.Snapshot, "%v", gap.Err)
		assert.Equal(t, generated.AgentStateCodeIdle, gap.Snapshot.State)
	case <-testContext(t).Done():
		t.Fatal("no gap after the failed heartbeat")
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	require.Empty(t, gaps, "reported once")
}

// The all-agent reply that carries the ringing event is lost after the
// gateway sent it: every tracked session reports one gap, whose snapshot
// shows the call, before the next events.
func TestGapWhenAnAllAgentReplyIsLost(t *testing.T) {
	g := agwtest.NewGateway(agwtest.WithPollWait(20*time.Millisecond), agwtest.WithAllAgentEvents())
	t.Cleanup(g.Close)
	require.NoError(t, agwtest.Demo(g))
	var dropped atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/allagentevent") || dropped.Load() {
			g.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, r)
		if !strings.Contains(rec.Body.String(), "AgentEvent_Ringing") {
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		dropped.Store(true)
		panic(http.ErrAbortHandler)
	}))
	t.Cleanup(srv.Close)
	c, err := wrapper.NewClient(srv.URL, wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	fl := fleet.New(c)
	for _, id := range []int{20001, 20002} {
		s, err := c.SignIn(testContext(t), id, wrapper.SignInOptions{Phone: phones[id], Password: agwtest.DemoPassword})
		require.NoError(t, err)
		fl.Track(s)
	}
	got := make(chan any, 16)
	opts := fastPoll
	opts.OnGap = func(g wrapper.Gap) { got <- g }
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() {
		done <- fl.PollAllAgents(ctx, func(ev wrapper.Event) error { got <- ev; return nil }, opts)
	}()
	callID, err := g.Ring(20001, "13800000000")
	require.NoError(t, err)
	byAgent := map[int]wrapper.Gap{}
	for len(byAgent) < 2 {
		select {
		case v := <-got:
			gap, ok := v.(wrapper.Gap)
			require.True(t, ok, "a gap before any event, got %#v", v)
			byAgent[gap.Agent] = gap
		case <-testContext(t).Done():
			t.Fatal("no gaps")
		}
	}
	for id, gap := range byAgent {
		assert.Equal(t, wrapper.GapReplyLost, gap.Reason, "agent %d", id)
		require.NotNil(t, gap.Snapshot, "%v", gap.Err)
	}
	require.Len(t, byAgent[20001].Snapshot.Calls, 1)
	assert.Equal(t, callID, byAgent[20001].Snapshot.Calls[0].CallID)
	assert.Empty(t, byAgent[20002].Snapshot.Calls)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}
