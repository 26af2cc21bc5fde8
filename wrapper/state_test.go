package wrapper_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const cookieSecret = "affinity-9f8e7d"

func testState() wrapper.SessionState {
	return wrapper.SessionState{AgentID: agentA, Guid: testGuid, Push: true,
		Cookies: []wrapper.StateCookie{{Name: "lb", Value: cookieSecret, Domain: "127.0.0.1", Path: "/"}}}
}

func TestSessionStatePrintsNoSecret(t *testing.T) {
	st := testState()
	values := []any{st, &st, []wrapper.SessionState{st}, st.Cookies, st.Cookies[0], struct{ S wrapper.SessionState }{st},
		map[string]wrapper.SessionState{"a": st}}
	var out bytes.Buffer
	for _, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T"} {
			fmt.Fprintf(&out, verb+"\n", v)
		}
		fmt.Fprintln(&out, v)
	}
	for _, h := range []slog.Handler{slog.NewTextHandler(&out, nil), slog.NewJSONHandler(&out, nil)} {
		slog.New(h).Info("state", "st", st, "ptr", &st, "cookie", st.Cookies[0], slog.Any("any", st))
	}
	assert.NotContains(t, out.String(), testGuid)
	assert.NotContains(t, out.String(), cookieSecret)
	assert.Contains(t, out.String(), "20001", "the agent is shown")

	b, err := json.Marshal(st)
	require.NoError(t, err)
	var back wrapper.SessionState
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, st, back, "JSON keeps everything: %s", b)
	require.Contains(t, string(b), `"guid":"`+testGuid)
}

func TestRestoreChecksState(t *testing.T) {
	c, err := wrapper.NewClient("http://127.0.0.1:1")
	require.NoError(t, err)
	for name, mod := range map[string]func(*wrapper.SessionState){
		"agent":         func(st *wrapper.SessionState) { st.AgentID = 7 },
		"no guid":       func(st *wrapper.SessionState) { st.Guid = "" },
		"guid lines":    func(st *wrapper.SessionState) { st.Guid = testGuid + "\r\nX: y" },
		"ended":         func(st *wrapper.SessionState) { st.Ended = true },
		"cookie name":   func(st *wrapper.SessionState) { st.Cookies[0].Name = "a b" },
		"cookie value":  func(st *wrapper.SessionState) { st.Cookies[0].Value = cookieSecret + ";x" },
		"cookie domain": func(st *wrapper.SessionState) { st.Cookies[0].Domain = "" },
		"cookie path":   func(st *wrapper.SessionState) { st.Cookies[0].Path = "x" },
	} {
		t.Run(name, func(t *testing.T) {
			st := testState()
			mod(&st)
			_, err := c.Restore(st)
			require.ErrorIs(t, err, wrapper.ErrInvalidArgument)
			require.NotContains(t, err.Error(), testGuid)
			require.NotContains(t, err.Error(), cookieSecret)
		})
	}
}

// A restored session sends the saved Guid and cookies, and its errors
// withhold them as a signed-in session's do.
func TestRestoredSessionSendsAndWithholds(t *testing.T) {
	g := newGateway(t)
	g.handle("DELETE /voicecall/20001/release", func(w http.ResponseWriter, r *http.Request) {
		ck, err := r.Cookie("lb")
		require.NoError(t, err)
		w.Header().Set("Content-Type", jsonUTF8)
		fmt.Fprintf(w, `{"retcode":"100-007","message":"guid %s cookie %s"}`, r.Header.Get("Guid"), ck.Value)
	})
	st := testState()
	st.Push = false
	s, err := g.client().Restore(st)
	require.NoError(t, err)
	err = s.Release(testContext(t))
	require.ErrorIs(t, err, wrapper.ErrAgentOperation)
	require.Equal(t, testGuid, g.last().Header.Get("Guid"))
	for _, text := range []string{err.Error(), fmt.Sprintf("%#v", err)} {
		require.NotContains(t, text, testGuid)
		require.NotContains(t, text, cookieSecret)
	}
	require.Equal(t, st, s.State())
}

// The hook hears of the sign-in, each rotation of the Guid, the cookies,
// and the end, in order.
func TestStateHookFollowsRotation(t *testing.T) {
	f := newFake(t, agwtest.WithDynamicGuid(1))
	states := make(chan wrapper.SessionState, 64)
	c, err := wrapper.NewClient(f.srv.URL(), wrapper.WithStateHook(func(st wrapper.SessionState) { states <- st }))
	require.NoError(t, err)
	s, err := c.SignIn(testContext(t), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword})
	require.NoError(t, err)
	first := <-states
	require.Equal(t, s.Guid(), first.Guid)
	require.Equal(t, []wrapper.StateCookie{{Name: "loadbalance", Value: "node0", Domain: "127.0.0.1", Path: "/"}}, first.Cookies)

	require.NoError(t, s.Handshake(testContext(t), nil)) // rotates the Guid (AUTHMODE=2)
	second := <-states
	require.NotEqual(t, first.Guid, second.Guid)
	now, _ := f.srv.Guid(20001)
	require.Equal(t, now, second.Guid)
	require.Equal(t, s.State(), second)

	require.NoError(t, s.SignOut(testContext(t)))
	last := <-states
	require.True(t, last.Ended)
	require.True(t, s.State().Ended)
	require.Empty(t, states, "one call per change")
}
