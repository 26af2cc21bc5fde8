package agwtest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// TestAgentDay walks one agent through busy, wrap-up and rest with the
// vendor's events, the refusals on the way, and a rest that ends by itself
// when the clock passes its end.
func TestAgentDay(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx, as := t.Context(), d.as(agentA)
	idle := generated.SignInRequestStatusN4
	d.signIn(agentA, generated.SignInRequest{Status: &idle})
	wantEvents(t, d.events(agentA), "AgentOther_InService", "AgentState_Ready")

	status := func(wantCode generated.AgentStateCode, working bool) {
		t.Helper()
		res, err := d.api.GetAgentStatusWithResponse(ctx, agentA, as)
		want(t, res, err, "0")
		if r := res.JSON200.Result; *r.AgentState != wantCode || *r.IsWorking != working {
			t.Fatalf("agentstatus %d %v, want %d %v", *r.AgentState, *r.IsWorking, wantCode, working)
		}
	}
	status(4, false)

	busy, err := d.api.SayBusyWithResponse(ctx, agentA, &generated.SayBusyParams{Reason: ptr(201)}, as)
	want(t, busy, err, "0")
	evs := d.eventsOf(agentA)
	if len(evs) != 1 || evs[0].EventType != "AgentState_SetNotReady_Success" || string(evs[0].Content) != `{"reason":"201"}` {
		t.Fatalf("say busy: %+v", evs)
	}
	status(3, false)
	again, err := d.api.SayBusyWithResponse(ctx, agentA, &generated.SayBusyParams{Reason: ptr(202)}, as)
	want(t, again, err, "100-009") // busy again needs prolong
	again, err = d.api.SayBusyWithResponse(ctx, agentA, &generated.SayBusyParams{Reason: ptr(202), Prolong: ptr(true)}, as)
	want(t, again, err, "0")
	cancel, err := d.api.CancelBusyWithResponse(ctx, agentA, as)
	want(t, cancel, err, "0")
	cancel, err = d.api.CancelBusyWithResponse(ctx, agentA, as)
	want(t, cancel, err, "100-009") // not busy
	wantEvents(t, d.events(agentA), "AgentState_SetNotReady_Success", "AgentState_CancelNotReady_Success")

	work, err := d.api.WorkWithResponse(ctx, agentA, as)
	want(t, work, err, "0")
	status(5, false)
	free, err := d.api.SayFreeWithResponse(ctx, agentA, as)
	want(t, free, err, "0")
	expect(t, "0")(d.api.WorkWithResponse(ctx, agentA, as))
	cancelWork, err := d.api.CancelWorkWithResponse(ctx, agentA, as)
	want(t, cancelWork, err, "0")
	cancelWork, err = d.api.CancelWorkWithResponse(ctx, agentA, as)
	want(t, cancelWork, err, "100-009")
	wantEvents(t, d.events(agentA), "AgentState_Work", "AgentState_CancelWork_Success", "AgentState_Ready",
		"AgentState_Work", "AgentState_CancelWork_Success")

	rest, err := d.api.RestWithResponse(ctx, agentA, 600, 2, nil, as)
	want(t, rest, err, "0")
	status(8, false)
	rest, err = d.api.RestWithResponse(ctx, agentA, 600, 2, nil, as)
	want(t, rest, err, "100-009") // resting again needs prolong
	cancelRest, err := d.api.CancelRestWithResponse(ctx, agentA, as)
	want(t, cancelRest, err, "0")
	cancelRest, err = d.api.CancelRestWithResponse(ctx, agentA, as)
	want(t, cancelRest, err, "100-009")
	evs = d.eventsOf(agentA)
	if len(evs) != 2 || evs[0].EventType != "AgentState_SetRest_Success" || string(evs[0].Content) != `null` || evs[1].EventType != "AgentState_CancelRest_Success" {
		t.Fatalf("rest, cancel: %+v", evs)
	}

	// A rest of 30 s, prolonged to 60 s, ends 60 s later without a request.
	expect(t, "0")(d.api.RestWithResponse(ctx, agentA, 30, 0, nil, as))
	expect(t, "0")(d.api.RestWithResponse(ctx, agentA, 60, 7, &generated.RestParams{Prolong: ptr(true)}, as))
	d.clock.Advance(59 * time.Second)
	status(8, false)
	d.clock.Advance(time.Second)
	status(4, false)
	wantEvents(t, d.events(agentA), "AgentState_SetRest_Success", "AgentState_SetRest_Success",
		"AgentState_Rest_Timeout", "AgentState_Ready")
}

// TestSignInStatus signs agents in busy and in wrap-up: the documented
// events, and the refusals that follow from not being idle.
func TestSignInStatus(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	busy, work := generated.SignInRequestStatusN3, generated.SignInRequestStatusN5
	d.signIn(agentA, generated.SignInRequest{Status: &busy})
	d.signIn(agentB, generated.SignInRequest{Status: &work})
	d.signIn(agentC, generated.SignInRequest{})
	wantEvents(t, d.events(agentA), "AgentOther_InService", "AgentState_Ready", "AgentState_SetNotReady_Success")
	wantEvents(t, d.events(agentB), "AgentOther_InService", "AgentState_Ready", "AgentState_Work")
	wantEvents(t, d.events(agentC)) // no status named: no events, as before status was simulated
	if d.state(agentA) != agwtest.StateBusy || d.state(agentB) != agwtest.StateWork {
		t.Fatalf("states %v %v", d.state(agentA), d.state(agentB))
	}
	if _, err := d.srv.Ring(agentA, "13800000000"); err == nil {
		t.Fatal("a busy agent was rung")
	}

	// A busy or resting picker is refused with 100-007, the ringing call
	// stays where it is.
	ring(t, d.srv, agentC)
	snatch, err := d.api.SnatchPickupWithResponse(t.Context(), agentA, &generated.SnatchPickupParams{DestWorkNo: agentC}, d.as(agentA))
	if env := want(t, snatch, err, "100-007"); env.Message != "agent is not idle" {
		t.Fatalf("busy picker: %q", env.Message)
	}
	expect(t, "0")(d.api.CancelWorkWithResponse(t.Context(), agentB, d.as(agentB)))
	expect(t, "0")(d.api.RestWithResponse(t.Context(), agentB, 60, 0, nil, d.as(agentB)))
	snatch, err = d.api.SnatchPickupWithResponse(t.Context(), agentB, &generated.SnatchPickupParams{DestWorkNo: agentC}, d.as(agentB))
	want(t, snatch, err, "100-007")
	expect(t, "0")(d.api.SayFreeWithResponse(t.Context(), agentA, d.as(agentA)))
	expect(t, "0")(d.api.SnatchPickupWithResponse(t.Context(), agentA, &generated.SnatchPickupParams{DestWorkNo: agentC}, d.as(agentA)))
	if d.state(agentA) != agwtest.StateTalking {
		t.Fatalf("idle picker is %v after the pickup", d.state(agentA))
	}
}

// TestWrapUpAfterCall: without autoenteridle a call ends in wrap-up
// (AgentState_Work); SetAutoEnterIdle true makes the next one end idle.
func TestWrapUpAfterCall(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	d.signIn(agentA, generated.SignInRequest{Autoenteridle: ptr(false)})
	d.ringAndAnswer(agentA)
	expect(t, "0")(d.api.ReleaseWithResponse(t.Context(), agentA, d.as(agentA)))
	if d.state(agentA) != agwtest.StateWork {
		t.Fatalf("after the call: %v", d.state(agentA))
	}
	wantEvents(t, d.events(agentA), "AgentEvent_Ringing", "AgentEvent_Talking", "AgentEvent_Call_Release",
		"AgentOther_PhoneRelease", "AgentState_Work")
	if _, err := d.srv.Ring(agentA, "13800000000"); err == nil {
		t.Fatal("an agent in wrap-up was rung")
	}
	expect(t, "0")(d.api.SayFreeWithResponse(t.Context(), agentA, d.as(agentA)))
	wantEvents(t, d.events(agentA), "AgentState_CancelWork_Success", "AgentState_Ready")

	expect(t, "0")(d.api.SetAutoEnterIdleWithResponse(t.Context(), agentA, "true", d.as(agentA)))
	callID := d.ringAndAnswer(agentA)
	if err := d.srv.Hangup(callID); err != nil {
		t.Fatal(err)
	}
	if d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("with autoenteridle: %v", d.state(agentA))
	}
	expect(t, "0")(d.api.SetAutoEnterIdleWithResponse(t.Context(), agentA, "no", d.as(agentA)))
	d.ringAndAnswer(agentA)
	expect(t, "0")(d.api.ReleaseWithResponse(t.Context(), agentA, d.as(agentA)))
	if d.state(agentA) != agwtest.StateWork {
		t.Fatalf("autoenteridle \"no\": %v", d.state(agentA))
	}
}

// TestSessionSettings covers SetAutoAnswer (a pickup then only alerts),
// Heartbeat, ForceSignOutWithReason and the refusals without a session.
func TestSessionSettings(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	expect(t, "0")(d.api.SetAutoAnswerWithResponse(ctx, agentA, "false", d.as(agentA)))
	ring(t, d.srv, agentB)
	expect(t, "0")(d.api.SnatchPickupWithResponse(ctx, agentA, &generated.SnatchPickupParams{DestWorkNo: agentB}, d.as(agentA)))
	if d.state(agentA) != agwtest.StateRinging {
		t.Fatalf("manual-answer picker is %v", d.state(agentA))
	}

	hb, err := d.api.HeartbeatWithResponse(ctx, agentA, d.as(agentA))
	env := want(t, hb, err, "0")
	var res struct{ LoginTime string }
	if json.Unmarshal(env.Result, &res) != nil || res.LoginTime == "" {
		t.Fatalf("heartbeat result %s", env.Result)
	}
	if hb.HTTPResponse.Header.Get("Set-GUID") != "" {
		t.Error("the legacy heartbeat rotated the Guid")
	}

	expect(t, "0")(d.api.ForceSignOutWithReasonWithResponse(ctx, agentA, 7, d.as(agentA)))
	if d.state(agentA) != agwtest.StateSignedOut {
		t.Fatalf("after forcelogoutwithreason: %v", d.state(agentA))
	}
	expect(t, "100-006")(d.api.SayFreeWithResponse(ctx, agentA, d.as(agentA)))
	bad, err := d.api.RestWithResponse(ctx, agentB, 86400, 0, nil, d.as(agentB))
	want(t, bad, err, "000-002") // beyond 86399 s
}
