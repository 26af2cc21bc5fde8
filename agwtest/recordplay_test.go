package agwtest_test

import (
	"testing"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// TestPlay: an announcement calls the agent's phone, plays until StopPlay
// and keeps the agent busy; it pauses (the PausePlay hook), resumes and
// rewinds with the documented events; a missing file fails.
func TestPlay(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	as := d.as(agentA)

	// Nothing plays yet.
	expect(t, "100-007")(d.api.StopPlayWithResponse(ctx, agentA, as))
	expect(t, "100-007")(d.api.ResumePlayWithResponse(ctx, agentA, as))
	expect(t, "100-007")(d.api.BackFastPlayWithResponse(ctx, agentA, 5, as))
	expect(t, "100-007")(d.api.PlayRelocationWithResponse(ctx, agentA, generated.PlayRelocationRequest{Seekposition: 0, Seekseconds: 3}, as))
	if err := d.srv.PausePlay(agentA); err == nil {
		t.Fatal("PausePlay with nothing playing succeeded")
	}

	expect(t, "0")(d.api.PlayWithResponse(ctx, agentA, generated.PlayRequest{Voicepath: "y:/voice/welcome.V3"}, as))
	wantEvents(t, d.events(agentA), "AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
		"AgentMediaEvent_Play_Succ", "AgentMediaEvent_Play")
	if d.state(agentA) != agwtest.StateBusy {
		t.Fatalf("agent while playing: %v", d.state(agentA))
	}
	expect(t, "100-007")(d.api.PlayWithResponse(ctx, agentA, generated.PlayRequest{Voicepath: "y:/voice/welcome.V3"}, as))
	expect(t, "100-009")(d.api.CancelBusyWithResponse(ctx, agentA, as))
	expect(t, "100-007")(d.api.ResumePlayWithResponse(ctx, agentA, as)) // not paused
	if err := d.srv.PausePlay(agentA); err != nil {
		t.Fatal(err)
	}
	expect(t, "0")(d.api.ResumePlayWithResponse(ctx, agentA, as))
	expect(t, "0")(d.api.BackFastPlayWithResponse(ctx, agentA, 5, as))
	expect(t, "0")(d.api.PlayRelocationWithResponse(ctx, agentA, generated.PlayRelocationRequest{Seekposition: 2, Seekseconds: 0}, as))
	wantEvents(t, d.events(agentA), "AgentMediaEvent_PausePlayDone", "AgentMediaEvent_ResumePlayDone", "AgentMediaEvent_JumpPlayDone")
	expect(t, "0")(d.api.StopPlayWithResponse(ctx, agentA, as))
	wantEvents(t, d.events(agentA), "AgentMediaEvent_StopPlayDone", "AgentOther_PhoneRelease", "AgentState_Ready")
	if d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("agent after StopPlay: %v", d.state(agentA))
	}

	// A file the media server lacks fails once the phone is connected.
	d.srv.MissingFile("y:/voice/gone.V3")
	expect(t, "0")(d.api.PlayWithResponse(ctx, agentA, generated.PlayRequest{Voicepath: "y:/voice/gone.V3"}, as))
	wantEvents(t, d.events(agentA), "AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
		"AgentOther_PhoneRelease", "AgentState_Ready", "AgentMediaEvent_Play_Fail", "AgentMediaEvent_StopPlayDone")
	if d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("agent after a failed play: %v", d.state(agentA))
	}

	// Not in a call, not resting; no network call centre.
	ring(t, d.srv, agentA)
	expect(t, "100-007")(d.api.PlayWithResponse(ctx, agentA, generated.PlayRequest{Voicepath: "y:/voice/welcome.V3"}, as))
	expect(t, "100-007")(d.api.NetPlayWithResponse(ctx, agentA, generated.NetPlayRequest{FileName: "y:/voice/welcome.V3", CcId: 1}, as))
}

// TestRecord: recording needs a connected call; it ends with the call
// (AgentMediaEvent_StopRecordDone), not with a hold.
func TestRecord(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(inspector, generated.SignInRequest{})
	as := d.as(agentA)

	expect(t, "100-007")(d.api.RecordWithResponse(ctx, agentA, generated.RecordRequest{}, as))
	callID := d.ringAndAnswer(agentA)
	d.events(agentA)
	expect(t, "0")(d.api.RecordWithResponse(ctx, agentA, generated.RecordRequest{FileName: ptr("y:/rec/a.V3")}, as))
	expect(t, "100-007")(d.api.RecordWithResponse(ctx, agentA, generated.RecordRequest{}, as))
	evs := d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentMediaEvent_Record")
	rec := content[generated.RecordContent](t, evs[0])
	if string(*rec.CallId) != callID || *rec.FileName != "y:/rec/a.V3" || rec.TaskId == nil || string(*rec.FileMediaType) != "1" {
		t.Fatalf("AgentMediaEvent_Record: %s", evs[0].Content)
	}

	// A hold keeps the recording; the end of the call stops it.
	expect(t, "0")(d.api.HoldWithResponse(ctx, agentA, as))
	expect(t, "0")(d.api.GetHoldWithResponse(ctx, agentA, &generated.GetHoldParams{Callid: &callID}, as))
	wantEvents(t, d.events(agentA), "AgentEvent_Hold", "AgentEvent_Talking")
	d.clock.Advance(30 * time.Second)
	expect(t, "0")(d.api.ReleaseWithResponse(ctx, agentA, as))
	evs = d.eventsOf(agentA)
	wantEvents(t, types(evs), "AgentEvent_Call_Release", "AgentOther_PhoneRelease", "AgentMediaEvent_StopRecordDone")
	done := content[generated.StopRecordDoneContent](t, evs[2])
	if int64(*done.TaskId) != int64(*rec.TaskId) || *done.EndTime-*done.BeginTime != 30000 {
		t.Fatalf("AgentMediaEvent_StopRecordDone: %s", evs[2].Content)
	}

	// An inspector on a colleague's call cannot record.
	d.ringAndAnswer(agentA)
	expect(t, "0")(d.api.AddSuperviseWithResponse(ctx, inspector, agentA, d.as(inspector)))
	expect(t, "100-007")(d.api.RecordWithResponse(ctx, inspector, generated.RecordRequest{}, d.as(inspector)))
}
