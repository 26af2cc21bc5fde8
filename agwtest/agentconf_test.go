package agwtest_test

import (
	"testing"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// TestAgentConference: an idle agent applies and chairs; an invited agent
// answers and joins; the chair hands the chair over; the old chair leaves;
// the new one ends the conference.
func TestAgentConference(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	d.signIn(agentC, generated.SignInRequest{})
	asA, asB, asC := d.as(agentA), d.as(agentB), d.as(agentC)

	// No conference yet.
	expect(t, "101-001")(d.api.ReleaseAgentConfWithResponse(ctx, agentA, asA))
	expect(t, "101-001")(d.api.RequestLeaveAgentConfWithResponse(ctx, agentA, asA))
	expect(t, "101-001")(d.api.AnswerAgentConfWithResponse(ctx, agentB, asB))
	expect(t, "101-001")(d.api.RejectAgentConfWithResponse(ctx, agentB, asB))
	expect(t, "101-001")(d.api.ProlongAgentConfWithResponse(ctx, agentA, &generated.ProlongAgentConfParams{ProlongTime: 10}, asA))
	if err := d.srv.InviteToAgentConf(agentA, agentB); err == nil {
		t.Fatal("an invitation to no conference succeeded")
	}

	expect(t, "0")(d.api.RequestAgentConfWithResponse(ctx, agentA, generated.RequestAgentConfRequest{MemberNum: 3}, asA))
	evs := d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
		"AgentConf_SelfJoinResult", "AgentConf_RequestSuccess")
	confID := content[generated.ConfIdContent](t, evs[4]).ConfId
	if confID == nil || *confID <= 0 || string(evs[3].Content) != "null" {
		t.Fatalf("conference events: %+v", evs)
	}
	if d.state(agentA) != agwtest.StateBusy {
		t.Fatalf("chair: %v", d.state(agentA))
	}
	expect(t, "101-003")(d.api.RequestAgentConfWithResponse(ctx, agentA, generated.RequestAgentConfRequest{MemberNum: 3}, asA))
	expect(t, "101-007")(d.api.RequestLeaveAgentConfWithResponse(ctx, agentA, asA))
	expect(t, "101-005")(d.api.ApplyToShiftPresidentWithResponse(ctx, agentA, &generated.ApplyToShiftPresidentParams{DestWorkNo: agentA}, asA))
	expect(t, "100-007")(d.api.ApplyToShiftPresidentWithResponse(ctx, agentA, &generated.ApplyToShiftPresidentParams{DestWorkNo: agentB}, asA))
	expect(t, "100-007")(d.api.StopVoiceToConfWithResponse(ctx, agentA, asA))
	expect(t, "0")(d.api.PlayVoiceToConfWithResponse(ctx, agentA, generated.PlayVoiceToConfRequest{PlayType: 1, PlayMode: 2, VoicePath: "y:/conf/bg.V3"}, asA))
	expect(t, "0")(d.api.StopVoiceToConfWithResponse(ctx, agentA, asA))

	// B answers its invitation, C rejects its own.
	if err := d.srv.InviteToAgentConf(agentA, agentB); err != nil {
		t.Fatal(err)
	}
	if err := d.srv.InviteToAgentConf(agentA, agentC); err != nil {
		t.Fatal(err)
	}
	if err := d.srv.InviteToAgentConf(agentA, 20004); err == nil {
		t.Fatal("an invitation of an agent signed out succeeded")
	}
	expect(t, "0")(d.api.AnswerAgentConfWithResponse(ctx, agentB, asB))
	wantEvents(t, d.events(agentB), "AgentConf_SelfJoinResult")
	expect(t, "0")(d.api.RejectAgentConfWithResponse(ctx, agentC, asC))
	wantEvents(t, d.events(agentC), "AgentOther_PhoneRelease", "AgentState_Ready")
	expect(t, "101-002")(d.api.ReleaseAgentConfWithResponse(ctx, agentB, asB))

	// The chair passes to B; A, now a member, leaves.
	expect(t, "0")(d.api.ApplyToShiftPresidentWithResponse(ctx, agentA, &generated.ApplyToShiftPresidentParams{DestWorkNo: agentB}, asA))
	for _, id := range []int{agentA, agentB} {
		evs := d.eventsOf(id)
		wantEvents(t, types(evs), "AgentConf_PresidentChanged")
		if got := content[generated.ConfIdContent](t, evs[0]).ConfId; *got != *confID {
			t.Fatalf("agent %d: AgentConf_PresidentChanged names conference %d, want %d", id, *got, *confID)
		}
	}
	expect(t, "101-002")(d.api.ProlongAgentConfWithResponse(ctx, agentA, &generated.ProlongAgentConfParams{ProlongTime: 10}, asA))
	expect(t, "0")(d.api.RequestLeaveAgentConfWithResponse(ctx, agentA, asA))
	wantEvents(t, d.events(agentA), "AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult")
	if d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("member after leaving: %v", d.state(agentA))
	}

	// B ends it.
	expect(t, "0")(d.api.ReleaseAgentConfWithResponse(ctx, agentB, asB))
	wantEvents(t, d.events(agentB), "AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready")
	expect(t, "101-001")(d.api.ReleaseAgentConfWithResponse(ctx, agentB, asB))
}

// TestAgentConferenceClock: AgentConf_Timeout warns the chair promptTime
// before the end, ProlongAgentConf moves the end, and at the end the
// conference is released for every member.
func TestAgentConferenceClock(t *testing.T) {
	t.Parallel()
	d := newDesk(t, agwtest.WithIdleSignOut(0))
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	asA := d.as(agentA)

	expect(t, "0")(d.api.RequestAgentConfWithResponse(ctx, agentA, generated.RequestAgentConfRequest{MemberNum: 2, Time: ptr(10), PromptTime: ptr(3)}, asA))
	if err := d.srv.InviteToAgentConf(agentA, agentB); err != nil {
		t.Fatal(err)
	}
	if err := d.srv.InviteToAgentConf(agentA, agentC); err == nil {
		t.Fatal("an invitation beyond memberNum succeeded")
	}
	expect(t, "0")(d.api.AnswerAgentConfWithResponse(ctx, agentB, d.as(agentB)))
	d.events(agentA)
	d.events(agentB)

	d.clock.Advance(6*time.Minute + 59*time.Second)
	wantEvents(t, d.events(agentA))
	d.clock.Advance(time.Second)
	evs := d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentConf_Timeout")
	expect(t, "0")(d.api.ProlongAgentConfWithResponse(ctx, agentA, &generated.ProlongAgentConfParams{ProlongTime: 5}, asA))
	d.clock.Advance(4*time.Minute + 59*time.Second) // the end is now at 15 minutes, the warning at 12
	wantEvents(t, d.events(agentA))
	d.clock.Advance(time.Second)
	wantEvents(t, d.events(agentA), "AgentConf_Timeout")
	d.clock.Advance(3 * time.Minute)
	wantEvents(t, d.events(agentA), "AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult", "AgentState_Ready")
	wantEvents(t, d.events(agentB), "AgentOther_PhoneRelease", "AgentConf_SelfLeaveResult")
	if d.state(agentA) != agwtest.StateIdle || d.state(agentB) != agwtest.StateIdle {
		t.Fatalf("after the end: chair %v, member %v", d.state(agentA), d.state(agentB))
	}
}

// TestAgentConferenceRefused: a request the platform accepts and then
// fails (AgentConf_RequestFailed): a held call, a playback, more parties
// than the VDN allows; an agent in a call is refused at once.
func TestAgentConferenceRefused(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	as := d.as(agentA)
	failed := func() {
		t.Helper()
		evs := d.eventsOf(agentA)
		wantEvents(t, types(evs), "AgentConf_RequestFailed")
		if c := content[generated.ConfRequestFailedContent](t, evs[0]); c.Cause == nil {
			t.Fatalf("AgentConf_RequestFailed: %s", evs[0].Content)
		}
	}

	expect(t, "0")(d.api.RequestAgentConfWithResponse(ctx, agentA, generated.RequestAgentConfRequest{MemberNum: 101}, as))
	failed()

	d.ringAndAnswer(agentA)
	d.events(agentA)
	expect(t, "100-007")(d.api.RequestAgentConfWithResponse(ctx, agentA, generated.RequestAgentConfRequest{MemberNum: 3}, as))
	expect(t, "0")(d.api.HoldWithResponse(ctx, agentA, as))
	d.events(agentA)
	expect(t, "0")(d.api.RequestAgentConfWithResponse(ctx, agentA, generated.RequestAgentConfRequest{MemberNum: 3}, as))
	failed()
	expect(t, "0")(d.api.GetHoldWithResponse(ctx, agentA, nil, as))
	expect(t, "0")(d.api.ReleaseWithResponse(ctx, agentA, as))

	expect(t, "0")(d.api.PlayWithResponse(ctx, agentA, generated.PlayRequest{Voicepath: "y:/voice/welcome.V3"}, as))
	d.events(agentA)
	expect(t, "0")(d.api.RequestAgentConfWithResponse(ctx, agentA, generated.RequestAgentConfRequest{MemberNum: 3}, as))
	failed()
}
