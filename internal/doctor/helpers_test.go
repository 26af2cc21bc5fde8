package doctor_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/internal/doctor"
)

// The demo agent every sign-in uses.
const (
	agent = 20001
	phone = "88001"
)

// pollWait keeps polls without events short.
const pollWait = 50 * time.Millisecond

// allChecks is the order Run reports the checks in.
var allChecks = []string{"dns", "tcp", "tls", "http2", "clock", "signin", "poll", "push", "signout"}

// newGateway is a fake gateway seeded with the demo agents, closed when
// the test ends.
func newGateway(t *testing.T, opts ...agwtest.Option) *agwtest.Gateway {
	t.Helper()
	g := agwtest.NewGateway(append([]agwtest.Option{agwtest.WithPollWait(pollWait)}, opts...)...)
	require.NoError(t, agwtest.Demo(g))
	t.Cleanup(g.Close)
	return g
}

// serveOpts say how serve serves a handler.
type serveOpts struct {
	plain bool             // http instead of https
	cert  *tls.Certificate // nil: httptest's own (for 127.0.0.1, trusted through ts.Certificate)
	h2    bool             // offer HTTP/2 by ALPN
}

// serve serves h on loopback as the fake gateway's server does, and
// closes it when the test ends; requests' contexts end first, so that
// pending polls answer.
func serve(t *testing.T, h http.Handler, o serveOpts) *httptest.Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ts := httptest.NewUnstartedServer(h)
	ts.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the tcp check's connections have no handshake
	if o.cert != nil {
		ts.TLS = &tls.Config{Certificates: []tls.Certificate{*o.cert}}
	}
	ts.EnableHTTP2 = o.h2
	if o.plain {
		ts.Start()
	} else {
		ts.StartTLS()
	}
	t.Cleanup(func() { cancel(); ts.Close() })
	return ts
}

// poolOf trusts the test server's own certificate.
func poolOf(ts *httptest.Server) *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(ts.Certificate())
	return pool
}

// testCA is a certificate authority of a test's own.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "doctor test CA"},
		NotBefore: time.Now().Add(-3 * 365 * 24 * time.Hour), NotAfter: time.Now().Add(3 * 365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// leaf issues a server certificate for names (IP addresses or host
// names), valid from notBefore to notAfter.
func (ca *testCA) leaf(t *testing.T, notBefore, notAfter time.Time, names ...string) *tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// signInConfig checks the gateway at base with the demo agent.
func signInConfig(base string, pool *x509.CertPool) doctor.Config {
	return doctor.Config{BaseURL: base, RootCAs: pool, AgentID: agent, Phone: phone,
		Password: agwtest.DemoPassword, Timeout: 5 * time.Second}
}

// run runs the doctor, checks that Progress saw each result once, in
// order, and returns the results, and them by check ID.
func run(t *testing.T, ctx context.Context, cfg doctor.Config) ([]doctor.Result, map[string]doctor.Result) {
	t.Helper()
	var seen []doctor.Result
	progress := cfg.Progress
	cfg.Progress = func(r doctor.Result) {
		seen = append(seen, r)
		if progress != nil {
			progress(r)
		}
	}
	rs, err := doctor.Run(ctx, cfg)
	require.NoError(t, err)
	require.Equal(t, rs, seen, "Progress is called once per result, in order")
	byID := make(map[string]doctor.Result, len(rs))
	for i, r := range rs {
		t.Logf("%-7s %-4s %s | %s", r.Check, r.Status, r.Detail, r.Hint)
		require.Equal(t, allChecks[i], r.Check)
		assert.NotEmpty(t, r.Detail, r.Check)
		if r.Status != doctor.OK && r.Status != doctor.Skip {
			assert.NotEmpty(t, r.Hint, r.Check)
		}
		assert.NotContains(t, r.Detail, "\n", r.Check)
		byID[r.Check] = r
	}
	return rs, byID
}

// statuses is each check's status, in order, for one readable assertion.
func statuses(byID map[string]doctor.Result) string {
	var b strings.Builder
	for _, id := range allChecks {
		b.WriteString(id + "=" + string(byID[id].Status) + " ")
	}
	return strings.TrimSpace(b.String())
}

// assertNoSecret checks that no result shows any of secrets.
func assertNoSecret(t *testing.T, byID map[string]doctor.Result, secrets ...string) {
	t.Helper()
	for _, r := range byID {
		for _, s := range secrets {
			require.NotEmpty(t, s)
			assert.NotContains(t, r.Detail, s, r.Check)
			assert.NotContains(t, r.Hint, s, r.Check)
		}
	}
}
