package doctor_test

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/internal/doctor"
)

func TestHealthyGatewayIsAllOK(t *testing.T) {
	srv := agwtest.NewTLS(agwtest.WithPollWait(pollWait))
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	callback := serve(t, newGateway(t), serveOpts{}) // any https server stands for a push receiver

	cfg := signInConfig(srv.BaseURL(), pool)
	cfg.PushURL = callback.URL + "/events?token=cb-Secret-77"
	var guid string
	cfg.Progress = func(r doctor.Result) {
		if r.Check == "signin" { // the session is live now: keep the Guid the fake issued
			guid, _ = srv.Guid(agent)
		}
	}
	rs, byID := run(t, context.Background(), cfg)

	assert.Equal(t, "dns=ok tcp=ok tls=ok http2=ok clock=ok signin=ok poll=ok push=ok signout=ok", statuses(byID), "%+v", rs)
	assert.False(t, doctor.Failed(rs))
	assert.Contains(t, byID["tls"].Detail, "TLS 1.3")
	assert.Contains(t, byID["tls"].Detail, "expires")
	assert.Contains(t, byID["http2"].Detail, "http/1.1")
	assert.Contains(t, byID["signin"].Detail, "Set-GUID")
	assert.Contains(t, byID["poll"].Detail, "event")
	assert.Contains(t, byID["push"].Detail, "not from the gateway")
	assert.NotContains(t, byID["push"].Detail, "cb-Secret-77", "the callback's query may hold a token")
	for _, r := range rs {
		if r.Status != doctor.Skip {
			assert.Positive(t, r.Duration, r.Check)
		}
	}

	assert.Equal(t, 1, srv.Requests("SignIn"))
	assert.Equal(t, 1, srv.Requests("PollEvent"))
	assert.Equal(t, 1, srv.Requests("SignOut"))
	_, signedIn := srv.Guid(agent)
	assert.False(t, signedIn, "the agent is signed out")
	require.NotEmpty(t, guid)
	assertNoSecret(t, byID, agwtest.DemoPassword, guid, "cb-Secret-77")
}

func TestPlainHTTPWarnsOfClearText(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(pollWait))
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))

	rs, byID := run(t, context.Background(), signInConfig(srv.BaseURL(), nil))

	assert.Equal(t, "dns=ok tcp=ok tls=warn http2=skip clock=ok signin=ok poll=ok push=skip signout=ok", statuses(byID))
	assert.False(t, doctor.Failed(rs), "a warning is not a failure")
	assert.Contains(t, byID["tls"].Detail, "password")
	assert.Contains(t, byID["tls"].Detail, "clear")
	assert.Contains(t, byID["tls"].Hint, "https")
	assert.Contains(t, byID["http2"].Detail, "plain http")
	assert.Equal(t, 1, srv.Requests("SignOut"))
}

func TestNoAgentSkipsTheSession(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(pollWait))
	t.Cleanup(srv.Close)

	_, byID := run(t, context.Background(), doctor.Config{BaseURL: srv.BaseURL(), Timeout: 5 * time.Second})

	assert.Equal(t, "dns=ok tcp=ok tls=warn http2=skip clock=ok signin=skip poll=skip push=skip signout=skip", statuses(byID))
	assert.Contains(t, byID["signin"].Detail, "no agent ID")
	assert.Contains(t, byID["poll"].Detail, "no agent ID")
	assert.Zero(t, srv.Requests("SignIn"))
}

func TestClosedPortFailsTCPAndSkipsTheRest(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now

	rs, byID := run(t, context.Background(), signInConfig("https://"+addr, nil))

	assert.Equal(t, "dns=ok tcp=fail tls=skip http2=skip clock=skip signin=skip poll=skip push=skip signout=skip", statuses(byID))
	assert.True(t, doctor.Failed(rs))
	assert.Contains(t, byID["tcp"].Detail, addr)
	assert.Contains(t, byID["tcp"].Hint, "nothing listens")
	for _, id := range []string{"tls", "http2", "clock", "signin"} {
		assert.Contains(t, byID[id].Detail, "tcp failed", id)
	}
	assert.Contains(t, byID["poll"].Detail, "signin skipped")
}

func TestBadConfigIsAnErrorBeforeAnyCheck(t *testing.T) {
	good := signInConfig("https://127.0.0.1:1", nil)
	cases := map[string]func(*doctor.Config){
		"no base URL":         func(c *doctor.Config) { c.BaseURL = "" },
		"not http":            func(c *doctor.Config) { c.BaseURL = "ftp://gw:21" },
		"no host":             func(c *doctor.Config) { c.BaseURL = "https://" },
		"negative timeout":    func(c *doctor.Config) { c.Timeout = -time.Second },
		"negative poll bound": func(c *doctor.Config) { c.PollTimeout = -time.Second },
		"agent out of range":  func(c *doctor.Config) { c.AgentID = 100 },
		"wide agent, narrow":  func(c *doctor.Config) { c.AgentID = 600000 },
		"negative agent":      func(c *doctor.Config) { c.AgentID = -1 },
		"no phone":            func(c *doctor.Config) { c.Phone = "" },
		"phone not digits":    func(c *doctor.Config) { c.Phone = "88-001" },
		"no password":         func(c *doctor.Config) { c.Password = "" },
		"long password":       func(c *doctor.Config) { c.Password = "0123456789012345678901234567890123" },
		"CA and insecure":     func(c *doctor.Config) { c.Insecure, c.RootCAs = true, x509.NewCertPool() },
		"push not a URL":      func(c *doctor.Config) { c.PushURL = "cb-Secret-77" },
		"push not http":       func(c *doctor.Config) { c.PushURL = "ftp://cb/?token=cb-Secret-77" },
	}
	for name, spoil := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := good
			spoil(&cfg)
			cfg.Progress = func(r doctor.Result) { t.Errorf("no check may run, but %s did", r.Check) }
			rs, err := doctor.Run(context.Background(), cfg)
			require.Error(t, err)
			assert.Nil(t, rs)
			assert.NotContains(t, err.Error(), agwtest.DemoPassword)
			assert.NotContains(t, err.Error(), "cb-Secret-77")
		})
	}
	//lint:ignore SA1012 a nil context is the bad input under test
	_, err := doctor.Run(nil, good)
	assert.Error(t, err)

	wide := good
	wide.AgentID, wide.WideIDs = 600000, true
	wide.Progress = func(doctor.Result) {}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a wide ID is accepted; with ctx over, nothing is sent
	rs, err := doctor.Run(ctx, wide)
	require.NoError(t, err)
	for _, r := range rs {
		assert.Equal(t, doctor.Skip, r.Status, r.Check)
		if r.Check != "signout" {
			assert.Contains(t, r.Detail, "context canceled", r.Check)
		}
	}
	assert.Contains(t, rs[len(rs)-1].Detail, "nothing to sign out")
}

func TestInterruptedRunStillSignsOut(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(pollWait))
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := signInConfig(srv.BaseURL(), nil)
	cfg.Progress = func(r doctor.Result) {
		if r.Check == "signin" {
			cancel() // Ctrl-C right after the sign-in
		}
	}

	_, byID := run(t, ctx, cfg)

	assert.Equal(t, "dns=ok tcp=ok tls=warn http2=skip clock=ok signin=ok poll=skip push=skip signout=ok", statuses(byID))
	assert.Contains(t, byID["poll"].Detail, "interrupted")
	assert.Zero(t, srv.Requests("PollEvent"))
	_, signedIn := srv.Guid(agent)
	assert.False(t, signedIn, "the agent is signed out")
}

// noDNS resolves from the hosts file only: its DNS server cannot be
// reached, so no test leaves this host.
var noDNS = &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
	return nil, errors.New("no DNS server in this test")
}}

func TestHostNameIsResolved(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(pollWait))
	t.Cleanup(srv.Close)
	port := srv.URL()[strings.LastIndex(srv.URL(), ":")+1:]

	cfg := doctor.Config{BaseURL: "http://localhost:" + port, Timeout: 5 * time.Second, Resolver: noDNS}

	_, byID := run(t, context.Background(), cfg)

	assert.Equal(t, doctor.OK, byID["dns"].Status)
	assert.Contains(t, byID["dns"].Detail, "localhost resolves to ")
	assert.Equal(t, doctor.OK, byID["clock"].Status)
}

func TestUnreachableDNSFailsDNS(t *testing.T) {
	cfg := doctor.Config{BaseURL: "https://gw.doctor-test.invalid:8043", Timeout: 2 * time.Second, Resolver: noDNS}

	rs, byID := run(t, context.Background(), cfg)

	assert.Equal(t, "dns=fail tcp=skip tls=skip http2=skip clock=skip signin=skip poll=skip push=skip signout=skip", statuses(byID))
	assert.True(t, doctor.Failed(rs))
	assert.Contains(t, byID["dns"].Detail, "cannot resolve gw.doctor-test.invalid")
	assert.Contains(t, byID["dns"].Hint, "DNS")
	assert.Contains(t, byID["tcp"].Detail, "dns failed")
}
