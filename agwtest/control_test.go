package agwtest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// controlServer serves a demo gateway's API and its control hooks on one
// loopback port, as examples/fakegateway does.
func controlServer(t *testing.T) (*agwtest.Gateway, string) {
	t.Helper()
	g := agwtest.NewGateway(agwtest.WithPollWait(0))
	require.NoError(t, agwtest.Demo(g))
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
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, wantStatus, res.StatusCode, "%s %s: HTTP status", method, url)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"), "%s %s: Content-Type", method, url)
	require.NoError(t, json.NewDecoder(res.Body).Decode(out), "%s %s", method, url)
}

func TestControlHooksDriveTheGateway(t *testing.T) {
	t.Parallel()
	g, root := controlServer(t)

	var signedIn struct{ Guid string }
	control(t, http.MethodPost, root+"/agwtest/signin?agent=20002", http.StatusOK, &signedIn)
	cur, ok := g.Guid(agentB)
	require.True(t, ok, "the gateway holds no Guid for agent B")
	require.Equal(t, cur, signedIn.Guid, "signin answered a Guid the gateway does not hold")

	var rung struct{ Callid string }
	control(t, http.MethodPost, root+"/agwtest/ring?agent=20002&caller=13912345678", http.StatusOK, &rung)
	c, ok := g.Call(rung.Callid)
	require.True(t, ok, "ring answered call %q, which the gateway does not have", rung.Callid)
	require.Equal(t, "13912345678", c.Caller, "caller of %+v", c)
	require.Equal(t, agentB, c.Agent, "agent of %+v", c)
	require.False(t, c.Internal, "internal %+v", c)

	// The API sees what the hooks did: the signed-in agent's Guid polls
	// the ringing event.
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, root+"/agentgateway/resource/agentevent/20002", nil)
	req.Header.Set("Guid", signedIn.Guid)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var env wireEnvelope
	err = json.NewDecoder(res.Body).Decode(&env)
	res.Body.Close()
	require.NoError(t, err, "poll after ring")
	require.Equal(t, "0", env.Retcode, "poll after ring: %+v", env)
	require.Contains(t, string(env.Event), `"AgentEvent_Ringing"`, "poll after ring")

	var agents []agwtest.AgentStatus
	control(t, http.MethodGet, root+"/agwtest/agents", http.StatusOK, &agents)
	require.Len(t, agents, 6)
	require.Equal(t, agentB, agents[1].ID, "agents: %+v", agents)
	require.Equal(t, agwtest.DemoInspector().ID, agents[5].ID, "agents: %+v", agents)
	require.Equal(t, rung.Callid, agents[1].CallID, "agents: %+v", agents)
	var raw []map[string]any
	control(t, http.MethodGet, root+"/agwtest/agents", http.StatusOK, &raw)
	require.Len(t, raw, 6)
	assert.Equal(t, "signed-out", raw[0]["state"], "state in JSON")
	assert.Equal(t, "ringing", raw[1]["state"], "state in JSON")
	assert.NotContains(t, raw[0], "Password", "the agent list shows passwords")

	control(t, http.MethodPost, root+"/agwtest/hangup?callid="+rung.Callid, http.StatusOK, new(map[string]string))
	assert.Equal(t, agwtest.StateIdle, g.AgentState(agentB), "agent B after hangup")
	var stats agwtest.Stats
	control(t, http.MethodGet, root+"/agwtest/stats", http.StatusOK, &stats)
	assert.Equal(t, 1, stats.Requests["PollEvent"], "stats %+v", stats)
	assert.Equal(t, 2, stats.EventsQueued, "stats %+v", stats)
	assert.Equal(t, 1, stats.EventsDelivered, "stats %+v", stats)
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
		assert.Contains(t, body.Error, tc.want, "%s %s", tc.method, tc.path)
	}
}
