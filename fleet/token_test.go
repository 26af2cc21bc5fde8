package fleet_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const secretToken = "Zq7pushTkn4Wx9mB2"

// echoTokenServer answers every request on loopback with a header line
// holding only the request's service_token and a control byte: net/http
// quotes such a malformed line whole in its error.
func echoTokenServer(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer func() { _ = c.Close() }()
				r, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nX-Echo: "+r.Header.Get("service_token")+"\x01\r\nContent-Length: 0\r\n\r\n")
			})
		}
	})
	t.Cleanup(func() { _ = ln.Close(); wg.Wait() })
	return "http://" + ln.Addr().String()
}

// KeepAliveAll's errors and the client's debug log withhold the push
// service token, which a proxy echoed alone.
func TestKeepAliveAllWithholdsEchoedToken(t *testing.T) {
	var logs bytes.Buffer
	c, err := wrapper.NewClient(echoTokenServer(t), wrapper.WithTimeout(5*time.Second),
		wrapper.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	s, err := c.Restore(wrapper.SessionState{AgentID: 20001, Guid: testGuid, Push: true})
	require.NoError(t, err)
	fl := fleet.New(c)
	fl.Track(s)

	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	var once sync.Once
	var failure error
	err = fl.KeepAliveAll(ctx, secretToken, time.Millisecond, func(_ *wrapper.Session, err error) {
		once.Do(func() { failure = err; cancel() })
	})
	require.ErrorIs(t, err, context.Canceled)
	require.Error(t, failure, "the heartbeat failed")
	assert.Contains(t, failure.Error(), "transport error "+wrapper.Withheld)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assert.NotContains(t, fmt.Sprintf(verb, failure), secretToken, verb)
	}
	assert.Contains(t, logs.String(), "op=Handshake", "the heartbeat was logged")
	assert.NotContains(t, logs.String(), secretToken)
	assert.NotContains(t, logs.String(), testGuid)
}
