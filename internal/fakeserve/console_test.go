package fakeserve

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// The standalone server serves the console, and an open console does not
// hold up shutdown: its event stream ends with the server.
func TestRunServesConsole(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	var stdout syncBuffer
	o := Options{Addr: "127.0.0.1:0", GuidEvery: 1, Seed: "demo", PollWait: time.Second}
	go func() {
		done <- Run(ctx, o, &stdout, slog.New(slog.DiscardHandler), Hooks{Ready: func(a net.Addr) { addrs <- a }})
	}()
	root := awaitServing(t, addrs, done)
	assert.Contains(t, stdout.String(), "console on "+root+"/agwtest/ui")

	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, root+agwtest.ConsolePath, nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	page, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, string(page), "<title>agwtest console</title>")

	streamCtx, stopStream := context.WithTimeout(t.Context(), 10*time.Second)
	defer stopStream()
	req, err = http.NewRequestWithContext(streamCtx, http.MethodGet, root+agwtest.ConsolePath+"/events", nil)
	require.NoError(t, err)
	res, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() && sc.Text() != "event: state" {
	}
	require.True(t, sc.Scan(), "no state after the event line")
	assert.Contains(t, sc.Text(), `"id":20005`)

	cancel()
	require.NoError(t, <-done, "shutdown with a console open")
	for sc.Scan() {
	}
	assert.NoError(t, sc.Err(), "the stream ends cleanly at shutdown")
}
