package doctor_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/doctor"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestUnansweredPollFailsAndSignOutStillRuns(t *testing.T) {
	g := newGateway(t)
	held := make(chan struct{}, 1)
	release := make(chan struct{})
	// Event polls are held until the client gives up (or the test ends);
	// everything else reaches the fake.
	hold := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/agentevent/") {
			held <- struct{}{}
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		g.ServeHTTP(w, r)
	})
	ts := serve(t, hold, serveOpts{})
	t.Cleanup(func() { close(release) }) // before the server closes
	cfg := signInConfig(ts.URL, poolOf(ts))
	cfg.PollTimeout = 300 * time.Millisecond

	rs, byID := run(t, context.Background(), cfg)

	assert.Equal(t, "dns=ok tcp=ok tls=ok http2=ok clock=ok signin=ok poll=fail push=skip signout=ok", statuses(byID))
	assert.True(t, doctor.Failed(rs))
	require.Len(t, held, 1, "the poll reached the gateway")
	assert.Contains(t, byID["poll"].Detail, "no reply to the event poll within 300ms")
	assert.Contains(t, byID["poll"].Hint, "poll wait")
	assert.Contains(t, byID["poll"].Hint, "proxy")
	assert.Less(t, byID["poll"].Duration, 5*time.Second)
	assert.Equal(t, 1, g.Requests("SignOut"))
	_, signedIn := g.Guid(agent)
	assert.False(t, signedIn, "the agent is signed out after the failed poll")
}

func TestBadPasswordFailsSignInWithItsRetcode(t *testing.T) {
	srv := agwtest.NewTLS(agwtest.WithPollWait(pollWait))
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	cfg := signInConfig(srv.BaseURL(), nil)
	cfg.Insecure = true
	cfg.Password = "Wrong-Secret-42"

	rs, byID := run(t, context.Background(), cfg)

	assert.Equal(t, "dns=ok tcp=ok tls=warn http2=ok clock=ok signin=fail poll=skip push=skip signout=skip", statuses(byID))
	assert.True(t, doctor.Failed(rs))
	signin := byID["signin"]
	assert.Contains(t, signin.Detail, generated.RetCodeBadCredentials)
	assert.Contains(t, signin.Detail, wrapper.RetCodeText(generated.RetCodeBadCredentials))
	assert.Contains(t, signin.Hint, "password")
	assert.Contains(t, byID["poll"].Detail, "signin failed")
	assert.Contains(t, byID["signout"].Detail, "signin failed")
	assert.Zero(t, srv.Requests("PollEvent"))
	assertNoSecret(t, byID, "Wrong-Secret-42")
}

func TestAgentSignedInElsewhereIsNotForced(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(pollWait))
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	guid, err := srv.SignIn(agent) // at its desk
	require.NoError(t, err)

	_, byID := run(t, context.Background(), signInConfig(srv.BaseURL(), nil))

	assert.Equal(t, doctor.Fail, byID["signin"].Status)
	assert.Contains(t, byID["signin"].Detail, generated.RetCodeAlreadySignedIn)
	assert.Contains(t, byID["signin"].Hint, "spare test agent")
	still, _ := srv.Guid(agent)
	assert.Equal(t, guid, still, "the desk's session is untouched")
	assertNoSecret(t, byID, agwtest.DemoPassword, guid)
}

func TestClockSkew(t *testing.T) {
	cases := []struct {
		name   string
		offset time.Duration
		status doctor.Status
		says   string
	}{
		{"in step", 0, doctor.OK, "clock"},
		{"a little behind", -20 * time.Second, doctor.Warn, "20s behind this host's"},
		{"far ahead", 3 * time.Minute, doctor.Fail, "3m0s ahead of this host's"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := newGateway(t)
			// The gateway's clock is off by offset: every reply says so.
			skewed := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", time.Now().Add(c.offset).UTC().Format(http.TimeFormat))
				g.ServeHTTP(w, r)
			})
			ts := serve(t, skewed, serveOpts{})

			_, byID := run(t, context.Background(), signInConfig(ts.URL, poolOf(ts)))

			clock := byID["clock"]
			assert.Equal(t, c.status, clock.Status, clock.Detail)
			assert.Contains(t, clock.Detail, c.says)
			if c.status != doctor.OK {
				assert.Contains(t, clock.Hint, "NTP")
			}
			assert.Equal(t, doctor.OK, byID["signout"].Status, "a skewed clock does not stop the sign-in")
		})
	}
}

func TestUnreachablePushURLFails(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(pollWait))
	t.Cleanup(srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	cfg := doctor.Config{BaseURL: srv.BaseURL(), Timeout: 5 * time.Second, PushURL: "https://" + addr + "/cb?token=cb-Secret-77"}

	rs, byID := run(t, context.Background(), cfg)

	push := byID["push"]
	assert.Equal(t, doctor.Fail, push.Status)
	assert.True(t, doctor.Failed(rs))
	assert.True(t, strings.HasPrefix(push.Detail, "https://"+addr+": "), push.Detail)
	assert.Contains(t, push.Detail, "not from the gateway")
	assert.Contains(t, push.Hint, "own network")
	assert.Equal(t, doctor.OK, byID["clock"].Status, "the gateway's checks are not affected")
	assertNoSecret(t, byID, "cb-Secret-77")
}
