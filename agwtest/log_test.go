package agwtest_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestRequestLog(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	srv := newDemo(t, agwtest.WithDynamicGuid(1), agwtest.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
	guid := signIn(t, srv, agentA)
	_, r := pollOnce(t, srv, agentA, guid) // rotates: a second Guid to keep out of the log
	rotated := guidFrom(t, r.header)
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentB, ""), "", signInBody{Password: "wrong-" + agwtest.DemoPassword, Phonenum: "88002"}), generated.RetCodeBadCredentials)
	wantRetcode(t, do(t, srv, http.MethodPut, snatchPath(agentA, 60000), rotated, nil), generated.RetCodeInvalidParameter)
	// A dialled number is a secret; the '*' keeps it out of every timestamp,
	// latency and ID the log holds, which digits alone could match.
	const dialled = "73052*91846*2"
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/seconddial/"+dialled, rotated, nil), generated.RetCodeSuccess)
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/seconddialex?number="+dialled, rotated, nil), generated.RetCodeSuccess)
	srv.Close() // every log line is written before Close returns

	out := logs.String()
	for _, secret := range []string{guid, rotated, agwtest.DemoPassword, "loadbalance", "JSESSIONID", dialled, url.PathEscape(dialled), url.QueryEscape(dialled)} {
		assert.NotContains(t, out, secret, "the log leaks a secret")
	}

	type line struct {
		Msg, Method, Path, Op, Retcode string
		Status                         int
		Latency                        float64
	}
	var lines []line
	for raw := range strings.SplitSeq(strings.TrimSpace(out), "\n") {
		var l line
		require.NoError(t, json.Unmarshal([]byte(raw), &l), "log line %q", raw)
		lines = append(lines, l)
	}
	want := []line{
		{Msg: "request", Method: "PUT", Path: "/agentgateway/resource/onlineagent/20001", Op: "SignIn", Retcode: "0", Status: 200},
		{Msg: "request", Method: "GET", Path: "/agentgateway/resource/agentevent/20001", Op: "PollEvent", Retcode: "0", Status: 200},
		{Msg: "request", Method: "PUT", Path: "/agentgateway/resource/onlineagent/20002", Op: "SignIn", Retcode: "100-004", Status: 200},
		{Msg: "request", Method: "PUT", Path: "/agentgateway/resource/voicecall/20001/snatchpickup", Op: "SnatchPickup", Retcode: "000-002", Status: 200},
		{Msg: "request", Method: "POST", Path: "/agentgateway/resource/voicecall/20001/seconddial/***", Op: "SecondDial", Retcode: "0", Status: 200},
		{Msg: "request", Method: "POST", Path: "/agentgateway/resource/voicecall/20001/seconddialex", Op: "SecondDialEx", Retcode: "0", Status: 200},
	}
	require.Len(t, lines, len(want), "log lines:\n%s", out)
	for i, l := range lines {
		assert.Positive(t, l.Latency, "line %d has no latency: %+v", i, l)
		l.Latency = 0
		assert.Equal(t, want[i], l, "line %d", i)
	}
}
