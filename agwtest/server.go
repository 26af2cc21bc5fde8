package agwtest

import (
	"github.com/agentgateway-go/agentgateway/generated"

	"context"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
)

// Server is a Gateway listening on a loopback port, for tests.
type Server struct {
	*Gateway
	ts     *httptest.Server
	cancel context.CancelFunc
}

// New starts a Gateway over plain HTTP on 127.0.0.1, like
// httptest.NewServer. Close it when done.
func New(opts ...Option) *Server { return start(false, opts) }

// NewTLS is New over HTTPS with a self-signed certificate, like
// httptest.NewTLSServer; trust Certificate, or use Client.
func NewTLS(opts ...Option) *Server { return start(true, opts) }

func start(tls bool, opts []Option) *Server {
	g := NewGateway(opts...)
	ctx, cancel := context.WithCancel(context.Background())
	ts := httptest.NewUnstartedServer(g)
	// Requests inherit ctx, so Close can end pending long polls at once.
	ts.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	if tls {
		ts.StartTLS()
	} else {
		ts.Start()
	}
	return &Server{Gateway: g, ts: ts, cancel: cancel}
}

// URL is the server root, e.g. "http://127.0.0.1:PORT".
func (s *Server) URL() string { return s.ts.URL }

// BaseURL is where the API lives: URL() + "/agentgateway/resource".
func (s *Server) BaseURL() string { return s.ts.URL + generated.BasePath }

// Certificate is the TLS server's certificate, or nil for plain HTTP.
func (s *Server) Certificate() *x509.Certificate {
	if s.ts.TLS == nil {
		return nil
	}
	return s.ts.Certificate()
}

// Client returns an HTTP client for the server; for NewTLS it trusts the
// server's certificate.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Close ends pending polls (they answer with no event), then shuts the
// server down and waits for every request to finish.
func (s *Server) Close() {
	s.cancel()
	s.Gateway.Close()
	s.ts.Close()
}
