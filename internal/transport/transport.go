// Package transport builds the HTTP clients the agent gateway needs: each
// request reaches the gateway at most once (HTTP/1.1 only, no redirect
// followed, no request replayed), TLS certificates are verified (TLS 1.2 or
// later) unless a lab setting says otherwise, and a client may fall over to
// a backup gateway for the requests marked safe to send twice. Package
// wrapper builds its clients with it; so can users of the bare generated
// client.
package transport

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Config says how to build a client. Its zero value gives the library's own
// transport with the system's roots.
type Config struct {
	// HTTPClient, if set, is copied and used as given, except that a nil
	// Transport becomes the library's own, and a nil CheckRedirect "never
	// follow". It excludes Transport.
	HTTPClient *http.Client
	// Transport, if set, sends the requests (a proxy-aware or instrumented
	// one, say). An *http.Transport is used as given unless a TLS setting
	// is made, when it is cloned and made HTTP/1.1-only like the library's
	// own. Any other RoundTripper takes no TLS setting.
	Transport http.RoundTripper
	// TLSConfig is cloned for HTTPS; verification stays on unless it turns
	// it off.
	TLSConfig *tls.Config
	// RootCAs, if set, are trusted instead of the system roots.
	RootCAs *x509.CertPool
	// InsecureSkipVerify turns certificate verification off, for a lab
	// gateway with a self-signed certificate only.
	InsecureSkipVerify bool
}

// New builds the client cfg describes. mayHTTP2 reports that a caller's
// *http.Transport, used as given, may negotiate HTTP/2, whose client resends
// a request without a body when the server resets its stream: the caller
// should hear of it.
func New(cfg Config) (hc *http.Client, mayHTTP2 bool, err error) {
	if cfg.HTTPClient != nil && cfg.Transport != nil {
		return nil, false, errors.New("agentgateway: an HTTP client and a transport exclude each other")
	}
	var c http.Client
	if cfg.HTTPClient != nil {
		c = *cfg.HTTPClient
	} else {
		c.Transport = cfg.Transport
	}
	if c.CheckRedirect == nil {
		c.CheckRedirect = refuseRedirect
	}
	tlsSet := cfg.TLSConfig != nil || cfg.RootCAs != nil || cfg.InsecureSkipVerify
	switch t := c.Transport.(type) {
	case nil:
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// Many agents share one gateway host: keep enough idle connections.
		tr.MaxIdleConnsPerHost = 64
		c.Transport = own(cfg, tr)
	case *http.Transport:
		if tlsSet {
			c.Transport = own(cfg, t.Clone())
		} else {
			mayHTTP2 = MayHTTP2(t)
		}
	default:
		if tlsSet {
			return nil, false, fmt.Errorf("agentgateway: TLS settings need an *http.Transport, not %T", c.Transport)
		}
	}
	return &c, mayHTTP2, nil
}

// own makes tr, a transport the library builds, speak HTTP/1.1 only: Go's
// HTTP/2 client sends a request again, a PUT included, when the server
// resets its stream, and the gateway speaks HTTP/1.1 anyway.
func own(cfg Config, tr *http.Transport) *http.Transport {
	tr.Protocols = new(http.Protocols)
	tr.Protocols.SetHTTP1(true)
	tr.ForceAttemptHTTP2 = false
	tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	tr.MaxResponseHeaderBytes = 64 << 10 // 1xx replies count too
	// A connection per waiting long poll: its buffers are most of what an
	// idle agent costs. Requests are small; replies are read in 4 KiB steps.
	if tr.WriteBufferSize == 0 {
		tr.WriteBufferSize = 1 << 10
	}
	var t *tls.Config
	switch {
	case cfg.TLSConfig != nil:
		t = cfg.TLSConfig.Clone()
	case tr.TLSClientConfig != nil:
		t = tr.TLSClientConfig.Clone()
	default:
		t = &tls.Config{}
	}
	if t.MinVersion == 0 {
		t.MinVersion = tls.VersionTLS12
	}
	if cfg.RootCAs != nil {
		t.RootCAs = cfg.RootCAs
	}
	if cfg.InsecureSkipVerify {
		t.InsecureSkipVerify = true // an explicit lab-only opt-in
	}
	t.NextProtos = []string{"http/1.1"} // never offer h2, whatever the config said
	tr.TLSClientConfig = t
	return tr
}

// MayHTTP2 reports whether t may negotiate HTTP/2, by net/http's rules,
// erring towards yes.
func MayHTTP2(t *http.Transport) bool {
	switch {
	case t.TLSNextProto["h2"] != nil:
		return true
	case t.Protocols != nil:
		return t.Protocols.HTTP2() || t.Protocols.UnencryptedHTTP2()
	case t.TLSNextProto != nil:
		return false
	}
	return t.ForceAttemptHTTP2 || (t.TLSClientConfig == nil && t.DialContext == nil && t.DialTLSContext == nil)
}

// refuseRedirect stops at the first 3xx: following it would send a
// call-control request twice.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// SendOnce makes req one net/http will not send twice: without GetBody it
// cannot resend a body it has written, and a GET or DELETE with a non-nil
// body is not "replayable" on a kept-alive connection that closed (the
// empty body is probed and not sent, so the wire is unchanged). It suits a
// generated client's request editor.
func SendOnce(req *http.Request) {
	req.GetBody = nil
	if req.Body == nil && (req.Method == http.MethodGet || req.Method == http.MethodDelete) {
		req.Body = noReplay{}
	}
}

// noReplay is an empty body that cannot be rewound.
type noReplay struct{}

func (noReplay) Read([]byte) (int, error) { return 0, io.EOF }
func (noReplay) Close() error             { return nil }
