package agwtest_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/openapi"
)

// pushed is one request the fake made to a callback URL.
type pushed struct {
	guid, token, contentType string
	WorkNo                   string  `json:"workNo"`
	EventList                []event `json:"eventList"`
}

// callback is a push-mode receiver. It answers the first failFirst
// requests with 503, the rest with the vendor's success envelope, and
// checks every body it accepts against the spec's PushEventList schema.
func callback(t *testing.T, failFirst int32) (string, <-chan pushed) {
	t.Helper()
	spec, err := openapi.Load()
	require.NoError(t, err)
	schema := spec.Components.Schemas["PushEventList"].Value
	got := make(chan pushed, 64)
	var n atomic.Int32
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, http.MethodPost, r.Method, "callback method")
		if n.Add(1) <= failFirst {
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		body, _ := io.ReadAll(r.Body)
		p := pushed{guid: r.Header.Get("Guid"), token: r.Header.Get("service_token"), contentType: r.Header.Get("Content-Type")}
		assert.NoError(t, json.Unmarshal(body, &p), "pushed body %s", body)
		var doc any
		if assert.NoError(t, json.Unmarshal(body, &doc), "pushed body %s", body) {
			assert.NoError(t, schema.VisitJSON(doc), "pushed body %s does not match the spec's PushEventList", body)
		}
		got <- p
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, `{"message":"success","retcode":"0"}`)
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/agentevent/pushresult", got
}

// signInPush signs a demo agent in for push mode and returns its Guid.
func signInPush(t *testing.T, srv *agwtest.Server, id int, url, token string) string {
	t.Helper()
	body := map[string]string{"password": agwtest.DemoPassword, "phonenum": demoPhone(id), "callBackUri": url, "serviceToken": token}
	r := do(t, srv, http.MethodPut, agentPath(id, ""), "", body)
	wantRetcode(t, r, "0")
	return guidFrom(t, r.header)
}

// pushWait bounds each wait for a push; they take milliseconds.
const pushWait = 10 * time.Second

// nextPushed collects pushed events until it has n.
func nextPushed(t *testing.T, got <-chan pushed, n int) ([]string, []pushed) {
	t.Helper()
	var types []string
	var reqs []pushed
	timeout := time.NewTimer(pushWait)
	defer timeout.Stop()
	for len(types) < n {
		select {
		case p := <-got:
			reqs = append(reqs, p)
			for _, ev := range p.EventList {
				types = append(types, ev.EventType)
			}
		case <-timeout.C:
			require.FailNow(t, "too few events pushed", "pushed %v, want %d events", types, n)
		}
	}
	return types, reqs
}

// nextOutcome is the outcome of the next counted delivery.
func nextOutcome(t *testing.T, outcomes <-chan error) error {
	t.Helper()
	select {
	case err := <-outcomes:
		return err
	case <-time.After(pushWait):
		require.FailNow(t, "no push delivery was counted")
		return nil
	}
}

// pushServer is newDemo with a channel that receives the outcome of each
// push delivery once Stats counts it.
func pushServer(t *testing.T) (*agwtest.Server, <-chan error) {
	outcomes := make(chan error, 64)
	srv := newDemo(t, agwtest.WithPushedHook(func(_ int, err error) { outcomes <- err }))
	return srv, outcomes
}

func TestPushModeDeliversEventsInOrder(t *testing.T) {
	t.Parallel()
	srv, outcomes := pushServer(t)
	url, got := callback(t, 0)
	guid := signInPush(t, srv, agentA, url, "tok3n")
	pickerGuid := signIn(t, srv, agentB)

	callID := ring(t, srv, agentA)
	types, reqs := nextPushed(t, got, 1)
	require.Equal(t, "AgentEvent_Ringing", types[0], "pushed %v", types)
	p := reqs[0]
	assert.Equal(t, guid, p.guid, "pushed Guid header")
	assert.Equal(t, "tok3n", p.token, "pushed service_token header")
	assert.Equal(t, "20001", p.WorkNo, "pushed workNo")
	assert.Equal(t, jsonUTF8, p.contentType, "pushed Content-Type")
	assert.Equal(t, callID, content[struct{ Callid string }](t, p.EventList[0]).Callid, "pushed call")

	// Polls are refused in push mode; the pushed agent's call can still
	// be picked up by a polling agent, and its release is pushed.
	wantRetcode(t, do(t, srv, http.MethodGet, "/agentevent/20001", guid, nil), "100-007")
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20002/snatchpickup?destWorkNo=20001", pickerGuid, nil), "0")
	types, _ = nextPushed(t, got, 1)
	require.Equal(t, "AgentOther_PhoneRelease", types[0], "after the pickup the ringing agent was pushed %v", types)
	for range 2 {
		require.NoError(t, nextOutcome(t, outcomes))
	}
	// Two events pushed; the picker's five wait for its polls.
	st := srv.Stats()
	assert.Equal(t, 2, st.EventsDelivered, "stats %+v", st)
	assert.Equal(t, 7, st.EventsQueued, "stats %+v", st)
	assert.Zero(t, st.PushFailures, "stats %+v", st)
}

func TestPushModeRetriesFailedDeliveries(t *testing.T) {
	t.Parallel()
	srv, outcomes := pushServer(t)
	url, got := callback(t, 2)
	signInPush(t, srv, agentA, url, "tok3n")
	callID := ring(t, srv, agentA)
	require.NoError(t, srv.Hangup(callID))
	types, _ := nextPushed(t, got, 2)
	require.Equal(t, []string{"AgentEvent_Ringing", "AgentOther_PhoneRelease"}, types,
		"after two failed deliveries the callback must get each event once, in order")
	// Read outcomes up to the success that completes the delivery; each
	// is counted in Stats before it is reported.
	var failures int
	for {
		if err := nextOutcome(t, outcomes); err != nil {
			failures++
		} else if srv.Stats().EventsDelivered == 2 {
			break
		}
	}
	st := srv.Stats()
	assert.Equal(t, 2, failures, "failed deliveries reported")
	assert.Equal(t, 2, st.PushFailures, "stats %+v", st)
	assert.Equal(t, 2, st.EventsDelivered, "stats %+v", st)
	assert.Equal(t, 2, st.EventsQueued, "stats %+v", st)
	select {
	case p := <-got:
		assert.Fail(t, "an extra push", "%+v", p)
	default:
	}
}

func TestPushModeSelection(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	for _, body := range []map[string]string{
		{"callBackUri": "http://192.0.2.1/cb", "serviceToken": "tok3n"},
		{"callBackUri": "ftp://127.0.0.1/cb", "serviceToken": "tok3n"},
		{"callBackUri": "http://[::1", "serviceToken": "tok3n"},
	} {
		body["password"], body["phonenum"] = agwtest.DemoPassword, demoPhone(agentA)
		wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, ""), "", body), "000-002")
	}
	// A callBackUri without a serviceToken is polling mode, as on the
	// vendor's gateway.
	body := map[string]string{"password": agwtest.DemoPassword, "phonenum": demoPhone(agentA), "callBackUri": "http://127.0.0.1:9/cb"}
	r := do(t, srv, http.MethodPut, agentPath(agentA, ""), "", body)
	wantRetcode(t, r, "0")
	guid := guidFrom(t, r.header)
	ring(t, srv, agentA)
	ev, _ := pollOnce(t, srv, agentA, guid)
	require.Equal(t, "AgentEvent_Ringing", ev.EventType, "a polling session polled %+v", ev)
}

// Close cancels a delivery the callback never answers, and returns.
func TestCloseEndsAStuckPush(t *testing.T) {
	t.Parallel()
	outcomes := make(chan error, 4)
	srv := agwtest.New(agwtest.WithPushedHook(func(_ int, err error) { outcomes <- err }))
	require.NoError(t, agwtest.Demo(srv.Gateway))
	arrived := make(chan struct{})
	var once sync.Once
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body) // then the server notices the client leaving
		once.Do(func() { close(arrived) })
		<-r.Context().Done() // never answers
	}))
	defer cb.Close()
	signInPush(t, srv, agentA, cb.URL, "tok3n")
	ring(t, srv, agentA)
	<-arrived
	srv.Close()
	require.Error(t, nextOutcome(t, outcomes), "a cancelled delivery was counted as delivered")
}

// lineWriter hands each log record (one Write per record) to a channel,
// dropping what does not fit rather than blocking the server.
type lineWriter chan string

func (w lineWriter) Write(p []byte) (int, error) {
	select {
	case w <- string(p):
	default:
	}
	return len(p), nil
}

// TestPushKeepsCallbackCredentials: the userinfo and query of a callback
// URL appear neither in the log of a failed push, nor in its error, nor in
// the refusal of a callback URL.
func TestPushKeepsCallbackCredentials(t *testing.T) {
	t.Parallel()
	secrets := []string{"cb-user", "pw-secret", "q-secret", "token="}
	lines := make(lineWriter, 64)
	outcomes := make(chan error, 64)
	srv := newDemo(t, agwtest.WithLogger(slog.New(slog.NewJSONHandler(lines, nil))),
		agwtest.WithPushedHook(func(_ int, err error) { outcomes <- err }))

	// Nothing listens at a closed listener's port: every push fails.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	signInPush(t, srv, agentA, "http://cb-user:pw-secret@"+addr+"/cb/events?token=q-secret", "tok3n")
	ring(t, srv, agentA)
	pushErr := nextOutcome(t, outcomes)
	require.Error(t, pushErr)
	var warned string
	for warned == "" {
		select {
		case line := <-lines:
			if strings.Contains(line, "push failed") {
				warned = line
			}
		case <-time.After(pushWait):
			require.FailNow(t, "no push failure was logged")
		}
	}
	assert.Contains(t, warned, `"url":"http://`+addr+`/cb/events"`)
	assert.Contains(t, pushErr.Error(), "http://"+addr+"/cb/events")
	for _, s := range secrets {
		assert.NotContains(t, warned, s)
		assert.NotContains(t, pushErr.Error(), s)
	}

	for uri, want := range map[string]string{
		"http://cb-user:pw-secret@192.0.2.1/cb?token=q-secret":   "callBackUri http://192.0.2.1/cb: the fake pushes to loopback only",
		"ftp://cb-user:pw-secret@127.0.0.1/cb?token=q-secret":    "callBackUri ftp://127.0.0.1/cb is not an http(s) URL",
		"http://cb-user:pw-secret@[::1/cb?token=q-secret":        "callBackUri is not a URL",
		"http://cb-user:pw-secret@127.0.0.1:x/cb?token=q-secret": "callBackUri is not a URL",
	} {
		body := map[string]string{"password": agwtest.DemoPassword, "phonenum": demoPhone(agentB), "callBackUri": uri, "serviceToken": "tok3n"}
		r := do(t, srv, http.MethodPut, agentPath(agentB, ""), "", body)
		wantRetcode(t, r, "000-002")
		assert.Equal(t, want, r.env.Message)
	}
}
