package wrapper_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// node is one gateway of a pair sharing one fake (a cluster: both know
// every session). When down, it reads a request and drops the connection
// without a reply.
type node struct {
	srv  *httptest.Server
	down atomic.Bool
	mu   sync.Mutex
	reqs []string      // "METHOD path", in order
	got  chan struct{} // closed and replaced at each request
}

func newNode(t *testing.T, g http.Handler) *node {
	n := &node{got: make(chan struct{})}
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.mu.Lock()
		n.reqs = append(n.reqs, r.Method+" "+r.URL.Path)
		close(n.got)
		n.got = make(chan struct{})
		n.mu.Unlock()
		if n.down.Load() {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
			return
		}
		g.ServeHTTP(w, r)
	}))
	t.Cleanup(n.srv.Close)
	return n
}

// await waits, bounded by the test's context, until the node got a request
// for method and path.
func (n *node) await(t *testing.T, method, path string) {
	ctx := testContext(t)
	for {
		n.mu.Lock()
		got := n.got
		n.mu.Unlock()
		if n.count(method, path) > 0 {
			return
		}
		select {
		case <-got:
		case <-ctx.Done():
			t.Fatalf("no %s %s reached the node", method, path)
		}
	}
}

// count is how many requests this node got for method and path.
func (n *node) count(method, path string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := 0
	for _, r := range n.reqs {
		if r == method+" "+base+path {
			c++
		}
	}
	return c
}

func (n *node) total() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.reqs)
}

func gatewayPair(t *testing.T, coolDown time.Duration) (*agwtest.Gateway, *node, *node, *wrapper.Client) {
	g := agwtest.NewGateway(agwtest.WithPollWait(20 * time.Millisecond))
	t.Cleanup(g.Close)
	require.NoError(t, agwtest.Demo(g))
	primary, backup := newNode(t, g), newNode(t, g)
	c, err := wrapper.NewClient(primary.srv.URL, wrapper.WithTimeout(5*time.Second), wrapper.WithBackupURL(backup.srv.URL, coolDown))
	require.NoError(t, err)
	return g, primary, backup, c
}

func signInDemo(t *testing.T, c *wrapper.Client, id int) *wrapper.Session {
	s, err := c.SignIn(testContext(t), id, wrapper.SignInOptions{Phone: phones[id], Password: agwtest.DemoPassword})
	require.NoError(t, err)
	return s
}

func TestBackupPollFailsOver(t *testing.T) {
	g, primary, backup, c := gatewayPair(t, time.Hour)
	s := signInDemo(t, c, 20001)
	require.Equal(t, 1, primary.count("PUT", "/onlineagent/20001"))

	events := make(chan wrapper.Event, 16)
	ctx, cancel := context.WithCancel(testContext(t))
	done, err := s.PollInBackground(ctx, func(ev wrapper.Event) error { events <- ev; return nil }, fastPoll)
	require.NoError(t, err)

	primary.down.Store(true)
	// A poll already at the primary is still answered there: ring only once
	// the polls go to the backup.
	backup.await(t, "GET", "/agentevent/20001")
	require.Eventually(t, func() bool { return count(parkedWait) > 0 }, 5*time.Second, time.Millisecond,
		"the polls are chained, failover included")
	_, err = g.Ring(20001, "13800000000")
	require.NoError(t, err)
	require.Equal(t, []string{"AgentEvent_Ringing"}, nextTypes(t, events, 1), "the event came through the backup")

	// Within the cool-down every request goes to the backup, once.
	cancel()
	<-done
	before := primary.total()
	require.NoError(t, s.Answer(testContext(t), nil))
	require.Equal(t, 1, backup.count("PUT", "/voicecall/20001/answer"))
	require.Equal(t, before, primary.total(), "the primary is left alone")
}

func TestBackupSignInAndBack(t *testing.T) {
	_, primary, backup, c := gatewayPair(t, time.Nanosecond)
	primary.down.Store(true)
	signInDemo(t, c, 20001)
	require.Equal(t, 1, primary.count("PUT", "/onlineagent/20001"), "tried first")
	require.Equal(t, 1, backup.count("PUT", "/onlineagent/20001"), "then the backup, with the same body")

	primary.down.Store(false) // recovered; the cool-down is over
	signInDemo(t, c, 20002)
	require.Equal(t, 1, primary.count("PUT", "/onlineagent/20002"))
	require.Zero(t, backup.count("PUT", "/onlineagent/20002"))
}

func TestBackupPrimaryRefuses(t *testing.T) {
	g := agwtest.New()
	t.Cleanup(g.Close)
	require.NoError(t, agwtest.Demo(g.Gateway))
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close() // connection refused from now on
	c, err := wrapper.NewClient(dead.URL, wrapper.WithBackupURL(g.URL(), 0))
	require.NoError(t, err)
	signInDemo(t, c, 20001)
}

// A call-control request that failed at the primary is returned, never
// sent to the backup: it may have been carried out.
func TestBackupNeverResendsCallControl(t *testing.T) {
	g, primary, backup, c := gatewayPair(t, time.Hour)
	signInDemo(t, c, 20001)
	picker := signInDemo(t, c, 20002)
	_, err := g.Ring(20001, "13800000000")
	require.NoError(t, err)

	primary.down.Store(true)
	err = picker.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: 20001})
	require.Error(t, err)
	require.Equal(t, 1, primary.count("PUT", "/voicecall/20002/snatchpickup"))
	require.Zero(t, backup.count("PUT", "/voicecall/20002/snatchpickup"))
}
