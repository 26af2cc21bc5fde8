package agwtest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// TestSupervision: the inspector listens to a call, barges in, whispers
// and stops, with the events both sides get, then takes a call over.
func TestSupervision(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	d.signIn(inspector, generated.SignInRequest{})
	in := d.as(inspector)

	// Refusals before any call.
	expect(t, "900-002")(d.api.AddSuperviseWithResponse(ctx, agentB, agentA, d.as(agentB)))
	expect(t, "900-005")(d.api.AddSuperviseWithResponse(ctx, inspector, agentA, in))
	expect(t, "900-004")(d.api.AddSuperviseWithResponse(ctx, inspector, agentC, in))
	expect(t, "000-005")(d.api.AddSuperviseWithResponse(ctx, inspector, inspector, in))
	expect(t, "900-005")(d.api.StopSupervisionWithResponse(ctx, inspector, agentA, in))

	d.ringAndAnswer(agentA)
	d.events(agentA)
	expect(t, "0")(d.api.AddSuperviseWithResponse(ctx, inspector, agentA, in))
	if d.state(inspector) != agwtest.StateTalking {
		t.Fatalf("listening inspector is %v", d.state(inspector))
	}
	expect(t, "900-005")(d.api.AddInsertWithResponse(ctx, inspector, agentA, in)) // already on the call
	expect(t, "0")(d.api.SwitchSupervisionWithResponse(ctx, inspector, agentA, in))
	expect(t, "0")(d.api.RequestWhisperAgentWithResponse(ctx, inspector, &generated.RequestWhisperAgentParams{Whisperagentid: ptr(agentA)}, in))
	expect(t, "0")(d.api.RequestStopWhisperAgentWithResponse(ctx, inspector, nil, in))
	expect(t, "0")(d.api.RequestSwitchInsertWhisperAgentWithResponse(ctx, inspector,
		&generated.RequestSwitchInsertWhisperAgentParams{Switchtype: 1}, in))
	expect(t, "900-005")(d.api.RequestWhisperAgentWithResponse(ctx, inspector, &generated.RequestWhisperAgentParams{Whisperagentid: ptr(agentB)}, in))
	expect(t, "0")(d.api.StopSupervisionWithResponse(ctx, inspector, agentA, in))
	evs := d.eventsOf(agentA)
	if len(evs) != 2 || evs[0].EventType != "AgentOther_BeQcStart" || string(evs[0].Content) != `{"qcAgentId":20900,"qcType":8}` ||
		evs[1].EventType != "AgentOther_BeQcStop" || string(evs[1].Content) != `{"qcAgentId":20900,"qcType":9}` {
		t.Fatalf("inspected agent's events: %+v", evs)
	}
	wantEvents(t, d.events(inspector), "AgentOther_PhoneRelease", "AgentState_Ready")

	// Barge in, then intercept: the call moves to the inspector.
	expect(t, "0")(d.api.AddInsertWithResponse(ctx, inspector, agentA, in))
	expect(t, "0")(d.api.InterceptWithResponse(ctx, inspector, agentA, in))
	if d.state(agentA) != agwtest.StateIdle || d.state(inspector) != agwtest.StateTalking {
		t.Fatalf("after intercept: agent %v, inspector %v", d.state(agentA), d.state(inspector))
	}
	wantEvents(t, d.events(agentA), "AgentOther_BeQcStart", "AgentOther_BeQcStop", "AgentOther_PhoneRelease")
	wantEvents(t, d.events(inspector), "AgentOther_PhoneRelease", "AgentState_Ready", "AgentEvent_Talking")
	expect(t, "900-005")(d.api.InterceptWithResponse(ctx, inspector, agentA, in))

	// An inspector on a call that ends is released with it.
	d.ringAndAnswer(agentB)
	expect(t, "0")(d.api.ReleaseWithResponse(ctx, inspector, in))
	expect(t, "0")(d.api.AddSuperviseWithResponse(ctx, inspector, agentB, in))
	d.events(inspector)
	expect(t, "0")(d.api.ReleaseWithResponse(ctx, agentB, d.as(agentB)))
	if d.state(inspector) != agwtest.StateIdle {
		t.Fatalf("inspector after the call ended: %v", d.state(inspector))
	}
	wantEvents(t, d.events(inspector), "AgentOther_PhoneRelease", "AgentState_Ready")
}

// TestForcedStates: the inspector makes an agent busy, idle, rest (which
// ends on the clock) and signs it out; a state the agent's call forbids is
// refused.
func TestForcedStates(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(inspector, generated.SignInRequest{})
	in := d.as(inspector)

	expect(t, "0")(d.api.ForceBusyWithResponse(ctx, inspector, agentA, in))
	evs := d.eventsOf(agentA)
	if len(evs) != 1 || string(evs[0].Content) != `{"reason":"3"}` {
		t.Fatalf("forced busy: %+v", evs)
	}
	expect(t, "0")(d.api.ForceRestWithResponse(ctx, inspector, agentA, 120, 5, in))
	if d.state(agentA) != agwtest.StateRest {
		t.Fatalf("forced rest: %v", d.state(agentA))
	}
	expect(t, "0")(d.api.ForceIdleWithResponse(ctx, inspector, agentA, in))
	wantEvents(t, d.events(agentA), "AgentState_SetRest_Success", "AgentState_CancelRest_Success", "AgentState_Ready")
	expect(t, "0")(d.api.ForceRestWithResponse(ctx, inspector, agentA, 60, 5, in))
	d.clock.Advance(time.Minute) // within the idle sign-out limit
	if d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("forced rest after its time: %v", d.state(agentA))
	}

	d.ringAndAnswer(agentA)
	expect(t, "100-009")(d.api.ForceBusyWithResponse(ctx, inspector, agentA, in))
	expect(t, "900-002")(d.api.ForceIdleWithResponse(ctx, agentA, inspector, d.as(agentA)))
	expect(t, "000-002")(d.api.AdjustSkillWithResponse(ctx, inspector, generated.AdjustSkillRequest{WorkNo: "x"}, in))
	expect(t, "0")(d.api.AdjustSkillWithResponse(ctx, inspector, generated.AdjustSkillRequest{WorkNo: "20001", Skills: []int{7}}, in))
	bySkill, err := d.api.GetAgentBySkillWithResponse(ctx, inspector, 7, in)
	env := want(t, bySkill, err, "0")
	var serving []generated.AgentStateInfo
	if json.Unmarshal(env.Result, &serving) != nil || len(serving) != 1 || *serving[0].Workno != "20001" {
		t.Fatalf("agents serving skill 7 after AdjustSkill: %s", env.Result)
	}
	expect(t, "0")(d.api.ForceSignOutAgentWithResponse(ctx, inspector, agentA, in))
	if d.state(agentA) != agwtest.StateSignedOut {
		t.Fatalf("forced sign-out: %v", d.state(agentA))
	}
	expect(t, "900-004")(d.api.ForceBusyWithResponse(ctx, inspector, agentA, in))

	visible, err := d.api.GetQualityControlAgentsWithResponse(ctx, inspector, in)
	want(t, visible, err, "0")
	expect(t, "100-006")(d.api.GetQualityControlAgentsWithResponse(ctx, agentA, d.as(agentA))) // signed out
	d.signIn(agentB, generated.SignInRequest{})
	expect(t, "900-002")(d.api.GetQualityControlAgentsWithResponse(ctx, agentB, d.as(agentB)))
}

// TestMonitorAndThirdControl: BeginMonitor sends QC_AgentState_Notify for
// each state change of the monitored agents, and lets the monitor set
// their state and answer their calls.
func TestMonitorAndThirdControl(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(inspector, generated.SignInRequest{})
	d.signIn(agentA, generated.SignInRequest{Autoanswer: ptr(false)})
	in := d.as(inspector)

	expect(t, "100-007")(d.api.ThirdControlSetStatusWithResponse(ctx, inspector, agentA,
		generated.ThirdControlStatusRequest{AgentStatus: generated.ThirdControlStatusRequestAgentStatusAgentStateBusy}, in))
	expect(t, "100-007")(d.api.BeginMonitorWithResponse(ctx, inspector, &generated.BeginMonitorParams{Agents: "20001;30000"}, in))
	expect(t, "0")(d.api.BeginMonitorWithResponse(ctx, inspector, &generated.BeginMonitorParams{Agents: "20001;20002"}, in))
	d.signIn(agentB, generated.SignInRequest{})

	expect(t, "0")(d.api.ThirdControlSetStatusWithResponse(ctx, inspector, agentA,
		generated.ThirdControlStatusRequest{AgentStatus: generated.ThirdControlStatusRequestAgentStatusAgentStateBusy}, in))
	expect(t, "0")(d.api.ThirdControlSetStatusWithResponse(ctx, inspector, agentA,
		generated.ThirdControlStatusRequest{AgentStatus: generated.ThirdControlStatusRequestAgentStatusAgentStateIdle}, in))
	expect(t, "200-002")(d.api.ThirdControlCallAnswerWithResponse(ctx, inspector, agentA, in))
	ring(t, d.srv, agentA)
	expect(t, "0")(d.api.ThirdControlCallAnswerWithResponse(ctx, inspector, agentA, in))
	if d.state(agentA) != agwtest.StateTalking {
		t.Fatalf("answered by the monitor: %v", d.state(agentA))
	}
	expect(t, "100-007")(d.api.ThirdControlCalloutWithResponse(ctx, inspector, agentA, generated.CalloutRequest{Called: "123"}, in))

	var subtypes []string
	for _, ev := range d.eventsOf(inspector) {
		if ev.EventType != "QC_AgentState_Notify" {
			t.Fatalf("monitor got %s", ev.EventType)
		}
		c := content[generated.QCAgentStateNotifyContent](t, ev)
		subtypes = append(subtypes, string(*c.Monitoredagent)+" "+*c.Subtype)
	}
	wantEvents(t, subtypes, "20002 QC_AgentState_Login", "20001 QC_AgentState_Busy", "20001 QC_AgentState_Idle",
		"20001 QC_AgentState_WaitAnswer", "20001 QC_AgentState_Active")
}

// TestAllAgentEvents: PollAllAgentEvents is refused unless the gateway
// serves it; then it answers every agent's events as one array, with or
// without a Guid.
func TestAllAgentEvents(t *testing.T) {
	t.Parallel()
	off := newDesk(t)
	res, err := off.api.PollAllAgentEventsWithResponse(t.Context(), nil)
	want(t, res, err, "000-003")

	d := newDesk(t, agwtest.WithAllAgentEvents())
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	ring(t, d.srv, agentB)
	ring(t, d.srv, agentA)
	res, err = d.api.PollAllAgentEventsWithResponse(t.Context(), &generated.PollAllAgentEventsParams{Time: ptr(int64(1))})
	want(t, res, err, "0")
	evs := *res.JSON200.Event
	if len(evs) != 2 || *evs[0].WorkNo != "20001" || *evs[1].WorkNo != "20002" || evs[0].EventType != "AgentEvent_Ringing" {
		t.Fatalf("all agents' events: %s", res.Body)
	}
	res, err = d.api.PollAllAgentEventsWithResponse(t.Context(), nil, d.as(agentA))
	want(t, res, err, "0")
	if len(*res.JSON200.Event) != 0 {
		t.Fatalf("events twice: %s", res.Body)
	}
}

// TestAllAgentEventsInBatches: a reply holds at most the batch; the next
// goes on from where it stopped, each agent's events in order, none twice.
func TestAllAgentEventsInBatches(t *testing.T) {
	t.Parallel()
	d := newDesk(t, agwtest.WithAllAgentEvents(), agwtest.WithAllAgentBatch(1))
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	ring(t, d.srv, agentA) // 20001: Ringing
	ring(t, d.srv, agentB) // 20002: Ringing
	var got []string
	for range 3 {
		res, err := d.api.PollAllAgentEventsWithResponse(t.Context(), nil)
		want(t, res, err, "0")
		if n := len(*res.JSON200.Event); n > 1 {
			t.Fatalf("%d events in a batch of 1: %s", n, res.Body)
		}
		for _, ev := range *res.JSON200.Event {
			got = append(got, string(*ev.WorkNo)+" "+ev.EventType)
		}
	}
	if len(got) != 2 || got[0] != "20001 AgentEvent_Ringing" || got[1] != "20002 AgentEvent_Ringing" {
		t.Fatalf("events: %q", got)
	}
}
