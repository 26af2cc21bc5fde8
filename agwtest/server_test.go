package agwtest_test

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func TestServerURLs(t *testing.T) {
	t.Parallel()
	srv := agwtest.New()
	defer srv.Close()
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	assert.Equal(t, "http", u.Scheme, "URL() = %q, want http://127.0.0.1:PORT", srv.URL())
	assert.Equal(t, "127.0.0.1", u.Hostname(), "URL() = %q, want http://127.0.0.1:PORT", srv.URL())
	assert.Empty(t, u.Path, "URL() = %q, want http://127.0.0.1:PORT", srv.URL())
	assert.Equal(t, srv.URL()+"/agentgateway/resource", srv.BaseURL())
	assert.Nil(t, srv.Certificate(), "plain HTTP server has a certificate")
	srv.Close()
	srv.Close() // idempotent
}

func TestTLSServer(t *testing.T) {
	t.Parallel()
	srv := agwtest.NewTLS(agwtest.WithPollWait(0))
	defer srv.Close()
	require.NoError(t, agwtest.Demo(srv.Gateway))
	require.True(t, strings.HasPrefix(srv.URL(), "https://127.0.0.1:"), "URL() = %q", srv.URL())
	cert := srv.Certificate()
	require.NotNil(t, cert, "TLS server has no certificate")

	// A client that trusts only the returned certificate can talk to it.
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer hc.CloseIdleConnections()
	signInGenerated(t, srv, hc, agentA)

	// One that trusts nothing else refuses it.
	_, err := http.Get(srv.URL())
	assert.Error(t, err, "default client accepted the self-signed certificate")
}
