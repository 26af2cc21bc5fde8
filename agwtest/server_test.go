package agwtest_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func TestServerURLs(t *testing.T) {
	t.Parallel()
	srv := agwtest.New()
	defer srv.Close()
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "http" || u.Hostname() != "127.0.0.1" || u.Path != "" {
		t.Errorf("URL() = %q, want http://127.0.0.1:PORT", srv.URL())
	}
	if srv.BaseURL() != srv.URL()+"/agentgateway/resource" {
		t.Errorf("BaseURL() = %q", srv.BaseURL())
	}
	if srv.Certificate() != nil {
		t.Error("plain HTTP server has a certificate")
	}
	srv.Close()
	srv.Close() // idempotent
}

func TestTLSServer(t *testing.T) {
	t.Parallel()
	srv := agwtest.NewTLS(agwtest.WithPollWait(0))
	defer srv.Close()
	if err := agwtest.Demo(srv.Gateway); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL(), "https://127.0.0.1:") {
		t.Fatalf("URL() = %q", srv.URL())
	}
	cert := srv.Certificate()
	if cert == nil {
		t.Fatal("TLS server has no certificate")
	}

	// A client that trusts only the returned certificate can talk to it.
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer hc.CloseIdleConnections()
	signInGenerated(t, srv, hc, agentA)

	// One that trusts nothing else refuses it.
	if _, err := http.Get(srv.URL()); err == nil {
		t.Error("default client accepted the self-signed certificate")
	}
}
