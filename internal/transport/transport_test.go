package transport_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/internal/transport"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// http1Only checks what the library makes of a transport it owns.
func http1Only(t *testing.T, rt http.RoundTripper) *http.Transport {
	t.Helper()
	tr, ok := rt.(*http.Transport)
	require.True(t, ok, "got %T", rt)
	require.NotNil(t, tr.Protocols)
	assert.True(t, tr.Protocols.HTTP1())
	assert.False(t, tr.Protocols.HTTP2())
	assert.False(t, tr.Protocols.UnencryptedHTTP2())
	assert.False(t, tr.ForceAttemptHTTP2)
	assert.False(t, transport.MayHTTP2(tr))
	require.NotNil(t, tr.TLSClientConfig)
	assert.GreaterOrEqual(t, tr.TLSClientConfig.MinVersion, uint16(tls.VersionTLS12))
	assert.Equal(t, []string{"http/1.1"}, tr.TLSClientConfig.NextProtos)
	return tr
}

func TestNewZeroConfig(t *testing.T) {
	hc, mayHTTP2, err := transport.New(transport.Config{})
	require.NoError(t, err)
	assert.False(t, mayHTTP2)
	tr := http1Only(t, hc.Transport)
	assert.NotSame(t, http.DefaultTransport, tr, "the default transport is cloned, not changed")
	assert.False(t, tr.TLSClientConfig.InsecureSkipVerify)
	assert.Nil(t, tr.TLSClientConfig.RootCAs, "the system roots")
	require.NotNil(t, hc.CheckRedirect)
}

func TestNoRedirect(t *testing.T) {
	var targetHits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/to" {
			targetHits.Add(1)
			return
		}
		http.Redirect(w, r, "/to", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()

	hc, _, err := transport.New(transport.Config{})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(testCtx(t), http.MethodPut, srv.URL+"/from", strings.NewReader("{}"))
	require.NoError(t, err)
	resp, err := hc.Do(req)
	require.NoError(t, err, "the 3xx is the reply, not an error")
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusTemporaryRedirect, resp.StatusCode)
	assert.Equal(t, "/to", resp.Header.Get("Location"))
	assert.Equal(t, "HTTP/1.1", resp.Proto)
	assert.Zero(t, targetHits.Load(), "the redirect is not followed")
}

func TestNewHTTPClient(t *testing.T) {
	given := &http.Client{Timeout: time.Minute}
	hc, _, err := transport.New(transport.Config{HTTPClient: given})
	require.NoError(t, err)
	assert.NotSame(t, given, hc, "copied")
	assert.Nil(t, given.Transport, "the caller's client is left alone")
	assert.Nil(t, given.CheckRedirect)
	assert.Equal(t, time.Minute, hc.Timeout)
	http1Only(t, hc.Transport)
	require.NotNil(t, hc.CheckRedirect)

	follow := func(*http.Request, []*http.Request) error { return nil }
	hc, _, err = transport.New(transport.Config{HTTPClient: &http.Client{CheckRedirect: follow}})
	require.NoError(t, err)
	assert.Nil(t, hc.CheckRedirect(nil, nil), "the caller's own policy is kept")

	_, _, err = transport.New(transport.Config{HTTPClient: &http.Client{}, Transport: &http.Transport{}})
	assert.ErrorContains(t, err, "exclude each other")
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNewOtherRoundTripper(t *testing.T) {
	rt := roundTripper(func(*http.Request) (*http.Response, error) { return nil, io.EOF })
	hc, mayHTTP2, err := transport.New(transport.Config{Transport: rt})
	require.NoError(t, err)
	assert.False(t, mayHTTP2, "unknowable, and not an *http.Transport")
	assert.NotNil(t, hc.Transport)

	for name, cfg := range map[string]transport.Config{
		"TLSConfig":          {Transport: rt, TLSConfig: &tls.Config{}},
		"RootCAs":            {Transport: rt, RootCAs: x509.NewCertPool()},
		"InsecureSkipVerify": {Transport: rt, InsecureSkipVerify: true},
		"in HTTPClient":      {HTTPClient: &http.Client{Transport: rt}, RootCAs: x509.NewCertPool()},
	} {
		_, _, err := transport.New(cfg)
		assert.ErrorContains(t, err, "TLS settings need an *http.Transport", name)
	}
}

func TestNewCallerTransport(t *testing.T) {
	plain := &http.Transport{}
	hc, mayHTTP2, err := transport.New(transport.Config{Transport: plain})
	require.NoError(t, err)
	assert.Same(t, plain, hc.Transport, "used as given")
	assert.True(t, mayHTTP2, "a zero http.Transport negotiates h2 over TLS")
	assert.Nil(t, plain.Protocols, "not changed")

	h1 := &http.Transport{Protocols: new(http.Protocols)}
	h1.Protocols.SetHTTP1(true)
	hc, mayHTTP2, err = transport.New(transport.Config{Transport: h1})
	require.NoError(t, err)
	assert.Same(t, h1, hc.Transport)
	assert.False(t, mayHTTP2)

	h2 := &http.Transport{TLSClientConfig: &tls.Config{}, ForceAttemptHTTP2: true}
	_, mayHTTP2, err = transport.New(transport.Config{Transport: h2})
	require.NoError(t, err)
	assert.True(t, mayHTTP2)
}

func TestNewTLSSettings(t *testing.T) {
	pool := x509.NewCertPool()
	caller := &http.Transport{MaxConnsPerHost: 7}
	hc, mayHTTP2, err := transport.New(transport.Config{Transport: caller, RootCAs: pool})
	require.NoError(t, err)
	assert.False(t, mayHTTP2)
	tr := http1Only(t, hc.Transport)
	assert.NotSame(t, caller, tr, "cloned before the TLS setting")
	assert.Equal(t, 7, tr.MaxConnsPerHost, "the caller's settings are kept")
	assert.Same(t, pool, tr.TLSClientConfig.RootCAs)
	assert.Nil(t, caller.Protocols, "the caller's transport is left alone")
	if caller.TLSClientConfig != nil { // net/http's Clone sets up h2 on the original
		assert.NotSame(t, caller.TLSClientConfig, tr.TLSClientConfig)
		assert.Nil(t, caller.TLSClientConfig.RootCAs)
	}

	hc, _, err = transport.New(transport.Config{InsecureSkipVerify: true})
	require.NoError(t, err)
	assert.True(t, http1Only(t, hc.Transport).TLSClientConfig.InsecureSkipVerify)

	own := &tls.Config{MinVersion: tls.VersionTLS13, NextProtos: []string{"h2"}, ServerName: "gw.example"}
	hc, _, err = transport.New(transport.Config{TLSConfig: own})
	require.NoError(t, err)
	tc := http1Only(t, hc.Transport).TLSClientConfig
	assert.Equal(t, uint16(tls.VersionTLS13), tc.MinVersion, "a higher minimum is kept")
	assert.Equal(t, "gw.example", tc.ServerName)
	assert.Equal(t, []string{"h2"}, own.NextProtos, "the caller's config is cloned, not changed")
	assert.False(t, tc.InsecureSkipVerify)
}

// TestTLSOverHTTP2Server: against a server offering h2 the client still
// speaks HTTP/1.1, and it verifies the certificate.
func TestTLSOverHTTP2Server(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{NextProtos: []string{"h2", "http/1.1"}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below
	srv.StartTLS()
	defer srv.Close()

	// Control: a client that offers h2 gets it here.
	req, err := http.NewRequestWithContext(testCtx(t), http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	require.Equal(t, 2, resp.ProtoMajor)

	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	hc, _, err := transport.New(transport.Config{RootCAs: pool})
	require.NoError(t, err)
	req, err = http.NewRequestWithContext(testCtx(t), http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	resp, err = hc.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, 1, resp.ProtoMajor)
	assert.Equal(t, "http/1.1", resp.TLS.NegotiatedProtocol)

	untrusting, _, err := transport.New(transport.Config{})
	require.NoError(t, err)
	req, err = http.NewRequestWithContext(testCtx(t), http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	_, err = untrusting.Do(req)
	var unknown x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &unknown, "a self-signed certificate is refused by default")
}

func TestSendOnce(t *testing.T) {
	put, err := http.NewRequest(http.MethodPut, "http://gw.example/x", strings.NewReader(`{"a":1}`))
	require.NoError(t, err)
	require.NotNil(t, put.GetBody)
	transport.SendOnce(put)
	assert.Nil(t, put.GetBody, "a written body cannot be sent again")
	b, err := io.ReadAll(put.Body)
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, string(b), "the body itself is unchanged")

	for _, method := range []string{http.MethodGet, http.MethodDelete} {
		req, err := http.NewRequest(method, "http://gw.example/x", nil)
		require.NoError(t, err)
		transport.SendOnce(req)
		require.NotNil(t, req.Body, method)
		n, err := req.Body.Read(make([]byte, 8))
		assert.Zero(t, n)
		assert.Equal(t, io.EOF, err, method)
		assert.NoError(t, req.Body.Close())
		assert.Nil(t, req.GetBody)
	}

	post, err := http.NewRequest(http.MethodPost, "http://gw.example/x", nil)
	require.NoError(t, err)
	transport.SendOnce(post)
	assert.Nil(t, post.Body, "only GET and DELETE get the empty body")
}

// TestSendOnceOnTheWire: the empty body of a GET changes nothing on the wire.
func TestSendOnceOnTheWire(t *testing.T) {
	got := make(chan string, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("Content-Length") + "|" + strings.Join(r.TransferEncoding, ",")
	}))
	defer srv.Close()
	hc, _, err := transport.New(transport.Config{})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(testCtx(t), http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	transport.SendOnce(req)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, "|", <-got, "no Content-Length, no chunking")
}

func TestBaseURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://gw:8043":   "https://gw:8043/agentgateway/resource",
		"https://gw:8043/":  "https://gw:8043/agentgateway/resource",
		"http://proxy/agw/": "http://proxy/agw",
	} {
		u, err := transport.BaseURL(raw, "/agentgateway/resource")
		require.NoError(t, err, raw)
		assert.Equal(t, want, u.String(), raw)
	}
	for raw, rule := range map[string]string{
		"":                           "an http or https URL",
		"ftp://gw":                   "an http or https URL",
		"https://":                   "a URL with a host",
		"https://user:Pw7xQz9Kd2@gw": "a URL without user info",
		"https://gw/?x=1":            "a URL without query or fragment",
		"https://gw/#top":            "a URL without query or fragment",
		"https://gw:bad port/x\x7f":  "an http or https URL (",
	} {
		_, err := transport.BaseURL(raw, "/r")
		bad, ok := errors.AsType[*transport.URLError](err)
		require.True(t, ok, "%q: %v", raw, err)
		assert.Contains(t, bad.Rule, rule, raw)
		assert.NotContains(t, err.Error(), "Pw7xQz9Kd2", "user info is never shown")
	}
}
