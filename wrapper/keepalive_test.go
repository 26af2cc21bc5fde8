package wrapper_test

import (
	"context"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestKeepAliveBeatsUntilCancelled(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	beats := make(chan string, 16)
	g.handle("POST /onlineagent/20001/handshake", func(w http.ResponseWriter, r *http.Request) {
		select { // never block the server, however many beats come
		case beats <- r.Header.Get("service_token"):
		default:
		}
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
	})
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() {
		done <- s.KeepAlive(ctx, "tok3n", time.Millisecond, func(err error) { assert.NoError(t, err, "onError") })
	}()
	for range 3 {
		select {
		case token := <-beats:
			require.Equal(t, "tok3n", token)
		case err := <-done:
			require.FailNow(t, "KeepAlive ended early", "%v", err)
		}
	}
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

func TestKeepAliveSurvivesFailuresAndEndsOnSignOut(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	replies := []func(w http.ResponseWriter){
		func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>bad gateway</html>")
		},
		func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, `{"message":"not login","retcode":"100-006","result":""}`)
		},
	}
	n := 0
	g.handle("POST /onlineagent/20001/handshake", func(w http.ResponseWriter, _ *http.Request) {
		replies[min(n, len(replies)-1)](w)
		n++
	})
	var survived []error
	err := s.KeepAlive(testContext(t), "", time.Millisecond, func(err error) { survived = append(survived, err) })
	require.ErrorIs(t, err, wrapper.ErrNotSignedIn)
	require.Len(t, survived, 1)
	require.ErrorIs(t, survived[0], wrapper.ErrBadReply)
	require.Equal(t, 3, g.count(), "sign-in and two heartbeats, none repeated early")
}

func TestKeepAliveChecksArgumentsFirst(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	for _, tc := range []struct {
		token    string
		interval time.Duration
	}{
		{"tok3n", 0},
		{"tok3n", -time.Second},
		{"tok3n", 2 * time.Minute},
		{"not a token!", 30 * time.Second},
	} {
		err := s.KeepAlive(testContext(t), tc.token, tc.interval, nil)
		require.ErrorIs(t, err, wrapper.ErrInvalidArgument, "%+v", tc)
		require.NotContains(t, err.Error(), "not a token", "the token stays out of the error")
	}
	require.Equal(t, 1, g.count(), "only the sign-in reached the gateway")
}
