package redisstore_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// Any process can send call control from the stored session, once: a
// request whose outcome is unknown is returned, and not sent again.
func TestDoSendsOnce(t *testing.T) {
	r := startRedis(t)
	srv := fake(t)
	var puts atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPut && req.URL.Path == "/agentgateway/resource/voicecall/20001/snatchpickup" {
			puts.Add(1)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close() // read, maybe carried out, never answered
			}
			return
		}
		srv.ServeHTTP(w, req)
	}))
	t.Cleanup(front.Close)
	desk := newProcess(t, r, front.URL, time.Second)
	signIn(t, desk.client, 20001, "88001")
	other := newProcess(t, r, front.URL, time.Second)

	err := other.store.Do(ctxFor(t), other.client, 20001, func(ctx context.Context, s *wrapper.Session) error {
		return s.Release(ctx)
	})
	require.ErrorIs(t, err, wrapper.ErrCallState, "a reply: the gateway's answer, from the restored session")
	require.NotErrorIs(t, err, redisstore.ErrOutcomeUnknown, "the gateway answered")
	require.NotErrorIs(t, err, redisstore.ErrNotSent)

	err = other.store.Do(ctxFor(t), other.client, 20001, func(ctx context.Context, s *wrapper.Session) error {
		return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20002})
	})
	require.Error(t, err)
	var apiErr *wrapper.APIError
	require.False(t, errors.As(err, &apiErr), "no reply: the outcome is unknown")
	require.ErrorIs(t, err, redisstore.ErrOutcomeUnknown)
	require.NotErrorIs(t, err, redisstore.ErrNotSent)
	var e *redisstore.Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, 20001, e.Agent)
	require.True(t, e.Sent)
	require.Contains(t, err.Error(), "agent 20001: call (sent, outcome unknown)")
	require.Equal(t, int32(1), puts.Load(), "sent once, not retried")
	_, err = other.store.LoadState(ctxFor(t), 20001)
	require.NoError(t, err, "an unknown outcome keeps the session")

	require.NoError(t, srv.SignOut(20001))
	err = other.store.Do(ctxFor(t), other.client, 20001, func(ctx context.Context, s *wrapper.Session) error { return s.Release(ctx) })
	require.ErrorIs(t, err, wrapper.ErrNotSignedIn)
	_, err = other.store.LoadState(ctxFor(t), 20001)
	require.ErrorIs(t, err, redisstore.ErrNoSession, "100-006 removes it")
}

// Do's errors name the agent and say whether the request left: not sent
// while Redis is down or stalled (within the context's deadline), nor when
// the gateway's port refuses the connection or a bound is broken.
func TestDoErrors(t *testing.T) {
	r := startRedis(t)
	srv := fake(t)
	desk := newProcess(t, r, srv.URL(), time.Second)
	signIn(t, desk.client, 20001, "88001")
	release := func(ctx context.Context, s *wrapper.Session) error { return s.Release(ctx) }
	notSent := func(err error, what string) {
		t.Helper()
		require.ErrorIs(t, err, redisstore.ErrNotSent, what)
		require.NotErrorIs(t, err, redisstore.ErrOutcomeUnknown, what)
		var e *redisstore.Error
		require.ErrorAs(t, err, &e, what)
		require.Equal(t, 20001, e.Agent, what)
		require.False(t, e.Sent, what)
		require.Contains(t, err.Error(), "agent 20001", what)
		require.Contains(t, err.Error(), "(not sent)", what)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := "http://" + ln.Addr().String()
	require.NoError(t, ln.Close())
	nowhere, err := wrapper.NewClient(dead)
	require.NoError(t, err)
	notSent(desk.store.Do(ctxFor(t), nowhere, 20001, release), "connection refused")
	notSent(desk.store.Do(ctxFor(t), desk.client, 20001, func(ctx context.Context, s *wrapper.Session) error {
		return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 1})
	}), "a bound broken")

	before := srv.Requests("Release")
	require.NoError(t, r.Pause())
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctxFor(t), 300*time.Millisecond)
	err = desk.store.Do(ctx, desk.client, 20001, release)
	cancel()
	took := time.Since(start)
	require.NoError(t, r.Resume())
	notSent(err, "Redis stalled")
	require.Less(t, took, 2*time.Second, "the context's deadline bounds Redis")
	require.Contains(t, err.Error(), "load session")

	require.NoError(t, r.Stop())
	notSent(desk.store.Do(ctxFor(t), desk.client, 20001, release), "Redis down")
	require.Equal(t, before, srv.Requests("Release"), "nothing reached the gateway")
}
