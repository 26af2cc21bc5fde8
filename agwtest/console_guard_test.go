package agwtest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// awaitClosed fails unless ch is closed within a few seconds.
func awaitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	timer := time.NewTimer(5 * time.Second)
	defer timer.Stop()
	select {
	case <-ch:
	case <-timer.C:
		require.FailNow(t, what)
	}
}

// The event stream's handler returns when the page goes away.
func TestConsoleStreamEndsWithClient(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	_, root := consoleServer(t, done)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s := openStream(t, ctx, root, "")
	s.until(t, func(ev sseEvent) bool { return ev.name == "state" })
	cancel()
	awaitClosed(t, done, "the stream's handler still runs after the client left")
}

// The event stream ends when the gateway is closed, and a page that then
// reconnects is refused, so that EventSource stops trying.
func TestConsoleStreamEndsWithGateway(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	g, root := consoleServer(t, done)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s := openStream(t, ctx, root, "")
	s.until(t, func(ev sseEvent) bool { return ev.name == "state" })
	g.Close()
	awaitClosed(t, done, "the stream's handler still runs after Close")
	for s.sc.Scan() {
	}
	require.NoError(t, s.sc.Err(), "the stream should end cleanly")

	res, _ := get(t, root+agwtest.ConsolePath+"/events")
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
}

// The console refuses other hosts and DNS-rebound names.
func TestConsoleIsLocalOnly(t *testing.T) {
	t.Parallel()
	h := agwtest.NewGateway().ConsoleHandler()
	for _, tc := range []struct {
		path, remote, host string
		want               int
	}{
		{"/agwtest/ui", "127.0.0.1:5000", "127.0.0.1:8043", http.StatusOK},
		{"/agwtest/ui/console.css", "[::1]:5000", "[::1]:8043", http.StatusOK},
		{"/agwtest/ui/console.js", "127.0.0.1:5000", "localhost:8043", http.StatusOK},
		{"/agwtest/ui", "192.0.2.1:5000", "127.0.0.1:8043", http.StatusForbidden},
		{"/agwtest/ui/events", "192.0.2.1:5000", "127.0.0.1:8043", http.StatusForbidden},
		{"/agwtest/ui", "127.0.0.1:5000", "rebound.example:8043", http.StatusForbidden},
		{"/agwtest/ui/", "127.0.0.1:5000", "127.0.0.1", http.StatusFound},
		{"/agwtest/ui/index.html", "127.0.0.1:5000", "127.0.0.1", http.StatusNotFound},
	} {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, tc.path, nil)
		req.RemoteAddr, req.Host = tc.remote, tc.host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, tc.want, rec.Code, "GET %s from %s as %s: %s", tc.path, tc.remote, tc.host, rec.Body)
	}
}
