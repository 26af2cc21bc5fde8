package fleet_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// beatLog counts the heartbeats each agent sent, and tells of each.
type beatLog struct {
	mu    sync.Mutex
	count map[string]int
	beat  chan string
}

func (l *beatLog) n(agent string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.count[agent]
}

// waitBeats reads beats until agent has sent n.
func (l *beatLog) waitBeats(t *testing.T, ctx context.Context, agent string, n int) {
	t.Helper()
	for l.n(agent) < n {
		select {
		case <-l.beat:
		case <-ctx.Done():
			require.FailNow(t, "too few heartbeats", "agent %s: %d of %d", agent, l.n(agent), n)
		}
	}
}

// One KeepAliveAll beats for every push session, those restored while it
// runs too, never for a polling one, never twice at once for a session
// whose heartbeat hangs, and drops a session the gateway ended.
func TestKeepAliveAllBeatsEveryPushSession(t *testing.T) {
	g := newStub(t)
	log := &beatLog{count: map[string]int{}, beat: make(chan string, 100)}
	hang, unhang := make(chan struct{}), make(chan struct{})
	var once sync.Once
	letGo := func() { once.Do(func() { close(unhang) }) }
	t.Cleanup(letGo) // before the server closes
	g.mux.HandleFunc("POST "+base+"/onlineagent/{agent}/handshake", func(w http.ResponseWriter, r *http.Request) {
		agent := r.PathValue("agent")
		assert.Equal(t, "tok3n", r.Header.Get("service_token"))
		log.mu.Lock()
		log.count[agent]++
		n := log.count[agent]
		log.mu.Unlock()
		select {
		case log.beat <- agent:
		default:
		}
		w.Header().Set("Content-Type", jsonUTF8)
		switch {
		case agent == "20003" && n == 1:
			close(hang)
			<-unhang // in flight until the test lets it go
		case agent == "20004":
			_, _ = io.WriteString(w, `{"message":"not login","retcode":"100-006","result":""}`)
			return
		}
		_, _ = io.WriteString(w, okReply)
	})
	c := g.client(t)
	fl := fleet.New(c)
	restore := func(agent int, push bool) *wrapper.Session {
		s, err := c.Restore(wrapper.SessionState{AgentID: agent, Guid: testGuid, Push: push})
		require.NoError(t, err)
		fl.Track(s)
		return s
	}
	restore(20001, true)
	restore(20005, false) // tracked, but not a push session: no heartbeat
	restore(20003, true)
	gone := restore(20004, true)

	ctx, cancel := context.WithCancel(testContext(t))
	var errMu sync.Mutex
	var errs []error
	done := make(chan error, 1)
	go func() {
		done <- fl.KeepAliveAll(ctx, "tok3n", 5*time.Millisecond, func(_ *wrapper.Session, err error) {
			errMu.Lock()
			errs = append(errs, err)
			errMu.Unlock()
		})
	}()
	select {
	case <-hang: // running
	case err := <-done:
		require.FailNow(t, "KeepAliveAll ended", "%v", err)
	}
	require.Error(t, fl.KeepAliveAll(ctx, "tok3n", time.Second, nil), "one at a time")
	restore(20002, true) // joins the running schedule
	log.waitBeats(t, ctx, "20002", 3)
	log.waitBeats(t, ctx, "20001", 3)
	require.Equal(t, 1, log.n("20003"), "no second heartbeat while one hangs")
	letGo()
	log.waitBeats(t, ctx, "20003", 3)
	require.NoError(t, fl.Route(mkEvent("AgentState_Ready", "20001")))

	cancel()
	require.ErrorIs(t, <-done, context.Canceled) // every heartbeat in flight has come back
	require.Equal(t, 1, log.n("20004"), "a session the gateway ended gets no more")
	require.ErrorIs(t, fl.Route(mkEvent("AgentState_Ready", "20004")), fleet.ErrUnknownAgent)
	require.Zero(t, log.n("20005"))
	errMu.Lock()
	require.Empty(t, errs)
	errMu.Unlock()
	require.True(t, gone.State().Ended)

	// Afterwards another KeepAliveAll takes every session up again.
	ctx2, cancel2 := context.WithCancel(testContext(t))
	go func() { done <- fl.KeepAliveAll(ctx2, "tok3n", 5*time.Millisecond, nil) }()
	n := log.n("20001")
	log.waitBeats(t, ctx2, "20001", n+2)
	cancel2()
	require.True(t, errors.Is(<-done, context.Canceled))
}

func TestKeepAliveAllChecksArgumentsFirst(t *testing.T) {
	g := newStub(t)
	fl := fleet.New(g.client(t))
	for _, interval := range []time.Duration{0, -time.Second, 2 * time.Minute} {
		require.ErrorIs(t, fl.KeepAliveAll(testContext(t), "tok3n", interval, nil), wrapper.ErrInvalidArgument)
	}
	err := fl.KeepAliveAll(testContext(t), "not a token!", time.Second, nil)
	require.ErrorIs(t, err, wrapper.ErrInvalidArgument)
	require.NotContains(t, err.Error(), "not a token")
	require.Zero(t, g.count())
}
