package agwtest_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"testing"

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
	if got := srv.AgentState(agentA); got != agwtest.StateSignedOut {
		t.Fatalf("after failed sign-ins the agent is %v", got)
	}

	r := do(t, srv, http.MethodPut, agentPath(agentA, ""), "", good)
	wantRetcode(t, r, "0")
	var res generated.SignInResult
	if err := json.Unmarshal(r.env.Result, &res); err != nil || res.Vdnid == nil || *res.Vdnid != 1 ||
		res.Workno == nil || *res.Workno != "20001" || res.Mediatype == nil || res.LoginTime == nil {
		t.Errorf("result %s, want vdnid 1, workno, mediatype and loginTime", r.env.Result)
	}
	guid := guidFrom(t, r.header)
	if !guidShape.MatchString(guid) {
		t.Errorf("Guid %q is not <32 hex>.AgentGateway0", guid)
	}
	if cur, _ := srv.Guid(agentA); cur != guid {
		t.Errorf("Guid(%d) = %q, Set-GUID said %q", agentA, cur, guid)
	}
	if c := r.header.Get("Set-Cookie"); c != "loadbalance=node0; Path=/" {
		t.Errorf("Set-Cookie %q, want the affinity cookie", c)
	}
	if got := srv.AgentState(agentA); got != agwtest.StateIdle {
		t.Errorf("signed-in agent is %v, want idle", got)
	}

	again := do(t, srv, http.MethodPut, agentPath(agentA, ""), "", good)
	wantRetcode(t, again, "100-002")
	if again.header.Get("Set-GUID") != "" || again.header.Get("Set-Cookie") != "" {
		t.Errorf("a refused sign-in set headers: %v", again.header)
	}
	if cur, _ := srv.Guid(agentA); cur != guid {
		t.Error("a refused sign-in changed the Guid")
	}
}

func TestSignInWithGeneratedClient(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	res := signInGenerated(t, srv, srv.Client(), agentA)
	if res.Headers200 == nil || res.Headers200.SetGUID == nil || *res.Headers200.SetGUID == "" {
		t.Fatal("generated client did not bind Set-GUID")
	}
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
	if guid == old {
		t.Fatal("forced sign-in kept the old Guid")
	}
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
	if err := json.Unmarshal(r.env.Result, &res); err != nil || res.Guid != a {
		t.Errorf("updateGuid result %s, want guid %q", r.env.Result, a)
	}
}

func TestStaticGuidNeverRotates(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	for range 3 {
		_, r := pollOnce(t, srv, agentA, guid)
		if v := r.header.Get("Set-GUID"); v != "" {
			t.Fatalf("static mode poll sent Set-GUID %q", v)
		}
	}
	if err := srv.RotateGuid(agentA); err == nil {
		t.Error("RotateGuid worked without WithDynamicGuid")
	}
}

func TestDynamicGuidRotation(t *testing.T) {
	t.Parallel()
	srv := newDemo(t, agwtest.WithDynamicGuid(2))
	g0 := signIn(t, srv, agentA)

	_, r := pollOnce(t, srv, agentA, g0)
	if v := r.header.Get("Set-GUID"); v != "" {
		t.Fatalf("first of two replies rotated: %q", v)
	}
	_, r = pollOnce(t, srv, agentA, g0)
	g1 := guidFrom(t, r.header)
	if g1 == g0 || !guidShape.MatchString(g1) {
		t.Fatalf("rotated Guid %q (was %q)", g1, g0)
	}
	if cur, _ := srv.Guid(agentA); cur != g1 {
		t.Fatalf("Guid() = %q, Set-GUID said %q", cur, g1)
	}

	// One rotation of grace: the previous Guid still works, before and
	// after the new one is used. (updateGuid is the probe because, unlike
	// the heartbeat, it never rotates the Guid.)
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g0, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g1, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPut, agentPath(agentA, "/updateGuid"), g0, nil), "0")

	// RotateGuid makes the very next reply rotate.
	if err := srv.RotateGuid(agentA); err != nil {
		t.Fatal(err)
	}
	_, r = pollOnce(t, srv, agentA, g1)
	g2 := guidFrom(t, r.header)
	if g2 == g1 || g2 == g0 {
		t.Fatalf("RotateGuid gave %q again", g2)
	}
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
	if g1 == g0 || !guidShape.MatchString(g1) {
		t.Fatalf("heartbeat rotated to %q (was %q)", g1, g0)
	}
	if cur, _ := srv.Guid(agentA); cur != g1 {
		t.Fatalf("Guid() = %q, Set-GUID said %q", cur, g1)
	}

	static := newDemo(t)
	guid := signIn(t, static, agentA)
	r = do(t, static, http.MethodPost, agentPath(agentA, "/handshake"), guid, nil)
	wantRetcode(t, r, "0")
	if v := r.header.Get("Set-GUID"); v != "" {
		t.Fatalf("static mode heartbeat sent Set-GUID %q", v)
	}
}

func TestSignOut(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/logout"), guid, nil), "100-010")
	if got := srv.AgentState(agentA); got != agwtest.StateRinging {
		t.Fatalf("refused sign-out left the agent %v", got)
	}
	if err := srv.Hangup(callID); err != nil {
		t.Fatal(err)
	}
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/logout"), guid, nil), "0")
	if got := srv.AgentState(agentA); got != agwtest.StateSignedOut {
		t.Fatalf("signed-out agent is %v", got)
	}
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/logout"), guid, nil), "100-006")
	wantRetcode(t, do(t, srv, http.MethodGet, "/agentevent/"+strconv.Itoa(agentA), guid, nil), "100-006")

	// Queued events do not survive the session.
	guid = signIn(t, srv, agentA)
	if types, _ := drain(t, srv, agentA, guid); len(types) != 0 {
		t.Fatalf("new session got the old session's events %v", types)
	}
}

func TestForceSignOutReleasesTheCall(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/forcelogout"), guid, nil), "0")
	if got := srv.AgentState(agentA); got != agwtest.StateSignedOut {
		t.Fatalf("agent is %v after forcelogout", got)
	}
	if _, ok := srv.Call(callID); ok {
		t.Fatal("the call outlived the forced sign-out")
	}
}
