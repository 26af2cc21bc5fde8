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

func collect(t *testing.T, events <-chan wrapper.Event, n int) []wrapper.Event {
	t.Helper()
	var got []wrapper.Event
	ctx := testContext(t)
	for len(got) < n {
		select {
		case ev := <-events:
			got = append(got, ev)
		case <-ctx.Done():
			require.FailNow(t, "too few events", "got %d of %d events: %+v", len(got), n, got)
		}
	}
	return got
}

func types(evs []wrapper.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.EventType)
	}
	return out
}

func TestPollDecodesShapesAndSkipsEmptyReplies(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	scriptedPoll(g, nil,
		`{"message":"","retcode":"0"}`,
		`{"message":"","retcode":"0","event":null}`,
		`{"message":"","retcode":"0","event":""}`,
		`{"message":"","retcode":"0","event":{}}`,
		event("AgentEvent_Ringing", `{"caller":"138","called":"88001","callid":"9-9","feature":"0","mediaAbility":2}`),
		`{"message":"","retcode":"0","event":[{"eventType":"AgentState_Busy","workNo":20001,"content":null},`+
			`{"eventType":"AgentEvent_Call_Out_Fail","workNo":"20001","content":"9-9"}]}`,
		event("Vendor_Unknown_Event", `{"anything":[1,2,3]}`),
	)
	events, _ := startPoll(t, s)
	got := collect(t, events, 4)
	require.Equal(t, []string{"AgentEvent_Ringing", "AgentState_Busy", "AgentEvent_Call_Out_Fail", "Vendor_Unknown_Event"}, types(got))

	v, err := got[0].Decode()
	require.NoError(t, err)
	require.Equal(t, &generated.RingingContent{Callid: flexStr("9-9"), Caller: flexStr("138"), Called: flexStr("88001"), Feature: flexStr("0"), MediaAbility: flexStr("2")}, v)
	require.Equal(t, "20001", got[1].Agent(), "numeric workNo tolerated")
	require.JSONEq(t, `"9-9"`, string(got[2].Content), "string content kept raw")
	v, err = got[3].Decode()
	require.NoError(t, err)
	require.Nil(t, v, "unknown types are not decoded")
	require.JSONEq(t, `{"anything":[1,2,3]}`, string(got[3].Content), "raw content kept")
}

// The poller rides out resets, HTML pages and garbage, then delivers.
func TestPollSurvivesTransportErrors(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	var n atomic.Int32
	g.handle("GET /agentevent/20001", func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1: // reset
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.(*net.TCPConn).SetLinger(0)
				_ = conn.Close()
			}
		case 2:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>502</html>")
		case 3:
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, `{"retcode":"0","event":{"eventType":`) // truncated
		case 4:
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, `{"message":"","retcode":"000-003"}`) // one no-right is survived
		case 5:
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, event("AgentOther_InService", "null"))
		default:
			<-r.Context().Done()
		}
	})
	var failures atomic.Int32
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	got := make(chan wrapper.Event, 1)
	errc := make(chan error, 1)
	go func() {
		errc <- s.Poll(ctx, func(ev wrapper.Event) error { got <- ev; return nil }, wrapper.PollOptions{
			MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond,
			OnError: func(error) { failures.Add(1) },
		})
	}()
	select {
	case ev := <-got:
		require.Equal(t, "AgentOther_InService", ev.EventType)
	case err := <-errc:
		require.FailNow(t, "poll ended", "%v", err)
	}
	// net/http itself retries a GET once when a reused connection resets,
	// so the reset may not reach the poller.
	require.Contains(t, []int32{3, 4}, failures.Load())
	require.GreaterOrEqual(t, n.Load(), int32(5))
	cancel()
	require.ErrorIs(t, <-errc, context.Canceled, "stops cleanly on cancel")
}

// 100-006, and the disaster-recovery codes after which the vendor says to
// sign in again, end the poll and the session alike.
func TestPollEndsWhenSignedOut(t *testing.T) {
	for _, code := range []string{"100-006", "105-005", "105-006", "105-007"} {
		t.Run(code, func(t *testing.T) {
			g := newGateway(t)
			s := g.session()
			scriptedPoll(g, nil, event("AgentOther_InService", "null"), `{"message":"sign in again","retcode":"`+code+`","result":""}`)
			var seen int
			err := s.Poll(testContext(t), func(wrapper.Event) error { seen++; return nil }, wrapper.PollOptions{})
			require.ErrorIs(t, err, wrapper.ErrNotSignedIn)
			require.Equal(t, 1, seen)
			select {
			case <-s.Done():
			default:
				t.Fatal("the session is still live after " + code)
			}
		})
	}
}

func TestPollEndsAfterRepeatedNoRight(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	var n atomic.Int32
	g.handle("GET /agentevent/20001", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, `{"message":"","retcode":"000-003"}`)
	})
	err := s.Poll(testContext(t), func(wrapper.Event) error { return nil },
		wrapper.PollOptions{MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxNoRight: 3})
	require.ErrorIs(t, err, wrapper.ErrNotSignedIn)
	require.ErrorIs(t, err, wrapper.ErrNoRight)
	require.Equal(t, int32(3), n.Load())
}

func TestOnePollPerSession(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	scriptedPoll(g, nil, event("AgentOther_InService", "null"))
	events, _ := startPoll(t, s)
	waitPolling(t, events)
	err := s.Poll(testContext(t), func(wrapper.Event) error { return nil }, wrapper.PollOptions{})
	require.ErrorIs(t, err, wrapper.ErrAlreadyPolling)
}

func TestDecodeEventReply(t *testing.T) {
	evs, err := wrapper.DecodeEventReply([]byte(event("AgentEvent_Talking", `{"callid":"1-1","caller":"1","called":"2"}`)))
	require.NoError(t, err)
	require.Len(t, evs, 1)
	v, err := evs[0].Decode()
	require.NoError(t, err)
	require.Equal(t, &generated.TalkingContent{Callid: flexStr("1-1"), Caller: flexStr("1"), Called: flexStr("2")}, v)

	_, err = wrapper.DecodeEventReply([]byte(`{"retcode":"100-006","message":"x"}`))
	require.ErrorIs(t, err, wrapper.ErrNotSignedIn)

	for _, bad := range []string{``, `{`, `{"event":{"eventType":"X"}}`, `{"retcode":"0","event":42}`,
		`{"retcode":"0","event":{"workNo":"1","content":{}}}`, `{"retcode":"0","event":[{"content":1}]}`, "\xff"} {
		_, err := wrapper.DecodeEventReply([]byte(bad))
		assert.ErrorIs(t, err, wrapper.ErrBadReply, "%q", bad)
	}

	_, err = wrapper.Event{Event: generated.Event{EventType: string(generated.EventTypeAgentEventTalking), Content: []byte(`{"callid":{"x":1}}`)}}.Decode()
	require.Error(t, err, "wrong content types are an error, not a panic")
}

// The event poll has its own, longer timeout: a poll outlives the timeout of
// ordinary calls, and ends at its own.
func TestPollTimeoutIsSeparate(t *testing.T) {
	g := newGateway(t)
	// Resumed, not signed in: a sign-in under a 50 ms timeout fails on a
	// loaded machine.
	s, err := g.client(wrapper.WithTimeout(50*time.Millisecond), wrapper.WithPollTimeout(10*time.Second)).Resume(agentA, testGuid)
	require.NoError(t, err)
	arrived, answer := make(chan struct{}), make(chan struct{})
	var n atomic.Int32
	g.handle("GET /agentevent/20001", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			<-r.Context().Done()
			return
		}
		close(arrived)
		<-answer // held past the ordinary timeout
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, event("AgentOther_InService", "null"))
	})
	g.handle("DELETE /voicecall/20001/release", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	})
	events, done := startPoll(t, s)
	<-arrived
	require.ErrorIs(t, s.Release(testContext(t)), context.DeadlineExceeded, "ordinary calls time out at 50 ms")
	close(answer) // the poll, in flight for longer than that, still succeeds
	require.Equal(t, "AgentOther_InService", collect(t, events, 1)[0].EventType)
	select {
	case err := <-done:
		require.FailNow(t, "poll ended", "%v", err)
	default:
	}

	g2 := newGateway(t)
	s2 := g2.session(wrapper.WithPollTimeout(50 * time.Millisecond))
	var polls atomic.Int32
	g2.handle("GET /agentevent/20001", func(w http.ResponseWriter, r *http.Request) {
		if polls.Add(1) == 1 {
			<-r.Context().Done() // outlasts the poll timeout
			return
		}
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, event("AgentOther_InService", "null"))
	})
	failed := make(chan error, 1)
	err = s2.Poll(testContext(t), func(wrapper.Event) error { return errStop }, wrapper.PollOptions{
		MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond,
		OnError: func(err error) {
			select { // the first; a loaded machine may time out a later poll too
			case failed <- err:
			default:
			}
		},
	})
	require.ErrorIs(t, err, errStop, "the poll carried on after its timeout")
	require.ErrorIs(t, <-failed, context.DeadlineExceeded)
}

var errStop = errors.New("stop")
