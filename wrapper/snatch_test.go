package wrapper_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// TestSnatchPickupIsSentOnce: whatever goes wrong, the PUT reaches the
// gateway exactly once (at most once when the client gives up first).
func TestSnatchPickupIsSentOnce(t *testing.T) {
	tests := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request, release <-chan struct{})
		check  func(t *testing.T, err error)
		opts   []wrapper.Option // for a client resumed to send the PUT
	}{
		{
			name: "503",
			handle: func(w http.ResponseWriter, _ *http.Request, _ <-chan struct{}) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, "<html>busy</html>")
			},
			check: func(t *testing.T, err error) {
				var re *wrapper.ReplyError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, 503, re.HTTPStatus)
			},
		},
		{
			name: "connection reset before reply",
			handle: func(w http.ResponseWriter, _ *http.Request, _ <-chan struct{}) {
				conn, _, err := http.NewResponseController(w).Hijack()
				if err == nil {
					_ = conn.(*net.TCPConn).SetLinger(0) // RST, not FIN
					_ = conn.Close()
				}
			},
			check: func(t *testing.T, err error) {
				require.Error(t, err)
				assert.NotErrorIs(t, err, wrapper.ErrBadReply)
			},
		},
		{
			name: "connection reset mid-body",
			handle: func(w http.ResponseWriter, _ *http.Request, _ <-chan struct{}) {
				conn, buf, err := http.NewResponseController(w).Hijack()
				if err == nil {
					_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"message\":\"succ")
					_ = buf.Flush()
					_ = conn.(*net.TCPConn).SetLinger(0)
					_ = conn.Close()
				}
			},
			check: func(t *testing.T, err error) {
				require.ErrorIs(t, err, wrapper.ErrBadReply)
				var re *wrapper.ReplyError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, 200, re.HTTPStatus)
			},
		},
		{
			name: "client timeout",
			opts: []wrapper.Option{wrapper.WithTimeout(50 * time.Millisecond)},
			handle: func(w http.ResponseWriter, r *http.Request, release <-chan struct{}) {
				select { // never answers until the client gives up
				case <-r.Context().Done():
				case <-release:
				}
			},
			check: func(t *testing.T, err error) {
				require.ErrorIs(t, err, context.DeadlineExceeded)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGateway(t)
			var puts atomic.Int32
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			g.handle("PUT /voicecall/20001/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
				puts.Add(1)
				tt.handle(w, r, release)
			})
			s := g.session()
			if tt.opts != nil { // resumed: a sign-in under a 50 ms timeout fails on a loaded machine
				var err error
				s, err = g.client(tt.opts...).Resume(agentA, testGuid)
				require.NoError(t, err)
			}
			err := s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: agentB})
			tt.check(t, err)
			g.srv.Close() // waits for the requests the server took and drops the rest: the count is final
			if tt.opts != nil {
				// The client may give up before a loaded server reads the PUT.
				assert.LessOrEqual(t, puts.Load(), int32(1), "the PUT must be sent at most once")
				return
			}
			assert.Equal(t, int32(1), puts.Load(), "the PUT must be sent exactly once")
		})
	}
}

// Cancelling the context of a call the server never answers ends it at
// once, after one request.
func TestCancelEndsHangingCall(t *testing.T) {
	g := newGateway(t)
	arrived := make(chan struct{})
	var puts atomic.Int32
	g.handle("PUT /voicecall/20001/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
		puts.Add(1)
		close(arrived)
		<-r.Context().Done()
	})
	s := g.session()
	ctx, cancel := context.WithCancel(testContext(t))
	go func() {
		<-arrived
		cancel()
	}()
	err := s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB})
	require.ErrorIs(t, err, context.Canceled)
	g.reply("PUT /voicecall/20001/answer", okReply)
	require.NoError(t, s.Answer(testContext(t), nil))
	require.Equal(t, int32(1), puts.Load())
}

// A context deadline shorter than the client's timeout also wins.
func TestContextDeadlineBoundsCall(t *testing.T) {
	g := newGateway(t)
	release := make(chan struct{})
	defer close(release)
	g.handle("DELETE /voicecall/20001/release", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	s := g.session()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	err := s.Release(ctx)
	require.True(t, errors.Is(err, context.DeadlineExceeded), "got %v", err)
}

// scriptedPoll serves the event poll: each GET gets the next reply, and
// then waits. If gate is not nil, replies after the first wait for it.
func scriptedPoll(g *gateway, gate <-chan struct{}, replies ...string) {
	var n atomic.Int32
	g.handle("GET /agentevent/20001", func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if i >= 1 && gate != nil {
			<-gate
		}
		w.Header().Set("Content-Type", jsonUTF8)
		if i >= len(replies) {
			<-r.Context().Done() // nothing more: hold the long poll
			return
		}
		_, _ = io.WriteString(w, replies[i])
	})
}

// snatchOpensGate accepts the snatch and then opens the returned gate, so
// that a scripted poll delivers the pickup's events after the PUT.
func snatchOpensGate(g *gateway) <-chan struct{} {
	gate := make(chan struct{})
	g.handle("PUT /voicecall/20001/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
		close(gate)
	})
	return gate
}

func event(typ, content string) string {
	return `{"message":"","retcode":"0","event":{"eventType":"` + typ + `","workNo":"20001","content":` + content + `}}`
}

func startPoll(t *testing.T, s *wrapper.Session) (events <-chan wrapper.Event, done <-chan error) {
	t.Helper()
	ctx, cancel := context.WithCancel(testContext(t))
	evs := make(chan wrapper.Event, 64)
	errc := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		errc <- s.Poll(ctx, func(ev wrapper.Event) error { evs <- ev; return nil },
			wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond})
	}()
	t.Cleanup(func() {
		cancel()
		<-finished
	})
	return evs, errc
}

// waitPolling returns once Poll is running, so PickUp may start.
func waitPolling(t *testing.T, events <-chan wrapper.Event) {
	t.Helper()
	select {
	case ev := <-events:
		require.Equal(t, "AgentOther_InService", ev.EventType)
	case <-testContext(t).Done():
		require.FailNow(t, "poll did not start")
	}
}

func TestPickUpWaitsForTalking(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	scriptedPoll(g, snatchOpensGate(g),
		event("AgentOther_InService", "null"),
		event("AgentOther_PhoneAlerting", "null"),
		event("AgentOther_PhoneOffhook", `{"type":"main"}`),
		event("AgentEvent_Talking", `{"caller":"13800000000","called":"88002","callid":"1700000000-1","type":"main","feature":"0","mediaAbility":"1"}`),
	)
	events, _ := startPoll(t, s)
	waitPolling(t, events)

	call, err := s.PickUp(testContext(t), agentB)
	require.NoError(t, err)
	require.Equal(t, wrapper.CallDetails{CallID: "1700000000-1", Caller: "13800000000", Called: "88002"}, call)
}

func TestPickUpFailures(t *testing.T) {
	t.Run("no poll running", func(t *testing.T) {
		g := newGateway(t)
		s := g.session()
		before := g.count()
		_, err := s.PickUp(testContext(t), agentB)
		require.ErrorIs(t, err, wrapper.ErrNotPolling)
		require.Equal(t, before, g.count())
	})
	t.Run("snatch refused", func(t *testing.T) {
		g := newGateway(t)
		s := g.session()
		scriptedPoll(g, nil, event("AgentOther_InService", "null"))
		g.reply("PUT /voicecall/20001/snatchpickup", `{"message":"not ringing","retcode":"100-007","result":""}`)
		events, _ := startPoll(t, s)
		waitPolling(t, events)
		_, err := s.PickUp(testContext(t), agentB)
		require.ErrorIs(t, err, wrapper.ErrAgentOperation)
	})
	t.Run("released before talking", func(t *testing.T) {
		g := newGateway(t)
		s := g.session()
		scriptedPoll(g, snatchOpensGate(g),
			event("AgentOther_InService", "null"),
			event("AgentOther_PhoneRelease", `{"phoneState":3}`), // stale, before alerting: ignored
			event("AgentOther_PhoneAlerting", "null"),            // documented without content
			event("AgentOther_PhoneRelease", `{"phoneState":3}`),
		)
		events, _ := startPoll(t, s)
		waitPolling(t, events)
		_, err := s.PickUp(testContext(t), agentB)
		require.ErrorIs(t, err, wrapper.ErrPickUpFailed)
		var pe *wrapper.PickUpError
		require.ErrorAs(t, err, &pe)
		require.Empty(t, pe.Call.CallID, "no event before the release named the call")
		require.Equal(t, "AgentOther_PhoneRelease", pe.LastEvent)
	})
	t.Run("signed out while waiting", func(t *testing.T) {
		g := newGateway(t)
		s := g.session()
		scriptedPoll(g, snatchOpensGate(g), event("AgentOther_InService", "null"), `{"message":"","retcode":"100-006"}`)
		events, done := startPoll(t, s)
		waitPolling(t, events)
		_, err := s.PickUp(testContext(t), agentB)
		require.ErrorIs(t, err, wrapper.ErrNotPolling, "the wait ends with the poll, not at the deadline")
		var pe *wrapper.PickUpError
		require.ErrorAs(t, err, &pe)
		require.ErrorIs(t, <-done, wrapper.ErrNotSignedIn)
	})
	t.Run("timeout", func(t *testing.T) {
		g := newGateway(t)
		s := g.session()
		scriptedPoll(g, nil, event("AgentOther_InService", "null"))
		g.reply("PUT /voicecall/20001/snatchpickup", okReply)
		events, _ := startPoll(t, s)
		waitPolling(t, events)
		// The deadline must come after the snatch's reply; on a loaded
		// machine it may come during the PUT itself (its own error, no
		// *PickUpError): then try again with a longer one.
		for timeout := 50 * time.Millisecond; ; timeout *= 2 {
			ctx, cancel := context.WithTimeout(testContext(t), timeout)
			_, err := s.PickUp(ctx, agentB)
			cancel()
			require.ErrorIs(t, err, context.DeadlineExceeded)
			if pe, ok := errors.AsType[*wrapper.PickUpError](err); ok {
				require.Equal(t, agentB, pe.DestWorkNo)
				break
			}
			require.Less(t, timeout, 5*time.Second, "the snatch never came back in time: %v", err)
		}
	})
}
