package doctor_test

import (
	"context"
	"crypto/tls"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/agentgateway-go/agentgateway/internal/doctor"
)

// refused checks that a certificate the library refuses fails the tls
// check, that nothing is signed in, and that ALPN and the clock are still
// read, the clock without verification.
func refused(t *testing.T, byID map[string]doctor.Result, requests func(string) int) {
	t.Helper()
	assert.Equal(t, "dns=ok tcp=ok tls=fail http2=ok clock=ok signin=skip poll=skip push=skip signout=skip", statuses(byID))
	assert.Contains(t, byID["clock"].Detail, "without verifying")
	assert.Contains(t, byID["signin"].Detail, "refuse the gateway's certificate")
	assert.Zero(t, requests("SignIn"), "no password goes to a gateway the library would refuse")
}

func TestExpiredCertificateFails(t *testing.T) {
	ca := newCA(t)
	g := newGateway(t)
	cert := ca.leaf(t, time.Now().Add(-40*24*time.Hour), time.Now().Add(-72*time.Hour), "127.0.0.1")
	ts := serve(t, g, serveOpts{cert: cert})

	rs, byID := run(t, context.Background(), signInConfig(ts.URL, ca.pool))

	refused(t, byID, g.Requests)
	assert.True(t, doctor.Failed(rs))
	tls := byID["tls"]
	assert.Contains(t, tls.Detail, "expired 20")
	assert.Contains(t, tls.Detail, "3 days ago")
	assert.Contains(t, tls.Detail, "refused: expired")
	assert.NotContains(t, tls.Detail, "wrong host")
	assert.NotContains(t, tls.Detail, "untrusted", "the chain is fine but for the date")
	assert.Contains(t, tls.Hint, "renew")
}

func TestWrongHostCertificateFails(t *testing.T) {
	ca := newCA(t)
	g := newGateway(t)
	cert := ca.leaf(t, time.Now().Add(-time.Hour), time.Now().Add(300*24*time.Hour), "gw.example", "gw2.example")
	ts := serve(t, g, serveOpts{cert: cert})

	_, byID := run(t, context.Background(), signInConfig(ts.URL, ca.pool))

	refused(t, byID, g.Requests)
	tls := byID["tls"]
	assert.Contains(t, tls.Detail, "certificate for gw.example, gw2.example")
	assert.Contains(t, tls.Detail, "refused: wrong host (not valid for 127.0.0.1)")
	assert.NotContains(t, tls.Detail, "expired")
	assert.NotContains(t, tls.Detail, "untrusted")
	assert.Contains(t, tls.Hint, "reissue")
}

func TestUntrustedChainFails(t *testing.T) {
	g := newGateway(t)
	ts := serve(t, g, serveOpts{cert: newCA(t).leaf(t, time.Now().Add(-time.Hour), time.Now().Add(300*24*time.Hour), "127.0.0.1")})

	_, byID := run(t, context.Background(), signInConfig(ts.URL, newCA(t).pool)) // another CA

	refused(t, byID, g.Requests)
	assert.Contains(t, byID["tls"].Detail, "refused: untrusted chain (signed by an unknown authority: doctor test CA)")
	assert.Contains(t, byID["tls"].Hint, "CA")
}

func TestCertificateExpiringSoonWarns(t *testing.T) {
	ca := newCA(t)
	g := newGateway(t)
	cert := ca.leaf(t, time.Now().Add(-300*24*time.Hour), time.Now().Add(10*24*time.Hour+time.Hour), "127.0.0.1")
	ts := serve(t, g, serveOpts{cert: cert})

	rs, byID := run(t, context.Background(), signInConfig(ts.URL, ca.pool))

	assert.Equal(t, "dns=ok tcp=ok tls=warn http2=ok clock=ok signin=ok poll=ok push=skip signout=ok", statuses(byID))
	assert.False(t, doctor.Failed(rs))
	assert.Contains(t, byID["tls"].Detail, "in 10 days")
	assert.Contains(t, byID["tls"].Detail, "within 30 days")
	assert.Contains(t, byID["tls"].Hint, "renew")
	assert.Equal(t, 1, g.Requests("SignOut"))
}

func TestInsecureWarnsAndSaysWhatWouldFail(t *testing.T) {
	g := newGateway(t)
	ts := serve(t, g, serveOpts{cert: newCA(t).leaf(t, time.Now().Add(-time.Hour), time.Now().Add(300*24*time.Hour), "gw.example")})
	cfg := signInConfig(ts.URL, nil)
	cfg.Insecure = true

	_, byID := run(t, context.Background(), cfg)

	assert.Equal(t, "dns=ok tcp=ok tls=warn http2=ok clock=ok signin=ok poll=ok push=skip signout=ok", statuses(byID))
	assert.Contains(t, byID["tls"].Detail, "verification is off")
	assert.Contains(t, byID["tls"].Detail, "else refused: wrong host")
	assert.Contains(t, byID["tls"].Hint, "anyone on the path")
}

func TestHTTP2GatewayWarns(t *testing.T) {
	g := newGateway(t)
	ts := serve(t, g, serveOpts{h2: true})

	_, byID := run(t, context.Background(), signInConfig(ts.URL, poolOf(ts)))

	assert.Equal(t, "dns=ok tcp=ok tls=ok http2=warn clock=ok signin=ok poll=ok push=skip signout=ok", statuses(byID))
	assert.Contains(t, byID["http2"].Detail, "chose h2")
	assert.Contains(t, byID["http2"].Hint, "stays on HTTP/1.1")
}

func TestPlainServerBehindHTTPSURLFailsTheHandshake(t *testing.T) {
	g := newGateway(t)
	ts := serve(t, g, serveOpts{plain: true})

	_, byID := run(t, context.Background(), signInConfig("https://"+ts.Listener.Addr().String(), nil))

	assert.Equal(t, "dns=ok tcp=ok tls=fail http2=skip clock=skip signin=skip poll=skip push=skip signout=skip", statuses(byID))
	assert.Contains(t, byID["tls"].Detail, "handshake")
	assert.Contains(t, byID["tls"].Hint, "http://")
	assert.Contains(t, byID["clock"].Detail, "tls failed")
	assert.Zero(t, g.Requests("SignIn"))
}

func TestOldTLSVersionWarns(t *testing.T) {
	ca := newCA(t)
	g := newGateway(t)
	cert := ca.leaf(t, time.Now().Add(-time.Hour), time.Now().Add(300*24*time.Hour), "127.0.0.1")
	ts := httptest.NewUnstartedServer(g)
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11}
	ts.StartTLS()
	t.Cleanup(ts.Close)

	_, byID := run(t, context.Background(), signInConfig(ts.URL, ca.pool))

	assert.Equal(t, doctor.Warn, byID["tls"].Status)
	assert.Contains(t, byID["tls"].Detail, "TLS 1.1 is below TLS 1.2")
	assert.Contains(t, byID["tls"].Hint, "TLS 1.2")
	assert.Equal(t, doctor.Fail, byID["signin"].Status, "the library itself needs TLS 1.2")
}
