package wrapper_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const notSignedIn = `{"message":"agent not login","retcode":"100-006","result":""}`

// holdPolls holds every event poll until reply gives the body to answer
// (then tells answered) or the request ends.
func holdPolls(g *gateway, reply <-chan string, answered chan<- struct{}) {
	g.handle("GET /agentevent/20001", func(w http.ResponseWriter, r *http.Request) {
		select {
		case body := <-reply:
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, body)
			answered <- struct{}{}
		case <-r.Context().Done():
		}
	})
}

// requestsTo returns the requests the gateway got for "METHOD path", path
// relative to base, in arrival order.
func requestsTo(g *gateway, pattern string) []*http.Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	var out []*http.Request
	for _, r := range g.requests {
		if r.Method+" "+r.URL.Path == strings.Replace(pattern, " ", " "+base, 1) {
			out = append(out, r)
		}
	}
	return out
}

// wantSignedOut checks that the gateway got exactly one sign-out request,
// to pattern, with the session's Guid.
func wantSignedOut(t *testing.T, g *gateway, pattern string) {
	t.Helper()
	reqs := requestsTo(g, pattern)
	require.Len(t, reqs, 1, "%s requests", pattern)
	assert.Equal(t, testGuid, reqs[0].Header.Get("Guid"), "%s sent the session's Guid", pattern)
}

func pollInBackground(t *testing.T, s *wrapper.Session) <-chan error {
	t.Helper()
	done, err := s.PollInBackground(testContext(t), func(wrapper.Event) error { return nil },
		wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond})
	require.NoError(t, err)
	return done
}

// SignOut and ForceSignOut end the session's Poll, even one waiting for a
// reply, and Poll reports no error: the end was asked for.
func TestSignOutEndsPollCleanly(t *testing.T) {
	for name, tc := range map[string]struct {
		signOut      func(*wrapper.Session, context.Context) error
		sent, unsent string
	}{
		"SignOut":      {(*wrapper.Session).SignOut, "DELETE /onlineagent/20001/logout", "DELETE /onlineagent/20001/forcelogout"},
		"ForceSignOut": {(*wrapper.Session).ForceSignOut, "DELETE /onlineagent/20001/forcelogout", "DELETE /onlineagent/20001/logout"},
	} {
		t.Run(name, func(t *testing.T) {
			g := newGateway(t)
			s := g.session()
			holdPolls(g, nil, nil)
			g.reply("DELETE /onlineagent/20001/logout", okReply)
			g.reply("DELETE /onlineagent/20001/forcelogout", okReply)
			done := pollInBackground(t, s)
			require.NoError(t, tc.signOut(s, testContext(t)))
			require.NoError(t, returns(t, func() error { return <-done }))
			wantSignedOut(t, g, tc.sent)
			assert.Empty(t, requestsTo(g, tc.unsent))
		})
	}
}

// The gateway may answer the waiting poll with 100-006 before it answers
// the sign-out that caused it; Poll waits for the sign-out to learn that.
func TestSignOutRacingItsOwn100006(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	reply, answered := make(chan string), make(chan struct{})
	holdPolls(g, reply, answered)
	g.handle("DELETE /onlineagent/20001/logout", func(w http.ResponseWriter, r *http.Request) {
		reply <- notSignedIn // the poll's reply leaves first
		<-answered
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
	})
	done := pollInBackground(t, s)
	require.NoError(t, s.SignOut(testContext(t)))
	require.NoError(t, returns(t, func() error { return <-done }))
	wantSignedOut(t, g, "DELETE /onlineagent/20001/logout")
	// The poll that got the 100-006 was the last: Poll did not retry it.
	assert.Len(t, requestsTo(g, "GET /agentevent/20001"), 1, "event polls")
}

// A sign-out the gateway refuses leaves the poll running; a 100-006 that
// no sign-out asked for still ends it with the error.
func TestRefusedSignOutKeepsPolling(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	reply, answered := make(chan string), make(chan struct{}, 1)
	holdPolls(g, reply, answered)
	g.reply("DELETE /onlineagent/20001/logout", `{"message":"talking","retcode":"100-010","result":""}`)
	done := pollInBackground(t, s)
	require.Error(t, s.SignOut(testContext(t)))
	reply <- notSignedIn
	assert.ErrorIs(t, returns(t, func() error { return <-done }), wrapper.ErrNotSignedIn)
}

// KeepAlive ends without error once the session signs out.
func TestSignOutEndsKeepAlive(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	g.reply("DELETE /onlineagent/20001/logout", okReply)
	done := make(chan error, 1)
	go func() { done <- s.KeepAlive(testContext(t), "", time.Minute, nil) }()
	require.NoError(t, s.SignOut(testContext(t)))
	require.NoError(t, returns(t, func() error { return <-done }))
	wantSignedOut(t, g, "DELETE /onlineagent/20001/logout")
	assert.Equal(t, 2, g.count(), "sign-in and sign-out only: no heartbeat was sent")
}

// Signing out ends the session's Poll, with no error: the end was asked for.
func TestFakePollEndsOnSignOut(t *testing.T) {
	for name, signOut := range map[string]func(*wrapper.Session, context.Context) error{
		"SignOut": (*wrapper.Session).SignOut, "ForceSignOut": (*wrapper.Session).ForceSignOut,
	} {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			ctx := testContext(t)
			s, err := f.client.SignIn(ctx, 20004, wrapper.SignInOptions{Phone: "88004", Password: agwtest.DemoPassword})
			require.NoError(t, err)
			done, err := s.PollInBackground(ctx, func(wrapper.Event) error { return nil }, wrapper.PollOptions{IdleDelay: time.Millisecond})
			require.NoError(t, err)
			require.NoError(t, signOut(s, ctx))
			select {
			case err := <-done:
				require.NoError(t, err)
			case <-ctx.Done():
				require.FailNow(t, "poll did not end after sign-out")
			}
			assert.Equal(t, agwtest.StateSignedOut, f.srv.AgentState(20004), "the fake's agent after %s", name)
			_, ok := f.srv.Guid(20004)
			assert.False(t, ok, "the fake still holds a Guid after %s", name)
		})
	}
}

// Done is closed once the session ends, by a sign-out or by the gateway's
// 100-006 on any call, and not before; a refused sign-out leaves it open.
func TestSessionDone(t *testing.T) {
	isDone := func(s *wrapper.Session) bool {
		select {
		case <-s.Done():
			return true
		default:
			return false
		}
	}
	g := newGateway(t)
	s := g.session()
	require.False(t, isDone(s))
	g.reply("DELETE /onlineagent/20001/logout", `{"message":"talking","retcode":"100-010","result":""}`)
	require.Error(t, s.SignOut(testContext(t)))
	require.False(t, isDone(s), "a refused sign-out does not end the session")

	g2 := newGateway(t)
	s2 := g2.session()
	g2.reply("DELETE /onlineagent/20001/forcelogout", okReply)
	require.NoError(t, s2.ForceSignOut(testContext(t)))
	require.True(t, isDone(s2))

	g3 := newGateway(t)
	s3 := g3.session()
	g3.reply("PUT /voicecall/20001/answer", notSignedIn)
	require.ErrorIs(t, s3.Answer(testContext(t), nil), wrapper.ErrNotSignedIn)
	require.True(t, isDone(s3), "the gateway no longer knows it")
	require.True(t, s3.State().Ended)
}
