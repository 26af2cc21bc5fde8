package agwtest_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func post(t *testing.T, url string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, nil)
	require.NoError(t, err)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	return res.StatusCode
}

func TestSignOutHook(t *testing.T) {
	t.Parallel()
	g, root := controlServer(t)
	assert.Equal(t, http.StatusConflict, post(t, root+"/agwtest/signout?agent=20001"), "not signed in")
	assert.Equal(t, http.StatusConflict, post(t, root+"/agwtest/signout?agent=99999"), "unknown agent")
	assert.Equal(t, http.StatusBadRequest, post(t, root+"/agwtest/signout"))
	require.Equal(t, http.StatusOK, post(t, root+"/agwtest/signin?agent=20001"))
	callID, err := g.Ring(agentA, "13800000000")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, post(t, root+"/agwtest/signout?agent=20001"))
	assert.Equal(t, agwtest.StateSignedOut, g.AgentState(agentA))
	_, ok := g.Call(callID)
	assert.False(t, ok, "signing out drops the agent's calls")
	_, ok = g.Guid(agentA)
	assert.False(t, ok)
}

// The hooks refuse other hosts, DNS-rebound names and cross-site browser
// posts, and still take posts from curl and from a same-origin page.
func TestHooksAreLocalOnly(t *testing.T) {
	t.Parallel()
	g := agwtest.NewGateway()
	require.NoError(t, agwtest.Demo(g))
	h := g.ControlHandler()
	for _, tc := range []struct {
		name, method, path, remote, host string
		headers                          map[string]string
		want                             int
	}{
		{"another host", "GET", "/agwtest/agents", "192.0.2.1:5000", "127.0.0.1:8043", nil, http.StatusForbidden},
		{"a rebound name", "GET", "/agwtest/agents", "127.0.0.1:5000", "rebound.example:8043", nil, http.StatusForbidden},
		{"cross-site", "POST", "/agwtest/signin?agent=20001", "127.0.0.1:5000", "127.0.0.1:8043",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://other.example"}, http.StatusForbidden},
		{"another origin", "POST", "/agwtest/signin?agent=20001", "127.0.0.1:5000", "127.0.0.1:8043",
			map[string]string{"Origin": "http://other.example"}, http.StatusForbidden},
		{"the console", "POST", "/agwtest/signin?agent=20001", "127.0.0.1:5000", "127.0.0.1:8043",
			map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8043"}, http.StatusOK},
		{"curl", "POST", "/agwtest/signout?agent=20001", "[::1]:5000", "localhost:8043", nil, http.StatusOK},
	} {
		req := httptest.NewRequestWithContext(t.Context(), tc.method, tc.path, nil)
		req.RemoteAddr, req.Host = tc.remote, tc.host
		for k, v := range tc.headers {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, tc.want, rec.Code, "%s: %s", tc.name, rec.Body)
	}
	assert.Equal(t, agwtest.StateSignedOut, g.AgentState(agentA), "only the same-origin sign-in went through, and curl undid it")
}
