package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// testTimeout bounds every wait of these tests.
const testTimeout = 10 * time.Second

// fake is the agwtest gateway with the demo agents behind a loopback
// server that counts the requests reaching it.
type fake struct {
	*agwtest.Gateway
	URL      string
	requests atomic.Int64
}

func newFake(t *testing.T, opts ...agwtest.Option) *fake {
	t.Helper()
	f := &fake{Gateway: agwtest.NewGateway(append([]agwtest.Option{agwtest.WithPollWait(200 * time.Millisecond)}, opts...)...)}
	require.NoError(t, agwtest.Demo(f.Gateway))
	ctx, cancel := context.WithCancel(context.Background())
	ts := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		f.Gateway.ServeHTTP(w, r)
	}))
	ts.Config.BaseContext = func(net.Listener) context.Context { return ctx } // Close ends pending polls
	ts.Start()
	t.Cleanup(func() {
		cancel()
		ts.Close()
		f.Close()
	})
	f.URL = ts.URL
	return f
}

// syncBuffer is an output that a test reads while the command writes.
type syncBuffer struct {
	mu      sync.Mutex
	b       bytes.Buffer
	written chan struct{} // signalled on each write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{written: make(chan struct{}, 1)} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case s.written <- struct{}{}:
	default:
	}
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor waits until the output holds want.
func (s *syncBuffer) waitFor(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(testTimeout)
	for !strings.Contains(s.String(), want) {
		select {
		case <-s.written:
		case <-deadline:
			t.Fatalf("no %q in the output:\n%s", want, s.String())
		}
	}
}

// agw runs the command in-process with args and a bounded context.
func agw(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	var out, errOut bytes.Buffer
	code = run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// signInArgs are the flags that sign demo agent id in.
func signInArgs(f *fake, id int) []string {
	for _, a := range agwtest.DemoAgents() {
		if a.ID == id {
			return []string{"-base-url", f.URL, "-agent", strconv.Itoa(id), "-phone", a.Phone}
		}
	}
	in := agwtest.DemoInspector()
	return []string{"-base-url", f.URL, "-agent", strconv.Itoa(in.ID), "-phone", in.Phone}
}

// usePassword has the commands read the demo password from AGW_PASSWORD.
func usePassword(t *testing.T) {
	t.Setenv("AGW_PASSWORD", agwtest.DemoPassword)
	t.Setenv("AGW_GUID", "")
}

// noSecret checks that outputs hold neither the password nor a Guid.
func noSecret(t *testing.T, guid string, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		require.NotContains(t, out, agwtest.DemoPassword, "the password in an output")
		if guid != "" {
			require.NotContains(t, out, guid, "the Guid in an output")
		}
	}
}
