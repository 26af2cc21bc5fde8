package agwtest_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

var guidShape = regexp.MustCompile(`^[0-9a-f]{32}\.AgentGateway0$`)

func TestSignInCodes(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	wrongPassword := signInBody{Password: "nope", Phonenum: demoPhone(agentA)}
	wrongPhone := signInBody{Password: agwtest.DemoPassword, Phonenum: "99999"}
	good := signInBody{Password: agwtest.DemoPassword, Phonenum: demoPhone(agentA)}

	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, ""), "", wrongPassword), "100-004")
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(30000, ""), "", good), "100-004") // unknown agent
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, ""), "", wrongPhone), "100-013")
	require.Equal(t, agwtest.StateSignedOut, srv.AgentState(agentA), "after failed sign-ins")

	r := do(t, srv, http.MethodPut, agentPath(agentA, ""), "", good)
	wantRetcode(t, r, "0")
	var res generated.SignInResult
	require.NoError(t, json.Unmarshal(r.env.Result, &res))
	require.NotNil(t, res.Vdnid)
	assert.Equal(t, 1, *res.Vdnid)
	require.NotNil(t, res.Workno)
	assert.Equal(t, "20001", *res.Workno)
	assert.NotNil(t, res.Mediatype)
	assert.NotNil(t, res.LoginTime)
	guid := guidFrom(t, r.header)
	assert.Regexp(t, guidShape, guid, "Guid is not <32 hex>.AgentGateway0")
	cur, _ := srv.Guid(agentA)
	assert.Equal(t, guid, cur, "Guid(%d) differs from Set-GUID", agentA)
	assert.Equal(t, "loadbalance=node0; Path=/", r.header.Get("Set-Cookie"), "the affinity cookie")
	assert.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "signed-in agent")

	again := do(t, srv, http.MethodPut, agentPath(agentA, ""), "", good)
	wantRetcode(t, again, "100-002")
	assert.Empty(t, again.header.Get("Set-GUID"), "a refused sign-in set Set-GUID")
	assert.Empty(t, again.header.Get("Set-Cookie"), "a refused sign-in set Set-Cookie")
	cur, _ = srv.Guid(agentA)
	assert.Equal(t, guid, cur, "a refused sign-in changed the Guid")
}

func TestSignInWithGeneratedClient(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	res := signInGenerated(t, srv, srv.Client(), agentA)
	require.NotNil(t, res.Headers200, "generated client did not bind Set-GUID")
	require.NotNil(t, res.Headers200.SetGUID, "generated client did not bind Set-GUID")
	require.NotEmpty(t, *res.Headers200.SetGUID, "generated client did not bind Set-GUID")
}

func TestForceSignIn(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	old := signIn(t, srv, agentA)
	body := signInBody{Password: agwtest.DemoPassword, Phonenum: demoPhone(agentA)}

	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/forcelogin"), "", signInBody{Password: "x", Phonenum: demoPhone(agentA)}), "100-004")
	r := do(t, srv, http.MethodPut, agentPath(agentA, "/forcelogin"), "", body)
	wantRetcode(t, r, "0")
	guid := guidFrom(t, r.header)
	require.NotEqual(t, old, guid, "forced sign-in kept the old Guid")
	wantRetcode(t, do(t, srv, http.MethodPost, agentPath(agentA, "/handshake"), old, nil), "100-006")
	wantRetcode(t, do(t, srv, http.MethodPost, agentPath(agentA, "/handshake"), guid, nil), "0")

	// With no session to take over, forcelogin is a plain sign-in.
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentB, "/forcelogin"), "", signInBody{Password: agwtest.DemoPassword, Phonenum: demoPhone(agentB)}), "0")
}

func TestForceSignInDisabled(t *testing.T) {
	t.Parallel()
	srv := newDemo(t, agwtest.WithForceLoginDisabled())
	guid := signIn(t, srv, agentA)
	body := signInBody{Password: agwtest.DemoPassword, Phonenum: demoPhone(agentA)}
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/forcelogin"), "", body), "100-015")
	wantRetcode(t, do(t, srv, http.MethodPost, agentPath(agentA, "/handshake"), guid, nil), "0")
}

func TestGuidChecks(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	a := signIn(t, srv, agentA)
	b := signIn(t, srv, agentB)
	handshake := func(id int, guid string) response {
		return do(t, srv, http.MethodPost, agentPath(id, "/handshake"), guid, nil)
	}

	wantRetcode(t, handshake(agentA, a), "0")
	wantRetcode(t, handshake(agentA, ""), "100-006")
	wantRetcode(t, handshake(agentA, "0123456789abcdef0123456789abcdef.AgentGateway0"), "100-006")
	wantRetcode(t, handshake(agentA, b), "000-003")
	wantRetcode(t, handshake(agentC, a), "000-003")
	wantRetcode(t, do(t, srv, http.MethodGet, "/agentevent/"+strconv.Itoa(agentA), b, nil), "000-003")
	// An agent that never signed in, with no Guid or a stale one.
	wantRetcode(t, handshake(agentC, ""), "100-006")
	wantRetcode(t, handshake(20004, "0123456789abcdef0123456789abcdef.AgentGateway0"), "100-006")
	// Configured nowhere: still just "not signed in".
	wantRetcode(t, handshake(40000, ""), "100-006")

	r := do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), a, nil)
	wantRetcode(t, r, "0")
	var res struct{ Guid string }
	if assert.NoError(t, json.Unmarshal(r.env.Result, &res), "updateGuid result %s", r.env.Result) {
		assert.Equal(t, a, res.Guid, "updateGuid result")
	}
}

func TestStaticGuidNeverRotates(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	for range 3 {
		_, r := pollOnce(t, srv, agentA, guid)
		require.Empty(t, r.header.Get("Set-GUID"), "static mode poll sent Set-GUID")
	}
	assert.Error(t, srv.RotateGuid(agentA), "RotateGuid worked without WithDynamicGuid")
}

func TestDynamicGuidRotation(t *testing.T) {
	t.Parallel()
	srv := newDemo(t, agwtest.WithDynamicGuid(2))
	g0 := signIn(t, srv, agentA)

	_, r := pollOnce(t, srv, agentA, g0)
	require.Empty(t, r.header.Get("Set-GUID"), "first of two replies rotated")
	_, r = pollOnce(t, srv, agentA, g0)
	g1 := guidFrom(t, r.header)
	require.NotEqual(t, g0, g1, "the Guid did not rotate")
	require.Regexp(t, guidShape, g1, "rotated Guid")
	cur, _ := srv.Guid(agentA)
	require.Equal(t, g1, cur, "Guid() differs from Set-GUID")

	// One rotation of grace: the previous Guid still works, before and
	// after the new one is used. (updateGuid is the probe because, unlike
	// the heartbeat, it never rotates the Guid.)
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g0, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g1, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g0, nil), "0")

	// RotateGuid makes the very next reply rotate.
	require.NoError(t, srv.RotateGuid(agentA))
	_, r = pollOnce(t, srv, agentA, g1)
	g2 := guidFrom(t, r.header)
	require.NotContains(t, []string{g0, g1}, g2, "RotateGuid gave an old Guid again")
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g0, nil), "100-006")
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g1, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g2, nil), "0")
	// A Guid two rotations old is not another agent's either.
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentB, "/updateGuid"), g0, nil), "100-006")
}

// In dynamic mode the heartbeat rotates the Guid like a poll reply and
// returns the new one in Set-GUID (the 2025 push-mode pages).
func TestHeartbeatRotatesDynamicGuid(t *testing.T) {
	t.Parallel()
	srv := newDemo(t, agwtest.WithDynamicGuid(1))
	g0 := signIn(t, srv, agentA)
	r := do(t, srv, http.MethodPost, agentPath(agentA, "/handshake"), g0, nil)
	wantRetcode(t, r, "0")
	g1 := guidFrom(t, r.header)
	require.NotEqual(t, g0, g1, "the heartbeat did not rotate the Guid")
	require.Regexp(t, guidShape, g1, "heartbeat rotated Guid")
	cur, _ := srv.Guid(agentA)
	require.Equal(t, g1, cur, "Guid() differs from Set-GUID")

	static := newDemo(t)
	guid := signIn(t, static, agentA)
	r = do(t, static, http.MethodPost, agentPath(agentA, "/handshake"), guid, nil)
	wantRetcode(t, r, "0")
	require.Empty(t, r.header.Get("Set-GUID"), "static mode heartbeat sent Set-GUID")
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/logout"), guid, nil), "100-010")
	require.Equal(t, agwtest.StateRinging, srv.AgentState(agentA), "after a refused sign-out")
	require.NoError(t, srv.Hangup(callID))
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/logout"), guid, nil), "0")
	require.Equal(t, agwtest.StateSignedOut, srv.AgentState(agentA), "after sign-out")
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/logout"), guid, nil), "100-006")
	wantRetcode(t, do(t, srv, http.MethodGet, "/agentevent/"+strconv.Itoa(agentA), guid, nil), "100-006")

	// Queued events do not survive the session.
	guid = signIn(t, srv, agentA)
	types, _ := drain(t, srv, agentA, guid)
	require.Empty(t, types, "new session got the old session's events")
}

func TestForceSignOutReleasesTheCall(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/forcelogout"), guid, nil), "0")
	require.Equal(t, agwtest.StateSignedOut, srv.AgentState(agentA), "after forcelogout")
	_, ok := srv.Call(callID)
	require.False(t, ok, "the call outlived the forced sign-out")
}
