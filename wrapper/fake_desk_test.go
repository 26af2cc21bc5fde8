package wrapper_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// CheckPickUp names each unmet prerequisite of the seed page, in order,
// and sends no snatch; PickUp with CheckFirst stops there too.
func TestCheckPickUpNamesEachPrerequisite(t *testing.T) {
	f := newFake(t)
	f.signIn(20001)
	picker, _ := f.signIn(20002)
	ctx := testContext(t)

	check := func(s *wrapper.Session) string {
		t.Helper()
		err := s.CheckPickUp(ctx, 20001)
		if err == nil {
			return ""
		}
		require.ErrorIs(t, err, wrapper.ErrAgentOperation)
		pe, ok := err.(*wrapper.PickUpCheckError)
		require.True(t, ok, "%T %v", err, err)
		return pe.Prerequisite
	}
	assert.Equal(t, "destWorkNo has a call", check(picker), "nothing rings yet")

	callID := f.ring(20001, false)
	assert.Empty(t, check(picker), "every prerequisite holds")

	require.NoError(t, picker.SayBusy(ctx, nil))
	assert.Equal(t, "the picker is idle", check(picker))
	require.NoError(t, picker.CancelBusy(ctx))

	noRight, _ := f.signIn(20009) // in the group, without the pickup permission
	assert.Equal(t, "the picker may pick up group calls", check(noRight))
	otherGroup, _ := f.signIn(30001)
	assert.Equal(t, "both agents are in one group", check(otherGroup))

	_, err := noRight.PickUp(ctx, 20001, wrapper.CheckFirst())
	require.ErrorIs(t, err, wrapper.ErrAgentOperation)
	assert.Zero(t, f.srv.Requests("SnatchPickup"), "a failed check sends no snatch")

	call, err := picker.PickUp(ctx, 20001, wrapper.CheckFirst())
	require.NoError(t, err)
	assert.Equal(t, callID, call.CallID)
	assert.Equal(t, 1, f.srv.Requests("SnatchPickup"))
}

// SignInOptions reach the gateway: the state after sign-in, the skill
// queues joined right after it, and wrap-up after a call.
func TestSignInOptionsForTheDesk(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, events := f.signIn(20002, func(o *wrapper.SignInOptions) {
		o.Status, o.Skills, o.WrapUpAfterCall = 3, []int{1}, true
	})
	status, err := s.GetAgentStatus(ctx)
	require.NoError(t, err)
	require.NotNil(t, status.AgentState)
	assert.Equal(t, generated.AgentStateCodeBusy, *status.AgentState, "signed in busy")
	assert.Equal(t, 1, f.srv.Requests("ResetSkill"), "skills joined right after sign-in")
	skills, err := s.GetAgentSkills(ctx)
	require.NoError(t, err)
	require.Len(t, skills, 1)
	assert.Equal(t, 1, *skills[0].Id)

	require.NoError(t, s.CancelBusy(ctx))
	f.ring(20002, false)
	waitEvent(t, events, "AgentEvent_Ringing")
	require.NoError(t, s.Answer(ctx, nil))
	waitEvent(t, events, "AgentEvent_Talking")
	require.NoError(t, s.Release(ctx))
	status, err = s.GetAgentStatus(ctx)
	require.NoError(t, err)
	assert.Equal(t, generated.AgentStateCodeWrapUp, *status.AgentState, "wrap-up after the call, not idle")

	skills, err = s.GetAgentSkills(ctx)
	require.NoError(t, err)
	assert.Len(t, skills, 1, "still in its queue")
}

// A sign-in whose skill queues cannot be joined is a *SignInError with the
// signed-in session, to sign out or retry the skills.
func TestSignInSkillsRefused(t *testing.T) {
	g := newGateway(t)
	g.signInRoute("20001")
	g.reply("POST /onlineagent/20001/resetskill/false", `{"message":"no such skill","retcode":"100-007","result":""}`)
	_, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass, Skills: []int{7, 8}})
	var sie *wrapper.SignInError
	require.ErrorAs(t, err, &sie)
	require.ErrorIs(t, err, wrapper.ErrAgentOperation)
	require.NotNil(t, sie.Session)
	assert.Equal(t, agentA, sie.Session.AgentID())
	assert.Equal(t, "skillid=7%3B8", g.last().URL.RawQuery)
}

// waitEvent reads events until one of type typ arrives.
func waitEvent(t *testing.T, events <-chan wrapper.Event, typ string) {
	t.Helper()
	ctx := testContext(t)
	for {
		select {
		case ev := <-events:
			if ev.EventType == typ {
				return
			}
		case <-ctx.Done():
			require.FailNow(t, "no "+typ)
		}
	}
}

// The vendor documents GetAllCallInfoEx's result as reserved: an answer
// that is not a list cannot tell, so it does not fail the check; an empty
// list does.
func TestCheckPickUpOnReservedCallInfo(t *testing.T) {
	for _, tc := range []struct {
		result string
		want   string // the failing prerequisite, "" for none
	}{
		{`{}`, ""}, {`""`, ""}, {`null`, ""}, {`["1-1"]`, ""}, {`[]`, "destWorkNo has a call"},
	} {
		g := newGateway(t)
		s := g.session()
		g.reply("GET /onlineagent/20001/agentstatus", `{"retcode":"0","result":{"agentState":4,"isWorking":false}}`)
		g.reply("GET /agentgroup/20001/ispickup", `{"retcode":"0","result":"true"}`)
		g.reply("GET /agentgroup/20001/groupbyagent/20001", `{"retcode":"0","result":{"id":1,"name":"g"}}`)
		g.reply("GET /agentgroup/20001/groupbyagent/20002", `{"retcode":"0","result":{"id":1,"name":"g"}}`)
		g.reply("GET /calldata/20001/allcallinfoEx/20002", `{"retcode":"0","result":`+tc.result+`}`)
		err := s.CheckPickUp(testContext(t), 20002)
		if tc.want == "" {
			assert.NoError(t, err, tc.result)
			continue
		}
		var pe *wrapper.PickUpCheckError
		require.ErrorAs(t, err, &pe, tc.result)
		assert.Equal(t, tc.want, pe.Prerequisite)
	}
}
