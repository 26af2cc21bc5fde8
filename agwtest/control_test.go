package agwtest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// controlServer serves a demo gateway's API and its control hooks on one
// loopback port, as examples/fakegateway does.
func controlServer(t *testing.T) (*agwtest.Gateway, string) {
	t.Helper()
	g := agwtest.NewGateway(agwtest.WithPollWait(0))
	if err := agwtest.Demo(g); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(agwtest.ControlPath, g.ControlHandler())
	mux.Handle("/", g)
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return g, ts.URL
}

// control calls a hook and decodes its JSON reply into out.
func control(t *testing.T, method, url string, wantStatus int, out any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != wantStatus {
		t.Fatalf("%s %s: HTTP %d, want %d", method, url, res.StatusCode, wantStatus)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q", method, url, ct)
	}
	if err := json.NewDecoder(res.Body).Decode(out); err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
}

func TestControlHooksDriveTheGateway(t *testing.T) {
	t.Parallel()
	g, root := controlServer(t)

	var signedIn struct{ Guid string }
	control(t, http.MethodPost, root+"/agwtest/signin?agent=20002", http.StatusOK, &signedIn)
	if cur, ok := g.Guid(agentB); !ok || cur != signedIn.Guid {
		t.Fatalf("signin answered Guid %q; the gateway holds %q", signedIn.Guid, cur)
	}

	var rung struct{ Callid string }
	control(t, http.MethodPost, root+"/agwtest/ring?agent=20002&caller=13912345678", http.StatusOK, &rung)
	c, ok := g.Call(rung.Callid)
	if !ok || c.Caller != "13912345678" || c.Agent != agentB || c.Internal {
		t.Fatalf("ring answered call %q; the gateway has %+v (found %v)", rung.Callid, c, ok)
	}

	// The API sees what the hooks did: the signed-in agent's Guid polls
	// the ringing event.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, root+"/agentgateway/resource/agentevent/20002", nil)
	req.Header.Set("Guid", signedIn.Guid)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var env wireEnvelope
	err = json.NewDecoder(res.Body).Decode(&env)
	res.Body.Close()
	if err != nil || env.Retcode != "0" || !strings.Contains(string(env.Event), `"AgentEvent_Ringing"`) {
		t.Fatalf("poll after ring: %v %+v", err, env)
	}

	var agents []agwtest.AgentStatus
	control(t, http.MethodGet, root+"/agwtest/agents", http.StatusOK, &agents)
	if len(agents) != 6 || agents[1].ID != agentB || agents[5].ID != agwtest.DemoInspector().ID || agents[1].CallID != rung.Callid {
		t.Fatalf("agents: %+v", agents)
	}
	var raw []map[string]any
	control(t, http.MethodGet, root+"/agwtest/agents", http.StatusOK, &raw)
	if raw[1]["state"] != "ringing" || raw[0]["state"] != "signed-out" {
		t.Errorf("states in JSON: %v, %v", raw[0]["state"], raw[1]["state"])
	}
	if _, leaked := raw[0]["Password"]; leaked {
		t.Error("the agent list shows passwords")
	}

	control(t, http.MethodPost, root+"/agwtest/hangup?callid="+rung.Callid, http.StatusOK, new(map[string]string))
	if st := g.AgentState(agentB); st != agwtest.StateIdle {
		t.Errorf("after hangup agent B is %v", st)
	}
	var stats agwtest.Stats
	control(t, http.MethodGet, root+"/agwtest/stats", http.StatusOK, &stats)
	if stats.Requests["PollEvent"] != 1 || stats.EventsQueued != 2 || stats.EventsDelivered != 1 {
		t.Errorf("stats %+v", stats)
	}
}

func TestControlHookErrors(t *testing.T) {
	t.Parallel()
	_, root := controlServer(t)
	control(t, http.MethodPost, root+"/agwtest/signin?agent=20001", http.StatusOK, new(map[string]string))
	for _, tc := range []struct {
		method, path string
		status       int
		want         string
	}{
		{http.MethodPost, "/agwtest/signin?agent=20001", http.StatusConflict, "already signed in"},
		{http.MethodPost, "/agwtest/signin?agent=99999", http.StatusConflict, "unknown agent"},
		{http.MethodPost, "/agwtest/signin", http.StatusBadRequest, "agent"},
		{http.MethodPost, "/agwtest/ring?agent=x", http.StatusBadRequest, "agent"},
		{http.MethodPost, "/agwtest/ring?agent=20001&internal=maybe", http.StatusBadRequest, "invalid syntax"},
		{http.MethodPost, "/agwtest/ring?agent=20002", http.StatusConflict, "not idle"},
		{http.MethodPost, "/agwtest/hangup?callid=nope", http.StatusConflict, "no call"},
		{http.MethodPost, "/agwtest/answer?callid=nope", http.StatusConflict, "no outbound call"},
		{http.MethodGet, "/agwtest/ring?agent=20001", http.StatusNotFound, "no control hook"},
		{http.MethodPost, "/agwtest/reboot", http.StatusNotFound, "no control hook"},
	} {
		var body struct{ Error string }
		control(t, tc.method, root+tc.path, tc.status, &body)
		if !strings.Contains(body.Error, tc.want) {
			t.Errorf("%s %s: error %q, want it to say %q", tc.method, tc.path, body.Error, tc.want)
		}
	}
}
