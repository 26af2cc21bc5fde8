package fleet_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const (
	base      = "/agentgateway/resource"
	testGuid  = "5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5.AgentGateway0"
	okReply   = `{"message":"success","retcode":"0","result":{}}`
	jsonUTF8  = "application/json;charset=UTF-8"
	pushToken = "tok3n"
)

var (
	phones   = map[int]string{20001: "88001", 20002: "88002"}
	fastPoll = wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
)

// testContext bounds every test's network work.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// fakeEnv is the fake gateway with its demo agents, a client and its fleet.
type fakeEnv struct {
	t      *testing.T
	srv    *agwtest.Server
	client *wrapper.Client
	fleet  *fleet.Fleet
}

func newFake(t *testing.T, opts ...agwtest.Option) *fakeEnv {
	t.Helper()
	srv := agwtest.New(append([]agwtest.Option{agwtest.WithPollWait(100 * time.Millisecond)}, opts...)...)
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	c, err := wrapper.NewClient(srv.URL(), wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	return &fakeEnv{t: t, srv: srv, client: c, fleet: fleet.New(c)}
}

// signIn signs a demo agent in, in push mode when pushURL is set.
func (f *fakeEnv) signIn(id int, pushURL string) *wrapper.Session {
	f.t.Helper()
	o := wrapper.SignInOptions{Phone: phones[id], Password: agwtest.DemoPassword}
	if pushURL != "" {
		o.PushURL, o.ServiceToken = pushURL, pushToken
	}
	s, err := f.client.SignIn(testContext(f.t), id, o)
	require.NoError(f.t, err)
	return s
}

// poll keeps s polling until the test ends.
func (f *fakeEnv) poll(s *wrapper.Session) {
	ctx, cancel := context.WithCancel(context.Background())
	done, err := s.PollInBackground(ctx, func(wrapper.Event) error { return nil }, fastPoll)
	require.NoError(f.t, err)
	f.t.Cleanup(func() { cancel(); <-done })
}

func (f *fakeEnv) ring(id int) string {
	f.t.Helper()
	callID, err := f.srv.Ring(id, "13800000000")
	require.NoError(f.t, err)
	return callID
}

// stub is a scripted gateway: every request must match a route the test
// registered.
type stub struct {
	srv *httptest.Server
	mux *http.ServeMux
	mu  sync.Mutex
	n   int // requests so far
}

func newStub(t *testing.T) *stub {
	g := &stub{mux: http.NewServeMux()}
	g.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		assert.Fail(t, "unexpected request", "%s %s", r.Method, r.URL)
		http.Error(w, "unexpected", http.StatusTeapot)
	})
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.n++
		g.mu.Unlock()
		g.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *stub) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}

func (g *stub) client(t *testing.T) *wrapper.Client {
	c, err := wrapper.NewClient(g.srv.URL, wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	return c
}

func mkEvent(typ generated.EventType, workNo string) wrapper.Event {
	w := generated.FlexString(workNo)
	return wrapper.Event{Event: generated.Event{EventType: string(typ), WorkNo: &w}}
}

func types(evs []wrapper.Event) []string {
	var out []string
	for _, ev := range evs {
		out = append(out, ev.EventType)
	}
	return out
}

// push POSTs body to a push callback and returns the status and retcode.
func push(t *testing.T, url, token, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(testContext(t), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("service_token", token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var env struct{ Retcode string }
	require.NoError(t, json.Unmarshal(b, &env), "%s", b)
	return resp.StatusCode, env.Retcode
}
