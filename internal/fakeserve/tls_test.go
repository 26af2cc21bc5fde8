package fakeserve

import (
	"context"
	"crypto/x509"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// With -tls-ca the fake serves HTTPS with a certificate that a client
// trusting the written file verifies, for the loopback address.
func TestRunOverTLS(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	caFile := filepath.Join(t.TempDir(), "fake-ca.pem")
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	var stdout strings.Builder
	o := Options{Addr: "127.0.0.1:0", GuidEvery: 1, Seed: "demo", TLSCA: caFile}
	go func() {
		done <- Run(ctx, o, &stdout, slog.New(slog.NewTextHandler(io.Discard, nil)), Hooks{Ready: func(a net.Addr) { addrs <- a }})
	}()
	root := strings.Replace(awaitServing(t, addrs, done), "http://", "https://", 1)

	pem, err := os.ReadFile(caFile)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(pem), "the file holds the certificate")
	c, err := wrapper.NewClient(root, wrapper.WithRootCAs(pool))
	require.NoError(t, err)
	s, err := c.SignIn(t.Context(), 20001, wrapper.SignInOptions{Phone: "88001", Password: agwtest.DemoPassword})
	require.NoError(t, err, "sign-in over verified TLS")
	require.NoError(t, s.SignOut(t.Context()))

	plain, err := wrapper.NewClient(root)
	require.NoError(t, err)
	_, err = plain.SignIn(t.Context(), 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword})
	assert.Error(t, err, "the system roots do not trust it")

	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, stdout.String(), "fake agent gateway on https://127.0.0.1:")
	assert.Contains(t, stdout.String(), caFile)

	o.Addr = "127.0.0.1:0"
	err = Run(t.Context(), o, io.Discard, slog.New(slog.NewTextHandler(io.Discard, nil)), Hooks{})
	assert.ErrorContains(t, err, "-tls-ca", "an existing file is never overwritten")
}
