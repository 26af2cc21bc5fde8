package agwtest_test

import (
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// TestReject: mode 1 puts a queued call back in its queue, where the next
// idle agent is offered it, and makes the agent busy; mode 2 releases the
// call and leaves the agent idle. Nothing ringing, or another callid:
// 200-002.
func TestReject(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	asA, asB := d.as(agentA), d.as(agentB)
	expect(t, "200-002")(d.api.RejectWithResponse(ctx, agentA, generated.RejectRequest{Mode: 2}, asA))

	// A joins the queue first and is offered the call; B joins but is busy.
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentA, true, nil, asA))
	expect(t, "0")(d.api.SayBusyWithResponse(ctx, agentB, nil, asB))
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentB, true, nil, asB))
	callID, err := d.srv.RingSkill(1, "13900000000")
	if err != nil {
		t.Fatal(err)
	}
	wantEvents(t, d.events(agentA), "AgentEvent_Ringing")
	expect(t, "200-002")(d.api.RejectWithResponse(ctx, agentA, generated.RejectRequest{Mode: 1, Callid: ptr("1-999")}, asA))
	expect(t, "0")(d.api.RejectWithResponse(ctx, agentA, generated.RejectRequest{Mode: 1, Callid: &callID}, asA))
	evs := d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentEvent_No_Answer", "AgentOther_PhoneRelease", "AgentState_SetNotReady_Success")
	if string(evs[0].Content) != `"`+callID+`"` {
		t.Fatalf("AgentEvent_No_Answer content %s, want the call ID", evs[0].Content)
	}
	if d.state(agentA) != agwtest.StateBusy {
		t.Fatalf("agent after reject mode 1: %v", d.state(agentA))
	}
	// Back in the queue, the call waits for B.
	if c, ok := d.srv.Call(callID); !ok || c.Agent != 0 {
		t.Fatalf("rejected call: %+v %v, want queuing", c, ok)
	}
	expect(t, "0")(d.api.CancelBusyWithResponse(ctx, agentB, asB))
	wantEvents(t, d.events(agentB), "AgentState_SetNotReady_Success", "AgentState_CancelNotReady_Success", "AgentEvent_Ringing")

	// Mode 2: B turns it down, the call is gone and B idle.
	expect(t, "0")(d.api.RejectWithResponse(ctx, agentB, generated.RejectRequest{Mode: 2}, asB))
	wantEvents(t, d.events(agentB), "AgentEvent_No_Answer", "AgentOther_PhoneRelease", "AgentState_Ready")
	if _, ok := d.srv.Call(callID); ok || d.state(agentB) != agwtest.StateIdle {
		t.Fatalf("after reject mode 2: call kept %v, agent %v", ok, d.state(agentB))
	}

	// A call that came through no queue is released by mode 1 too.
	direct := ring(t, d.srv, agentB)
	expect(t, "0")(d.api.RejectWithResponse(ctx, agentB, generated.RejectRequest{Mode: 1}, asB))
	if _, ok := d.srv.Call(direct); ok || d.state(agentB) != agwtest.StateBusy {
		t.Fatalf("after reject mode 1 of a direct call: call kept %v, agent %v", ok, d.state(agentB))
	}

	// A callout alerting the agent's own phone is not a ringing call.
	expect(t, "0")(d.api.CancelBusyWithResponse(ctx, agentA, asA))
	expect(t, "0")(d.api.SetAutoAnswerWithResponse(ctx, agentA, "false", asA))
	expect(t, "0")(d.api.CalloutWithResponse(ctx, agentA, generated.CalloutRequest{Called: "13912345678"}, asA))
	expect(t, "200-002")(d.api.RejectWithResponse(ctx, agentA, generated.RejectRequest{Mode: 2}, asA))
}

// TestCallInnerSkill: the caller's phone alerts and goes off hook, the
// idle agent of the queue rings and the caller hears it; when it answers
// both talk; a release by either ends both legs.
func TestCallInnerSkill(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	asA, asB := d.as(agentA), d.as(agentB)
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentB, true, nil, asB))

	expect(t, "100-007")(d.api.CallInnerSkillWithResponse(ctx, agentA, generated.CallInnerSkillRequest{SkillId: 9}, asA))
	res, err := d.api.CallInnerSkillWithResponse(ctx, agentA, generated.CallInnerSkillRequest{SkillId: 1}, asA)
	want(t, res, err, "0")
	callID := string(*res.JSON200.Result)
	evs := d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentState_Busy", "AgentEvent_Customer_Alerting")
	alerting := content[generated.CustomerAlertingContent](t, evs[3])
	if string(*alerting.Callid) != callID || *alerting.OtherPhoneWorkno != "20002" || *alerting.OtherPhone != "88002" {
		t.Fatalf("AgentEvent_Customer_Alerting: %s", evs[3].Content)
	}
	evs = d.eventsOf(agentB)
	wantEvents(t, types(evs), "AgentEvent_Ringing")
	ringing := content[generated.RingingContent](t, evs[0])
	leg := string(*ringing.Callid)
	if *ringing.Caller != "20001" || *ringing.Called != "20002" || leg == callID {
		t.Fatalf("the called agent's ringing: %s (caller's call %s)", evs[0].Content, callID)
	}
	if d.state(agentA) != agwtest.StateDialing {
		t.Fatalf("caller while the queue's agent rings: %v", d.state(agentA))
	}
	expect(t, "100-007")(d.api.CallInnerSkillWithResponse(ctx, agentA, generated.CallInnerSkillRequest{SkillId: 1}, asA))

	expect(t, "0")(d.api.AnswerWithResponse(ctx, agentB, nil, asB))
	wantEvents(t, d.events(agentB), "AgentEvent_Talking")
	evs = d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentEvent_Talking")
	if talking := content[generated.TalkingContent](t, evs[0]); string(*talking.Callid) != callID || *talking.Called != "20002" {
		t.Fatalf("caller's AgentEvent_Talking: %s", evs[0].Content)
	}

	// The called agent hangs up: the caller is released by the far end.
	expect(t, "0")(d.api.ReleaseWithResponse(ctx, agentB, asB))
	wantEvents(t, d.events(agentB), "AgentEvent_Call_Release", "AgentOther_PhoneRelease")
	wantEvents(t, d.events(agentA), "AgentOther_PhoneRelease")
	if d.state(agentA) != agwtest.StateIdle || d.state(agentB) != agwtest.StateIdle {
		t.Fatalf("after release: caller %v, called %v", d.state(agentA), d.state(agentB))
	}
	if _, ok := d.srv.Call(callID); ok {
		t.Fatal("the caller's leg outlived the call")
	}
}

// TestCallInnerSkillFails: with no idle agent in the queue the call fails
// at once (AgentEvent_Inside_Call_Fail, content the call ID); a called
// agent that rejects it fails it too, and one that rejects it back to the
// queue passes it to the next agent, whom the caller hears ring.
func TestCallInnerSkillFails(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{Autoanswer: ptr(false)})
	d.signIn(agentB, generated.SignInRequest{})
	d.signIn(agentC, generated.SignInRequest{})
	asA, asB, asC := d.as(agentA), d.as(agentB), d.as(agentC)

	// Nobody joined the queue; without autoanswer the caller takes its
	// phone off hook first.
	res, err := d.api.CallInnerSkillWithResponse(ctx, agentA, generated.CallInnerSkillRequest{SkillId: 1}, asA)
	want(t, res, err, "0")
	callID := string(*res.JSON200.Result)
	wantEvents(t, d.events(agentA), "AgentOther_PhoneAlerting")
	expect(t, "0")(d.api.AnswerWithResponse(ctx, agentA, nil, asA))
	evs := d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentOther_PhoneOffhook", "AgentState_Busy", "AgentEvent_Inside_Call_Fail", "AgentOther_PhoneRelease")
	if string(evs[2].Content) != `"`+callID+`"` {
		t.Fatalf("AgentEvent_Inside_Call_Fail content %s, want %q", evs[2].Content, callID)
	}
	if d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("caller after the failure: %v", d.state(agentA))
	}

	// B and C join; B is offered the call, rejects it to the queue, C rings.
	expect(t, "0")(d.api.SetAutoAnswerWithResponse(ctx, agentA, "true", asA))
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentB, true, nil, asB))
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentC, true, nil, asC))
	res, err = d.api.CallInnerSkillWithResponse(ctx, agentA, generated.CallInnerSkillRequest{SkillId: 1}, asA)
	want(t, res, err, "0")
	callID = string(*res.JSON200.Result)
	wantEvents(t, d.events(agentB), "AgentEvent_Ringing")
	expect(t, "0")(d.api.RejectWithResponse(ctx, agentB, generated.RejectRequest{Mode: 1}, asB))
	wantEvents(t, d.events(agentC), "AgentEvent_Ringing")
	evs = d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentState_Busy",
		"AgentEvent_Customer_Alerting", "AgentEvent_Customer_Alerting")
	if got := content[generated.CustomerAlertingContent](t, evs[4]); *got.OtherPhoneWorkno != "20003" {
		t.Fatalf("second AgentEvent_Customer_Alerting: %s", evs[4].Content)
	}

	// C releases it: the call fails for the caller.
	expect(t, "0")(d.api.RejectWithResponse(ctx, agentC, generated.RejectRequest{Mode: 2}, asC))
	evs = d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentEvent_Inside_Call_Fail", "AgentOther_PhoneRelease")
	if string(evs[0].Content) != `"`+callID+`"` {
		t.Fatalf("AgentEvent_Inside_Call_Fail content %s, want %q", evs[0].Content, callID)
	}
}

func types(evs []event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.EventType
	}
	return out
}
