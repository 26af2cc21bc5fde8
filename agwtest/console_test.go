package agwtest_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// consoleServer serves a demo gateway's API, hooks and console on one
// loopback port, as examples/fakegateway does. streamDone, if not nil, is
// closed when the first event stream's handler returns.
func consoleServer(t *testing.T, streamDone chan struct{}) (*agwtest.Gateway, string) {
	t.Helper()
	g := agwtest.NewGateway(agwtest.WithPollWait(0))
	require.NoError(t, agwtest.Demo(g))
	console := g.ConsoleHandler()
	var streamEnded func()
	if streamDone != nil {
		streamEnded = sync.OnceFunc(func() { close(streamDone) })
	}
	mux := http.NewServeMux()
	mux.Handle(agwtest.ControlPath, g.ControlHandler())
	mux.Handle(agwtest.ConsolePath, console)
	mux.Handle(agwtest.ConsolePath+"/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		console.ServeHTTP(w, r)
		if streamEnded != nil && r.URL.Path == agwtest.ConsolePath+"/events" {
			streamEnded()
		}
	}))
	mux.Handle("/", g)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	t.Cleanup(g.Close) // before ts.Close: it ends the streams ts.Close waits for
	return g, ts.URL
}

// sseEvent is one server-sent event.
type sseEvent struct{ name, id, data string }

// sseStream reads an event stream; reads are bounded by the request's
// context.
type sseStream struct {
	res *http.Response
	sc  *bufio.Scanner
	raw strings.Builder // every line read, to check for secrets
}

func openStream(t *testing.T, ctx context.Context, root, lastEventID string) *sseStream {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, root+agwtest.ConsolePath+"/events", nil)
	require.NoError(t, err)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { res.Body.Close() })
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.Equal(t, "text/event-stream", res.Header.Get("Content-Type"))
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 1<<20)
	return &sseStream{res: res, sc: sc}
}

// next returns the next event with a name (skipping the retry field).
func (s *sseStream) next(t *testing.T) sseEvent {
	t.Helper()
	var ev sseEvent
	for s.sc.Scan() {
		line := s.sc.Text()
		s.raw.WriteString(line + "\n")
		if line == "" {
			if ev.name != "" {
				return ev
			}
			continue
		}
		field, value, _ := strings.Cut(line, ": ")
		switch field {
		case "event":
			ev.name = value
		case "id":
			ev.id = value
		case "data":
			ev.data = value
		}
	}
	require.FailNow(t, "event stream ended", "%v", s.sc.Err())
	return ev
}

// until reads events until ok accepts one, and returns it.
func (s *sseStream) until(t *testing.T, ok func(sseEvent) bool) sseEvent {
	t.Helper()
	for {
		if ev := s.next(t); ok(ev) {
			return ev
		}
	}
}

// gwEvent decodes a "gw" event's gateway event.
func gwEvent(t *testing.T, ev sseEvent) (typ, workNo string) {
	t.Helper()
	var e struct {
		Seq   uint64
		Event struct{ EventType, WorkNo string }
	}
	require.NoError(t, json.Unmarshal([]byte(ev.data), &e), ev.data)
	return e.Event.EventType, e.Event.WorkNo
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(b)
}

// The page, its assets and its event stream show the agents, calls and
// events, and never a Guid or a password.
func TestConsoleShowsStateAndNoSecret(t *testing.T) {
	t.Parallel()
	g, root := consoleServer(t, nil)
	guid, err := g.SignIn(agentA)
	require.NoError(t, err)
	callID, err := g.Ring(agentA, "13912345678")
	require.NoError(t, err)

	var served strings.Builder
	for _, path := range []string{"", "/console.js", "/console.css"} {
		res, body := get(t, root+agwtest.ConsolePath+path)
		require.Equal(t, http.StatusOK, res.StatusCode, path)
		assert.Contains(t, res.Header.Get("Content-Security-Policy"), "default-src 'self'")
		served.WriteString(body)
	}
	assert.Contains(t, served.String(), `EventSource("ui/events")`)
	assert.NotContains(t, served.String(), "http://", "the page loads nothing from elsewhere")
	assert.NotContains(t, served.String(), "https://")

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s := openStream(t, ctx, root, "")
	assert.Equal(t, "reset", s.next(t).name, "a new stream starts with reset")
	ring := s.until(t, func(ev sseEvent) bool { return ev.name == "gw" })
	typ, workNo := gwEvent(t, ring)
	assert.Equal(t, "AgentEvent_Ringing", typ)
	assert.Equal(t, strconv.Itoa(agentA), workNo)
	assert.Contains(t, ring.data, callID)
	state := s.until(t, func(ev sseEvent) bool { return ev.name == "state" })
	assert.Contains(t, state.data, `"state":"ringing"`)
	assert.Contains(t, state.data, `"calls":[{"id":"`+callID+`"`)

	// A change that queues no event reaches the page too.
	require.NoError(t, g.Hangup(callID))
	require.NoError(t, g.SignOut(agentA))
	s.until(t, func(ev sseEvent) bool {
		return ev.name == "state" && strings.Contains(ev.data, `"calls":[]`) && !strings.Contains(ev.data, `"idle"`)
	})

	for what, text := range map[string]string{"page": served.String(), "stream": s.raw.String()} {
		assert.NotContains(t, text, guid, "the %s shows the Guid", what)
		assert.NotContains(t, text, strings.TrimSuffix(guid, ".AgentGateway0"), "the %s shows the Guid", what)
		assert.NotContains(t, text, agwtest.DemoPassword, "the %s shows a password", what)
	}
}

// A page that reconnects with the last event's ID gets only the events
// after it; one whose ID is another gateway's starts over.
func TestConsoleStreamResumes(t *testing.T) {
	t.Parallel()
	g, root := consoleServer(t, nil)
	_, err := g.SignIn(agentA)
	require.NoError(t, err)
	first, err := g.Ring(agentA, "13800000000")
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	s := openStream(t, ctx, root, "")
	last := s.until(t, func(ev sseEvent) bool { return ev.name == "gw" })
	require.NoError(t, g.Hangup(first))

	s = openStream(t, ctx, root, last.id)
	ev := s.next(t)
	require.Equal(t, "gw", ev.name, "a resumed stream has no reset")
	typ, _ := gwEvent(t, ev)
	assert.Equal(t, "AgentOther_PhoneRelease", typ)

	s = openStream(t, ctx, root, "1-1")
	assert.Equal(t, "reset", s.next(t).name)
	typ, _ = gwEvent(t, s.next(t))
	assert.Equal(t, "AgentEvent_Ringing", typ, "a new stream replays the history")
}

// The history a new page gets is bounded, and is the newest events.
func TestConsoleHistoryIsBounded(t *testing.T) {
	t.Parallel()
	g, root := consoleServer(t, nil)
	_, err := g.SignIn(agentA)
	require.NoError(t, err)
	const rings = 600 // two events each
	for range rings {
		callID, err := g.Ring(agentA, "13800000000")
		require.NoError(t, err)
		require.NoError(t, g.Hangup(callID))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	s := openStream(t, ctx, root, "")
	var ids []string
	for ev := s.next(t); ev.name != "state"; ev = s.next(t) {
		if ev.name == "gw" {
			ids = append(ids, ev.id)
		}
	}
	require.Len(t, ids, 500)
	assert.True(t, strings.HasSuffix(ids[0], "-"+strconv.Itoa(2*rings-499)), ids[0])
	assert.True(t, strings.HasSuffix(ids[499], "-"+strconv.Itoa(2*rings)), ids[499])
}
