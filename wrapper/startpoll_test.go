package wrapper_test

import (
	"context"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

var quickPoll = wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}

// stop ends a StartPoll as its context would; the session may poll again.
func TestStartPollStop(t *testing.T) {
	f := newFake(t)
	s, err := f.client.SignIn(testContext(t), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword})
	require.NoError(t, err)
	done := make(chan error, 1)
	stop, err := s.StartPoll(testContext(t), func(wrapper.Event) error { return nil }, quickPoll, func(err error) { done <- err })
	require.NoError(t, err)
	_, err = s.StartPoll(testContext(t), func(wrapper.Event) error { return nil }, quickPoll, func(error) {})
	require.ErrorIs(t, err, wrapper.ErrAlreadyPolling)
	stop()
	require.ErrorIs(t, <-done, context.Canceled)

	events := make(chan wrapper.Event, 8)
	_, err = s.StartPoll(testContext(t), func(ev wrapper.Event) error { events <- ev; return nil }, quickPoll, func(err error) { done <- err })
	require.NoError(t, err)
	_, err = f.srv.Ring(20001, "13800000000")
	require.NoError(t, err)
	require.Equal(t, "AgentEvent_Ringing", (<-events).EventType)
	require.NoError(t, s.ForceSignOut(testContext(t)))
	require.NoError(t, <-done, "a sign-out ends the poll without an error")
	_, err = s.StartPoll(testContext(t), func(wrapper.Event) error { return nil }, quickPoll, nil)
	require.Error(t, err, "done is required")
}

// With the library's own transport a waiting poll holds a small reader of
// the transport's, not a goroutine running the wrapper's code; through a
// RoundTripper of the caller's, a goroutine runs each poll.
func TestStartPollWaitsWithoutAGoroutine(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(time.Minute))
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	const n = 20
	for i := range n {
		require.NoError(t, srv.AddAgent(agwtest.Agent{ID: 21001 + i, Password: agwtest.DemoPassword, Phone: strconv.Itoa(89101 + i), Group: agwtest.DemoGroup}))
	}
	for _, tc := range []struct {
		name    string
		opts    []wrapper.Option
		chained bool
	}{
		{"own transport", nil, true},
		{"caller's RoundTripper", []wrapper.Option{wrapper.WithTransport(roundTripper{http.DefaultTransport.(*http.Transport).Clone()})}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := wrapper.NewClient(srv.URL(), tc.opts...)
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(testContext(t))
			var wg sync.WaitGroup
			before := count("agentgateway/wrapper.")
			for i := range n {
				s, err := c.SignIn(testContext(t), 21001+i, wrapper.SignInOptions{Phone: strconv.Itoa(89101 + i), Password: agwtest.DemoPassword, ForceIfSignedIn: true})
				require.NoError(t, err)
				wg.Add(1)
				_, err = s.StartPoll(ctx, func(wrapper.Event) error { return nil }, quickPoll, func(error) { wg.Done() })
				require.NoError(t, err)
			}
			if tc.chained {
				require.Eventually(t, func() bool { return count(parkedWait) == n }, 10*time.Second, time.Millisecond)
				// The goroutine that sent a first poll ends just after it.
				require.Eventually(t, func() bool { return count("agentgateway/wrapper.") == before }, 10*time.Second, time.Millisecond,
					"no goroutine runs the wrapper while the polls wait")
			} else {
				require.Eventually(t, func() bool { return count("agentgateway/wrapper.")-before >= n }, 10*time.Second, time.Millisecond)
			}
			cancel()
			wg.Wait()
		})
	}
}

type roundTripper struct{ rt http.RoundTripper }

func (r roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	return r.rt.RoundTrip(req)
}

// WithHeader's header goes with every request, polls included; the
// library's own and malformed ones are refused.
func TestWithHeader(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(10 * time.Millisecond))
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	var mu sync.Mutex
	seen := map[string][]string{} // path: the X-Tenant values
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Method+" "+r.URL.Path] = r.Header.Values("X-Tenant")
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	c, err := wrapper.NewClient(front.URL, wrapper.WithHeader("x-tenant", "blue"), wrapper.WithHeader("X-Tenant", "green"))
	require.NoError(t, err)
	s, err := c.SignIn(testContext(t), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword})
	require.NoError(t, err)
	done, err := s.PollInBackground(testContext(t), func(wrapper.Event) error { return nil }, quickPoll)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(seen) >= 2
	}, 5*time.Second, time.Millisecond)
	require.NoError(t, s.SignOut(testContext(t)))
	require.NoError(t, <-done)
	mu.Lock()
	defer mu.Unlock()
	for op, vals := range seen {
		assert.Equal(t, []string{"blue", "green"}, vals, op)
	}
	assert.Contains(t, seen, "GET /agentgateway/resource/agentevent/20001")

	for _, bad := range []wrapper.Option{wrapper.WithHeader("Guid", "x"), wrapper.WithHeader("cookie", "a=b"),
		wrapper.WithHeader("X-Bad Name", "x"), wrapper.WithHeader("", "x"), wrapper.WithHeader("X-Ok", "a\r\nGuid: stolen")} {
		_, err := wrapper.NewClient(front.URL, bad)
		assert.ErrorContains(t, err, "WithHeader")
	}
}

// Chained polls speak TLS with the client's settings: the gateway's
// private CA, verified.
func TestChainedPollOverTLS(t *testing.T) {
	gw := agwtest.New(agwtest.WithPollWait(time.Minute))
	t.Cleanup(gw.Close)
	require.NoError(t, agwtest.Demo(gw.Gateway))
	srv := httptest.NewTLSServer(gw)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	c, err := wrapper.NewClient(srv.URL, wrapper.WithRootCAs(pool))
	require.NoError(t, err)
	s, err := c.SignIn(testContext(t), 20002, wrapper.SignInOptions{Phone: phones[20002], Password: agwtest.DemoPassword})
	require.NoError(t, err)
	events := make(chan wrapper.Event, 8)
	done, err := s.PollInBackground(testContext(t), func(ev wrapper.Event) error { events <- ev; return nil }, quickPoll)
	require.NoError(t, err)
	require.Eventually(t, func() bool { return count(parkedWait) > 0 }, 10*time.Second, time.Millisecond, "the poll waits chained")
	_, err = gw.Ring(20002, "13800000000")
	require.NoError(t, err)
	require.Equal(t, "AgentEvent_Ringing", (<-events).EventType)
	require.NoError(t, s.ForceSignOut(testContext(t)))
	require.NoError(t, <-done)
}

// parkedWait is the frame of a chained poll waiting for its reply.
const parkedWait = "transport.(*parkedConn).wait"

// count counts the goroutines with frame in their stack.
func count(frame string) int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	c := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, frame) {
			c++
		}
	}
	return c
}
