package transport_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/internal/transport"
)

// node is one gateway serving under base. When down it reads the request
// and drops the connection without a reply.
type node struct {
	srv  *httptest.Server
	base *url.URL
	down atomic.Bool
	mu   sync.Mutex
	reqs []string // "METHOD escaped-path?query body"
}

func newNode(t *testing.T, base string) *node {
	n := &node{}
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		n.mu.Lock()
		n.reqs = append(n.reqs, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		n.mu.Unlock()
		if n.down.Load() {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
			return
		}
		_, _ = io.WriteString(w, "served by "+base)
	}))
	t.Cleanup(n.srv.Close)
	u, err := url.Parse(n.srv.URL + base)
	require.NoError(t, err)
	n.base = u
	return n
}

func (n *node) requests() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.reqs...)
}

func pair(t *testing.T, coolDown time.Duration) (primary, backup *node, f *transport.Failover, d *transport.Doer) {
	primary, backup = newNode(t, "/agentgateway/resource"), newNode(t, "/standby/agw")
	hc, _, err := transport.New(transport.Config{})
	require.NoError(t, err)
	f = transport.NewFailover(primary.base, backup.base, coolDown)
	return primary, backup, f, f.Via(hc)
}

// send PUTs body to path under the primary's base, as a generated client
// would, and returns the reply body.
func send(t *testing.T, ctx context.Context, d *transport.Doer, primary *node, path, body string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, primary.base.String()+path, strings.NewReader(body))
	require.NoError(t, err)
	transport.SendOnce(req)
	resp, err := d.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b), nil
}

func TestFailoverMarkedRequest(t *testing.T) {
	primary, backup, _, d := pair(t, time.Hour)
	primary.down.Store(true)
	got, err := send(t, transport.MayFailOver(testCtx(t)), d, primary, "/onlineagent/20001?x=1", `{"phonenum":"88001"}`)
	require.NoError(t, err)
	assert.Equal(t, "served by /standby/agw", got)
	assert.Equal(t, []string{`PUT /agentgateway/resource/onlineagent/20001?x=1 {"phonenum":"88001"}`}, primary.requests(), "tried once")
	assert.Equal(t, []string{`PUT /standby/agw/onlineagent/20001?x=1 {"phonenum":"88001"}`}, backup.requests(),
		"then once at the backup, same body, path under its base")
}

func TestFailoverEscapedPath(t *testing.T) {
	primary, backup, _, d := pair(t, time.Hour)
	primary.down.Store(true)
	_, err := send(t, transport.MayFailOver(testCtx(t)), d, primary, "/calldata/a%2Fb", "")
	require.NoError(t, err)
	assert.Equal(t, []string{"PUT /standby/agw/calldata/a%2Fb "}, backup.requests(), "an escaped slash stays escaped")
}

func TestFailoverBaseWithTrailingSlash(t *testing.T) {
	primary, backup := newNode(t, "/agentgateway/resource/"), newNode(t, "/standby/agw")
	hc, _, err := transport.New(transport.Config{})
	require.NoError(t, err)
	d := transport.NewFailover(primary.base, backup.base, time.Hour).Via(hc)
	primary.down.Store(true)
	_, err = send(t, transport.MayFailOver(testCtx(t)), d, primary, "onlineagent/20001", "")
	require.NoError(t, err)
	assert.Equal(t, []string{"PUT /standby/agw/onlineagent/20001 "}, backup.requests())
}

func TestFailoverUnmarkedRequest(t *testing.T) {
	primary, backup, _, d := pair(t, time.Hour)
	primary.down.Store(true)
	_, err := send(t, testCtx(t), d, primary, "/voicecall/20001/answer", "")
	require.Error(t, err, "the primary's failure is the answer")
	assert.Len(t, primary.requests(), 1)
	assert.Empty(t, backup.requests(), "not safe to send twice: never sent to the backup")
}

func TestFailoverWithinCoolDown(t *testing.T) {
	primary, backup, f, d := pair(t, time.Hour)
	primary.down.Store(true)
	_, err := send(t, transport.MayFailOver(testCtx(t)), d, primary, "/agentevent/20001", "")
	require.NoError(t, err)

	primary.down.Store(false) // back, but the cool-down is not over
	got, err := send(t, testCtx(t), d, primary, "/voicecall/20001/answer", "")
	require.NoError(t, err)
	assert.Equal(t, "served by /standby/agw", got)
	assert.Len(t, primary.requests(), 1, "only the first request tried the primary")
	assert.Equal(t, []string{"PUT /standby/agw/agentevent/20001 ", "PUT /standby/agw/voicecall/20001/answer "}, backup.requests())

	// Another Via of the same Failover, through another client, shares the choice.
	hc, _, err := transport.New(transport.Config{})
	require.NoError(t, err)
	_, err = send(t, testCtx(t), f.Via(hc), primary, "/onlineagent/20001/heartbeat", "")
	require.NoError(t, err)
	assert.Len(t, primary.requests(), 1)
	assert.Len(t, backup.requests(), 3)
}

func TestFailoverAfterCoolDown(t *testing.T) {
	primary, backup, _, d := pair(t, time.Nanosecond)
	primary.down.Store(true)
	_, err := send(t, transport.MayFailOver(testCtx(t)), d, primary, "/onlineagent/20001", "a")
	require.NoError(t, err)
	require.Len(t, backup.requests(), 1)

	primary.down.Store(false) // a 1ns cool-down is already over
	got, err := send(t, testCtx(t), d, primary, "/onlineagent/20002", "b")
	require.NoError(t, err)
	assert.Equal(t, "served by /agentgateway/resource", got)
	assert.Equal(t, []string{"PUT /agentgateway/resource/onlineagent/20001 a", "PUT /agentgateway/resource/onlineagent/20002 b"}, primary.requests())
	assert.Len(t, backup.requests(), 1)
}

func TestFailoverCallerGaveUp(t *testing.T) {
	primary, backup, _, d := pair(t, time.Hour)
	ctx, cancel := context.WithCancel(transport.MayFailOver(testCtx(t)))
	cancel()
	_, err := send(t, ctx, d, primary, "/onlineagent/20001", "")
	require.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, backup.requests(), "a cancelled request is not sent elsewhere")

	// Nor does it count against the primary.
	_, err = send(t, testCtx(t), d, primary, "/onlineagent/20001", "")
	require.NoError(t, err)
	assert.Len(t, primary.requests(), 1)
	assert.Empty(t, backup.requests())
}
