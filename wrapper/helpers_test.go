package wrapper_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const (
	base      = "/agentgateway/resource"
	testGuid  = "5f0c1d2e3a4b5c6d7e8f90a1b2c3d4e5.AgentGateway0"
	okReply   = `{"message":"success","retcode":"0","result":{}}`
	jsonUTF8  = "application/json;charset=UTF-8"
	agentA    = 20001
	agentB    = 20002
	testPhone = "88001"
	testPass  = "s3cret-Passw0rd"
)

// gateway is a scripted httptest server. Every request must match a route
// registered by the test; anything else fails the test loudly.
type gateway struct {
	t   *testing.T
	srv *httptest.Server
	mux *http.ServeMux

	mu       sync.Mutex
	requests []*http.Request // clones, in arrival order
}

func newGateway(t *testing.T) *gateway {
	t.Helper()
	g := &gateway{t: t, mux: http.NewServeMux()}
	g.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		assert.Fail(t, "unexpected request", "%s %s", r.Method, r.URL)
		http.Error(w, "unexpected", http.StatusTeapot)
	})
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.mu.Lock()
		g.requests = append(g.requests, r.Clone(context.Background()))
		g.mu.Unlock()
		g.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(g.srv.Close)
	return g
}

// handle registers a route; pattern is a ServeMux pattern relative to base,
// e.g. "PUT /voicecall/{agentid}/snatchpickup".
func (g *gateway) handle(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	g.mux.HandleFunc(method+" "+base+path, h)
}

// reply registers a route that always answers body as JSON.
func (g *gateway) reply(pattern, body string, header ...string) {
	g.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, body)
	})
}

// signInRoute answers sign-in with the Guid in Set-GUID.
func (g *gateway) signInRoute(agent string) {
	g.reply("PUT /onlineagent/"+agent, `{"message":"","retcode":"0","result":{"vdnid":1}}`,
		"Set-GUID", "JSESSIONID="+testGuid)
}

func (g *gateway) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.requests)
}

func (g *gateway) last() *http.Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	require.NotEmpty(g.t, g.requests)
	return g.requests[len(g.requests)-1]
}

func (g *gateway) client(opts ...wrapper.Option) *wrapper.Client {
	g.t.Helper()
	c, err := wrapper.NewClient(g.srv.URL, append([]wrapper.Option{wrapper.WithTimeout(5 * time.Second)}, opts...)...)
	require.NoError(g.t, err)
	return c
}

// session signs agentA in through the scripted sign-in route.
func (g *gateway) session(opts ...wrapper.Option) *wrapper.Session {
	g.t.Helper()
	g.signInRoute("20001")
	s, err := g.client(opts...).SignIn(testContext(g.t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.NoError(g.t, err)
	return s
}

// testContext bounds every test's network work.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func ptr[T any](v T) *T { return &v }

func flexStr(s string) *generated.FlexString { return ptr(generated.FlexString(s)) }

func mkEvent(typ generated.EventType, workNo string, content []byte) wrapper.Event {
	return wrapper.Event{Event: generated.Event{EventType: string(typ), WorkNo: flexStr(workNo), Content: content}}
}

var fastPoll = wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}
