package wrapper_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

const pushToken = "tok3n"

type pushed struct {
	mu     sync.Mutex
	events []wrapper.Event
}

func (p *pushed) add(ev wrapper.Event) {
	p.mu.Lock()
	p.events = append(p.events, ev)
	p.mu.Unlock()
}

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

func TestPushHandler(t *testing.T) {
	var got pushed
	srv := httptest.NewServer(wrapper.PushHandler(pushToken, got.add))
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

// In push mode, PickUp learns of the call from events handed to Deliver.
func TestPickUpInPushMode(t *testing.T) {
	g := newGateway(t)
	var signIn map[string]any
	g.handle("PUT /onlineagent/20001", func(w http.ResponseWriter, r *http.Request) {
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&signIn))
		w.Header().Set("Set-GUID", "JSESSIONID="+testGuid)
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
	})

	var session *wrapper.Session
	receiver := httptest.NewServer(wrapper.PushHandler(pushToken, func(ev wrapper.Event) { session.Deliver(ev) }))
	defer receiver.Close()
	pushed := make(chan int, 1) // the status the gateway's push got
	g.handle("PUT /voicecall/20001/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
		go func() { // the gateway pushes the pickup's events
			req, _ := http.NewRequest(http.MethodPost, receiver.URL, strings.NewReader(`{"workNo":"20001","eventList":[`+
				`{"eventType":"AgentOther_PhoneAlerting","content":{"callid":"7-7","caller":"139"}},`+
				`{"eventType":"AgentEvent_Talking","content":{"callid":"7-7","caller":"139","called":"88001"}}]}`))
			req.Header.Set("Content-Type", jsonUTF8)
			req.Header.Set("service_token", pushToken)
			status := 0
			if resp, err := http.DefaultClient.Do(req); err == nil {
				status = resp.StatusCode
				_ = resp.Body.Close()
			}
			pushed <- status
		}()
	})

	var err error
	session, err = g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{
		Phone: testPhone, Password: testPass, PushURL: receiver.URL + "/agentevent/pushresult", ServiceToken: pushToken})
	require.NoError(t, err)
	require.Equal(t, receiver.URL+"/agentevent/pushresult", signIn["callBackUri"])
	require.Equal(t, pushToken, signIn["serviceToken"])

	call, err := session.PickUp(testContext(t), agentB)
	require.NoError(t, err, "no Poll needed in push mode")
	require.Equal(t, wrapper.CallDetails{CallID: "7-7", Caller: "139", Called: "88001"}, call)
	require.Equal(t, http.StatusOK, <-pushed)
}

func TestPushSignInValidation(t *testing.T) {
	g := newGateway(t)
	c := g.client()
	for name, o := range map[string]wrapper.SignInOptions{
		"url without token": {PushURL: "https://desk.example/push"},
		"token without url": {ServiceToken: pushToken},
		"bad url":           {PushURL: "desk.example/push", ServiceToken: pushToken},
		"bad token":         {PushURL: "https://desk.example/push", ServiceToken: "has space"},
	} {
		o.Phone, o.Password = testPhone, testPass
		_, err := c.SignIn(testContext(t), agentA, o)
		require.ErrorIs(t, err, wrapper.ErrInvalidArgument, name)
	}
	require.Zero(t, g.count())
}
