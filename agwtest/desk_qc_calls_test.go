package agwtest_test

import (
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// TestForceDropAndInterceptCall: an inspector releases a connected call,
// and takes over the named call of an agent it barged in on.
func TestForceDropAndInterceptCall(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	d.signIn(inspector, generated.SignInRequest{})
	in := d.as(inspector)

	ringing := ring(t, d.srv, agentB)
	expect(t, "900-002")(d.api.ForceDropCallWithResponse(ctx, agentA, ringing, d.as(agentA)))
	expect(t, "900-004")(d.api.ForceDropCallWithResponse(ctx, inspector, "1-999", in))
	expect(t, "900-005")(d.api.ForceDropCallWithResponse(ctx, inspector, ringing, in))
	callID := d.ringAndAnswer(agentA)
	d.events(agentA)
	expect(t, "0")(d.api.ForceDropCallWithResponse(ctx, inspector, callID, in))
	evs := d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentEvent_Call_Release", "AgentOther_PhoneRelease")
	if string(evs[0].Content) != `"`+callID+`"` || string(evs[1].Content) != `{"phoneState":3}` {
		t.Fatalf("dropped agent's events: %+v", evs)
	}
	if _, ok := d.srv.Call(callID); ok || d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("after force drop: call kept %v, agent %v", ok, d.state(agentA))
	}

	// InterceptCall needs the inspector on the agent's call, and the call named.
	callID = d.ringAndAnswer(agentA)
	d.events(agentA)
	expect(t, "900-005")(d.api.InterceptCallWithResponse(ctx, inspector, agentA, callID, in))
	expect(t, "0")(d.api.AddInsertWithResponse(ctx, inspector, agentA, in))
	expect(t, "900-005")(d.api.InterceptCallWithResponse(ctx, inspector, agentA, ringing, in))
	expect(t, "0")(d.api.InterceptCallWithResponse(ctx, inspector, agentA, callID, in))
	evs = d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentOther_BeQcStart", "AgentEvent_Call_Release", "AgentEvent_Customer_Release",
		"AgentOther_PhoneRelease", "AgentState_Ready")
	if rel := content[generated.CustomerReleaseContent](t, evs[2]); string(*rel.Callid) != callID || *rel.Number != "13800000000" {
		t.Fatalf("AgentEvent_Customer_Release: %s", evs[2].Content)
	}
	evs = d.eventsOf(inspector)
	wantEvents(t, types(evs), "AgentEvent_Talking")
	if got := content[generated.TalkingContent](t, evs[0]); string(*got.Callid) != callID {
		t.Fatalf("inspector's AgentEvent_Talking: %s", evs[0].Content)
	}
	if c, ok := d.srv.Call(callID); !ok || c.Agent != inspector || d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("after InterceptCall: %+v %v, agent %v", c, ok, d.state(agentA))
	}
}

// TestEndMonitor: EndMonitor stops the reports BeginMonitor started.
func TestEndMonitor(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(inspector, generated.SignInRequest{})
	in := d.as(inspector)
	expect(t, "0")(d.api.BeginMonitorWithResponse(ctx, inspector, &generated.BeginMonitorParams{Agents: "20001;20002"}, in))
	expect(t, "0")(d.api.SayBusyWithResponse(ctx, agentA, nil, d.as(agentA)))
	wantEvents(t, d.events(inspector), "QC_AgentState_Notify")
	expect(t, "100-007")(d.api.EndMonitorWithResponse(ctx, inspector, &generated.EndMonitorParams{Agents: "20001;30000"}, in))
	expect(t, "0")(d.api.EndMonitorWithResponse(ctx, inspector, &generated.EndMonitorParams{Agents: "20001"}, in))
	expect(t, "0")(d.api.CancelBusyWithResponse(ctx, agentA, d.as(agentA)))
	wantEvents(t, d.events(inspector))
}

// TestHoldListOfAnotherAgent: an inspector reads an agent's held calls, in
// GetHoldList's shape with the page's fields.
func TestHoldListOfAnotherAgent(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(inspector, generated.SignInRequest{})
	in := d.as(inspector)

	expect(t, "300-001")(d.api.GetHoldListExWithResponse(ctx, agentA, agentA, d.as(agentA)))
	expect(t, "100-007")(d.api.GetHoldListExWithResponse(ctx, inspector, 30000, in))
	expect(t, "400-003")(d.api.GetHoldListExWithResponse(ctx, inspector, agentA, in))
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentA, true, nil, d.as(agentA)))
	callID, err := d.srv.RingSkill(1, "13800000000")
	if err != nil {
		t.Fatal(err)
	}
	expect(t, "0")(d.api.AnswerWithResponse(ctx, agentA, nil, d.as(agentA)))
	expect(t, "0")(d.api.HoldWithResponse(ctx, agentA, d.as(agentA)))
	res, err := d.api.GetHoldListExWithResponse(ctx, inspector, agentA, in)
	env := want(t, res, err, "0")
	var list []map[string]any
	if err := json.Unmarshal(env.Result, &list); err != nil || len(list) != 1 {
		t.Fatalf("holdlistex: %s (%v)", env.Result, err)
	}
	exp := map[string]any{"callfeature": 0.0, "called": "88000", "caller": "13800000000", "callid": callID, "callskill": "demo"}
	if !maps.Equal(list[0], exp) {
		t.Fatalf("holdlistex: %s, want %v", env.Result, exp)
	}
}

// TestCallStatisticsAndCallIDs: today's talk time, answered calls and
// callouts, counted from the fake's calls on its clock; the agent's call
// IDs.
func TestCallStatisticsAndCallIDs(t *testing.T) {
	t.Parallel()
	d := newDesk(t, agwtest.WithIdleSignOut(0))
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	as := d.as(agentA)
	stats := func() string {
		t.Helper()
		res, err := d.api.GetCallStatisticsExWithResponse(ctx, agentA, as)
		return string(want(t, res, err, "0").Result)
	}
	ids := func() string {
		t.Helper()
		res, err := d.api.GetAllCallIDsWithResponse(ctx, agentA, as)
		return string(want(t, res, err, "0").Result)
	}
	if got := stats(); got != `{"answernums":0,"calloutnums":0,"talktime":0}` {
		t.Fatalf("statistics before any call: %s", got)
	}
	if got := ids(); got != `[]` {
		t.Fatalf("call IDs before any call: %s", got)
	}

	held := d.ringAndAnswer(agentA)
	d.clock.Advance(40 * time.Second)
	expect(t, "0")(d.api.HoldWithResponse(ctx, agentA, as))
	d.clock.Advance(time.Hour) // held time is not talk time
	res, err := d.api.CalloutWithResponse(ctx, agentA, generated.CalloutRequest{Called: "13912345678"}, as)
	want(t, res, err, "0")
	out := string(*res.JSON200.Result)
	if err := d.srv.RemoteAnswer(out); err != nil {
		t.Fatal(err)
	}
	d.clock.Advance(20 * time.Second)
	if got := stats(); got != `{"answernums":1,"calloutnums":1,"talktime":60}` {
		t.Fatalf("statistics while talking: %s", got)
	}
	var list []string
	if err := json.Unmarshal([]byte(ids()), &list); err != nil || len(list) != 2 || list[0] != out || list[1] != held {
		t.Fatalf("call IDs: %v (%v), want [%s %s]", list, err, out, held)
	}

	// A new day starts the counts afresh.
	expect(t, "0")(d.api.ReleaseWithResponse(ctx, agentA, as))
	d.clock.Advance(24 * time.Hour)
	if got := stats(); got != `{"answernums":0,"calloutnums":0,"talktime":0}` {
		t.Fatalf("statistics the next day: %s", got)
	}
}

// TestQueueDeviceQueries: the IVR flows and access codes of the fake's
// VDN, its skill queues, and the queues an agent signed in to.
func TestQueueDeviceQueries(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	as := d.as(agentA)
	result := func(res answered, err error) string {
		t.Helper()
		return string(want(t, res, err, "0").Result)
	}

	ivr := result(d.api.GetIvrInfoWithResponse(ctx, agentA, as))
	if ivr != `[{"access":"88010","description":"demo welcome menu","id":1,"serviceNo":"1"},{"access":"88011","description":"demo satisfaction survey","id":2,"serviceNo":"2"}]` {
		t.Fatalf("ivrinfo: %s", ivr)
	}
	inno := result(d.api.GetInnoInfoWithResponse(ctx, agentA, as))
	if inno != `[{"description":"demo hotline","id":1,"inno":"88000","mediatype":5,"vdnid":1}]` {
		t.Fatalf("innoinfo: %s", inno)
	}
	vdn := result(d.api.GetVdnSkillWithResponse(ctx, agentA, 1, as))
	if vdn != `[{"id":1,"mediatype":5,"name":"demo","realFlag":1,"serviceType":0}]` {
		t.Fatalf("vdnskill: %s", vdn)
	}
	expect(t, "100-007")(d.api.GetVdnSkillWithResponse(ctx, agentA, 2, as))

	expect(t, "100-007")(d.api.GetSignedSkillsByWorkNoWithResponse(ctx, agentA, 30000, as))
	if got := result(d.api.GetSignedSkillsByWorkNoWithResponse(ctx, agentA, agentA, as)); got != `[]` {
		t.Fatalf("signed skills before ResetSkill: %s", got)
	}
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentA, true, nil, as))
	if got := result(d.api.GetSignedSkillsByWorkNoWithResponse(ctx, agentA, agentA, as)); got != `[{"id":1,"mediatype":5,"name":"demo"}]` {
		t.Fatalf("signed skills: %s", got)
	}
	if got := result(d.api.GetSignedSkillsByWorkNoWithResponse(ctx, agentA, agentB, as)); got != `[]` {
		t.Fatalf("signed skills of an agent signed out: %s", got)
	}
}
