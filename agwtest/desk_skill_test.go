package agwtest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// TestSkillQueues: an agent joins its skill queue with ResetSkill; a call
// rung into the queue waits while no joined agent is idle (counted by the
// queue operations) and is offered to the first that becomes idle.
func TestSkillQueues(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	if err := d.srv.AddSkill(agwtest.Skill{ID: 2, Name: "sales"}); err != nil {
		t.Fatal(err)
	}
	d.signIn(agentA, generated.SignInRequest{})
	d.signIn(agentB, generated.SignInRequest{})
	asA, asB := d.as(agentA), d.as(agentB)

	skills, err := d.api.GetAgentSkillsWithResponse(ctx, agentA, asA)
	want(t, skills, err, "0")
	if list := *skills.JSON200.Result; len(list) != 1 || *list[0].Id != 1 || *list[0].Name != "demo" || *list[0].Mediatype != 5 {
		t.Fatalf("agentskills: %s", skills.Body)
	}
	other, err := d.api.GetAgentSkillsByWorkNoWithResponse(ctx, agentA, agentB, asA)
	want(t, other, err, "0")
	if len(*other.JSON200.Result) != 1 {
		t.Fatalf("agentskillsbyworkno: %s", other.Body)
	}
	expect(t, "100-007")(d.api.GetAgentSkillsByWorkNoWithResponse(ctx, agentA, 30000, asA))
	vdn, err := d.api.GetAgentVdnSkillWithResponse(ctx, agentA, asA)
	want(t, vdn, err, "0")
	if list := *vdn.JSON200.Result; len(list) != 2 || *list[1].Name != "sales" || *list[1].RealFlag != 1 {
		t.Fatalf("agentvdnskill: %s", vdn.Body)
	}

	// Nobody joined skill 1 yet: the call waits.
	callID, err := d.srv.RingSkill(1, "13900000000")
	if err != nil {
		t.Fatal(err)
	}
	waitNum := func(call func() (int, error), n int) {
		t.Helper()
		got, err := call()
		if err != nil || got != n {
			t.Fatalf("wait count %d (%v), want %d", got, err, n)
		}
	}
	all := func() (int, error) {
		res, err := d.api.GetWaitNumWithResponse(ctx, agentA, asA)
		want(t, res, err, "0")
		return *res.JSON200.Result, nil
	}
	mine := func() (int, error) {
		res, err := d.api.GetWaitNumByAgentWithResponse(ctx, agentA, asA)
		want(t, res, err, "0")
		return *res.JSON200.Result, nil
	}
	one := func() (int, error) {
		res, err := d.api.GetSkillWaitNumWithResponse(ctx, agentA, 1, asA)
		want(t, res, err, "0")
		return *res.JSON200.Result, nil
	}
	waitNum(all, 1)
	waitNum(mine, 0) // agent A has not joined skill 1
	waitNum(one, 1)
	info, err := d.api.GetWaitCallInfoWithResponse(ctx, agentA, 1, asA)
	env := want(t, info, err, "0")
	var waiting []struct{ Callid, Caller string }
	if json.Unmarshal(env.Result, &waiting) != nil || len(waiting) != 1 || waiting[0].Callid != callID {
		t.Fatalf("waitcallinfo: %s", env.Result)
	}
	expect(t, "100-007")(d.api.GetWaitCallInfoWithResponse(ctx, agentA, 99, asA))

	// B joins all its skills but is busy; A joins skill 1 and is offered the call.
	expect(t, "0")(d.api.SayBusyWithResponse(ctx, agentB, nil, asB))
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentB, true, nil, asB))
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentA, false, &generated.ResetSkillParams{Skillid: ptr("1;2;7")}, asA))
	if st := d.state(agentA); st != agwtest.StateRinging {
		t.Fatalf("agent A is %v after joining the queue", st)
	}
	waitNum(all, 0)
	bySkill, err := d.api.GetAgentBySkillWithResponse(ctx, agentA, 1, asA)
	env = want(t, bySkill, err, "0")
	var joined []generated.AgentStateInfo
	if json.Unmarshal(env.Result, &joined) != nil || len(joined) != 2 || *joined[0].Workno != "20001" || *joined[0].Status != 7 {
		t.Fatalf("agentbyskill: %s", env.Result)
	}
	evs := d.eventsOf(agentA)
	if len(evs) != 1 || evs[0].EventType != "AgentEvent_Ringing" {
		t.Fatalf("offered call events: %+v", evs)
	}
	answer, err := d.api.AnswerWithResponse(ctx, agentA, nil, asA)
	want(t, answer, err, "0")
	callInfo, err := d.api.GetCallInfoWithResponse(ctx, agentA, nil, asA)
	want(t, callInfo, err, "0")
	if c := callInfo.JSON200.Result; *c.Callid != callID || *c.Callskill != "demo" || *c.Callskillid != 1 {
		t.Fatalf("callinfo of the queued call: %s", callInfo.Body)
	}

	// The next call waits until B stops being busy, then rings at B on B's
	// next request (here its poll).
	second, err := d.srv.RingSkill(1, "13900000001")
	if err != nil {
		t.Fatal(err)
	}
	waitNum(one, 1)
	expect(t, "0")(d.api.CancelBusyWithResponse(ctx, agentB, asB))
	types := d.events(agentB)
	wantEvents(t, types, "AgentState_SetNotReady_Success", "AgentState_CancelNotReady_Success", "AgentEvent_Ringing")
	if c, ok := d.srv.Call(second); !ok || c.Agent != agentB || c.Skill != 1 {
		t.Fatalf("second call: %+v", c)
	}
}

// TestTalkRightAndQueuedHangup: an agent without the talk right is not
// offered queued calls; a caller who hangs up leaves the queue.
func TestTalkRightAndQueuedHangup(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{})
	as := d.as(agentA)
	expect(t, "0")(d.api.ResetSkillWithResponse(ctx, agentA, true, nil, as))
	expect(t, "0")(d.api.SetTalkRightWithResponse(ctx, agentA, &generated.SetTalkRightParams{Flag: generated.SetTalkRightParamsFlagN0}, as))
	callID, err := d.srv.RingSkill(1, "13900000000")
	if err != nil {
		t.Fatal(err)
	}
	if d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("agent without talk right is %v", d.state(agentA))
	}
	if err := d.srv.Hangup(callID); err != nil {
		t.Fatal(err)
	}
	expect(t, "0")(d.api.SetTalkRightWithResponse(ctx, agentA, &generated.SetTalkRightParams{Flag: generated.SetTalkRightParamsFlagN1}, as))
	res, err := d.api.GetSkillWaitNumWithResponse(ctx, agentA, 1, as)
	want(t, res, err, "0")
	if *res.JSON200.Result != 0 || d.state(agentA) != agwtest.StateIdle {
		t.Fatalf("after the caller hung up: %d waiting, agent %v", *res.JSON200.Result, d.state(agentA))
	}
	if _, err := d.srv.RingSkill(99, "1"); err == nil {
		t.Error("RingSkill accepted an unknown skill")
	}
	if err := d.srv.AddSkill(agwtest.Skill{ID: 1}); err == nil {
		t.Error("AddSkill accepted a duplicate")
	}
	if err := d.srv.AddAgent(agwtest.Agent{ID: 20050, Password: "p", Phone: "1", Group: agwtest.DemoGroup, Skills: []int{42}}); err == nil {
		t.Error("AddAgent accepted an unknown skill")
	}
}

// TestControlRingSkill drives RingSkill through ControlHandler.
func TestControlRingSkill(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	d.signIn(agentA, generated.SignInRequest{})
	expect(t, "0")(d.api.ResetSkillWithResponse(t.Context(), agentA, true, nil, d.as(agentA)))
	hooks := httptest.NewServer(d.srv.ControlHandler())
	t.Cleanup(hooks.Close)
	var rung struct{ Callid string }
	control(t, http.MethodPost, hooks.URL+"/agwtest/ring?skill=1&caller=13700000000", http.StatusOK, &rung)
	if c, ok := d.srv.Call(rung.Callid); !ok || c.Agent != agentA || c.Caller != "13700000000" {
		t.Fatalf("rung %q: %+v", rung.Callid, c)
	}
	var failed struct{ Error string }
	control(t, http.MethodPost, hooks.URL+"/agwtest/ring?skill=x", http.StatusBadRequest, &failed)
	control(t, http.MethodPost, hooks.URL+"/agwtest/ring?skill=9", http.StatusConflict, &failed)
	if failed.Error == "" {
		t.Error("a failed hook gave no error")
	}
}
