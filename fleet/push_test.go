package fleet_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

type pushed struct {
	mu     sync.Mutex
	events []wrapper.Event
}

func (p *pushed) add(ev wrapper.Event) {
	p.mu.Lock()
	p.events = append(p.events, ev)
	p.mu.Unlock()
}

func TestPushHandler(t *testing.T) {
	var got pushed
	srv := httptest.NewServer(fleet.PushHandler(pushToken, got.add))
	defer srv.Close()

	status, code := push(t, srv.URL, pushToken, jsonUTF8, `{"workNo":"20001","eventList":[`+
		`{"eventType":"AgentEvent_Ringing","content":{"callid":"1-1"}},`+
		`{"eventType":"AgentOther_PhoneRelease","workNo":"20001","content":{"phoneState":3}}]}`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "0", code)
	require.Equal(t, []string{"AgentEvent_Ringing", "AgentOther_PhoneRelease"}, types(got.events), "in order, oldest first")
	require.Equal(t, "20001", got.events[0].Agent(), "the body's workNo fills in")

	for name, tt := range map[string]struct {
		token, contentType, body string
		status                   int
		code                     string
	}{
		"wrong token":   {"nope", jsonUTF8, `{"workNo":"1","eventList":[]}`, http.StatusForbidden, "000-003"},
		"no token":      {"", jsonUTF8, `{"workNo":"1","eventList":[]}`, http.StatusForbidden, "000-003"},
		"html":          {pushToken, "text/html", `<html/>`, http.StatusUnsupportedMediaType, "000-002"},
		"truncated":     {pushToken, jsonUTF8, `{"workNo":"1","eventList":[{"eventType"`, http.StatusBadRequest, "000-002"},
		"no list":       {pushToken, jsonUTF8, `{"workNo":"1"}`, http.StatusBadRequest, "000-002"},
		"untyped event": {pushToken, jsonUTF8, `{"workNo":"1","eventList":[{"content":1}]}`, http.StatusBadRequest, "000-002"},
		"too large":     {pushToken, jsonUTF8, `{"workNo":"` + strings.Repeat("1", 2<<20) + `"}`, http.StatusRequestEntityTooLarge, "000-002"},
		"not UTF-8":     {pushToken, jsonUTF8, "{\"workNo\":\"\xff\",\"eventList\":[]}", http.StatusBadRequest, "000-002"},
	} {
		t.Run(name, func(t *testing.T) {
			status, code := push(t, srv.URL, tt.token, tt.contentType, tt.body)
			assert.Equal(t, tt.status, status)
			assert.Equal(t, tt.code, code)
		})
	}
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	require.Len(t, got.events, 2, "refused pushes deliver nothing")
}

// Push mode end to end: the fake POSTs events to PushHandler, which hands
// them to the session, and PickUp completes without any Poll.
func TestFakePushModePickUp(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	var (
		mu     sync.Mutex
		picker *wrapper.Session
		pushed []string // the picker's event types, in arrival order
	)
	cb := httptest.NewServer(fleet.PushHandler(pushToken, func(ev wrapper.Event) {
		mu.Lock()
		s := picker
		if s != nil && ev.Agent() == "20002" {
			pushed = append(pushed, ev.EventType)
		}
		mu.Unlock()
		if s != nil {
			_ = s.Deliver(ev)
		}
	}))
	t.Cleanup(cb.Close)

	f.poll(f.signIn(20001, "")) // the ringing agent polls
	s := f.signIn(20002, cb.URL+"/agentevent/pushresult")
	mu.Lock()
	picker = s
	mu.Unlock()
	callID := f.ring(20001)

	call, err := s.PickUp(ctx, 20001)
	require.NoError(t, err)
	assert.Equal(t, callID, call.CallID)
	assert.Equal(t, "13800000000", call.Caller)
	require.NoError(t, s.Handshake(ctx, &generated.HandshakeParams{ServiceToken: ptr(pushToken)}))
	require.NoError(t, s.ForceSignOut(ctx))
	mu.Lock()
	defer mu.Unlock()
	require.GreaterOrEqual(t, len(pushed), 3)
	assert.Equal(t, []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Talking"}, pushed[:3])
}

// Fleet.PushHandler routes pushed events to the right session by workNo,
// so several push sessions share one callback URL, and stops routing to a
// session once it signs out.
func TestFleetPushHandlerRoutes(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	type seen struct {
		agent int // the session's agent, 0 for none
		typ   string
	}
	var (
		mu  sync.Mutex
		got []seen
	)
	ringerReleased := make(chan struct{})
	var releasedOnce sync.Once
	cb := httptest.NewServer(f.fleet.PushHandler(pushToken, func(s *wrapper.Session, ev wrapper.Event) {
		id := 0
		if s != nil {
			id = s.AgentID()
			assert.Equal(t, ev.Agent(), strconv.Itoa(id), "routed to the session of its workNo")
		}
		mu.Lock()
		got = append(got, seen{id, ev.EventType})
		mu.Unlock()
		if (seen{id, ev.EventType}) == (seen{20001, "AgentOther_PhoneRelease"}) {
			releasedOnce.Do(func() { close(ringerReleased) })
		}
	}))
	t.Cleanup(cb.Close)
	signInPush := func(id int) *wrapper.Session {
		s := f.signIn(id, cb.URL)
		f.fleet.Track(s)
		return s
	}
	ringer, picker := signInPush(20001), signInPush(20002)

	callID := f.ring(20001)
	call, err := picker.PickUp(ctx, 20001)
	require.NoError(t, err, "PickUp sees the events routed to its session")
	require.Equal(t, callID, call.CallID)

	select { // the ringer's events are pushed by their own delivery
	case <-ringerReleased:
	case <-ctx.Done():
		require.FailNow(t, "the ringer was not pushed AgentOther_PhoneRelease")
	}
	require.NoError(t, ringer.SignOut(ctx))
	// A pushed event for an agent with no push session reaches handle with nil.
	status, _ := push(t, cb.URL, pushToken, "application/json",
		`{"workNo":"20001","eventList":[{"eventType":"AgentOther_ShutdownService","workNo":"20001","content":null}]}`)
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, picker.ForceSignOut(ctx))

	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, got, seen{20001, "AgentEvent_Ringing"})
	assert.Contains(t, got, seen{20001, "AgentOther_PhoneRelease"})
	assert.Contains(t, got, seen{20002, "AgentOther_PhoneAlerting"})
	assert.Contains(t, got, seen{20002, "AgentEvent_Talking"})
	assert.Equal(t, seen{0, "AgentOther_ShutdownService"}, got[len(got)-1], "a signed-out session is no longer routed to")
}

func ptr[T any](v T) *T { return &v }

// A pushed body nested deeper than a reply may be is refused like any
// unreadable body, before the decoder recurses into it; one at the limit
// is delivered.
func TestPushHandlerRefusesDeepNesting(t *testing.T) {
	var got pushed
	srv := httptest.NewServer(fleet.PushHandler(pushToken, got.add))
	defer srv.Close()
	const head, tail = `{"workNo":"20001","eventList":[{"eventType":"X","content":`, `}]}`
	nest := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

	maxDeep := (1<<20 - len(head) - len(tail)) / 2 // the largest body the handler reads
	for name, body := range map[string]string{
		"one level too deep": head + nest(10000-2) + tail, // 10,001 with the body's object and list
		"maximal size":       head + nest(maxDeep) + tail,
	} {
		t.Run(name, func(t *testing.T) {
			require.LessOrEqual(t, len(body), 1<<20)
			status, code, message := pushReply(t, srv.URL, body)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, generated.RetCodeInvalidParameter, code)
			assert.Equal(t, "JSON nested deeper than 10000 levels", message)
		})
	}
	require.Empty(t, got.events, "refused pushes deliver nothing")

	status, code, _ := pushReply(t, srv.URL, head+nest(10000-3)+tail) // 10,000 levels
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, generated.RetCodeSuccess, code)
	require.Len(t, got.events, 1)
}

// pushReply pushes body with the right token and returns the reply's
// status, retcode and message.
func pushReply(t *testing.T, url, body string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(testContext(t), http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", jsonUTF8)
	req.Header.Set("service_token", pushToken)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var env struct{ Retcode, Message string }
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&env))
	return resp.StatusCode, env.Retcode, env.Message
}
