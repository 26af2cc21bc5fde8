package wrapper_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestFakePickUpHappyPath(t *testing.T) {
	f := newFake(t)
	_, ringingEvents := f.signIn(20001)
	picker, pickerEvents := f.signIn(20002)
	callID := f.ring(20001, false)
	require.Equal(t, []string{"AgentEvent_Ringing"}, nextTypes(t, ringingEvents, 1))

	call, err := picker.PickUp(testContext(t), 20001)
	require.NoError(t, err)
	assert.Equal(t, callID, call.CallID)
	assert.Equal(t, "13800000000", call.Caller)
	assert.Equal(t, []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Talking",
		"AgentEvent_Incoming_CallInfo", "AgentMediaEvent_Record"}, nextTypes(t, pickerEvents, 5))
	assert.Equal(t, []string{"AgentOther_PhoneRelease"}, nextTypes(t, ringingEvents, 1), "the ringing agent stops ringing")
	assert.Equal(t, agwtest.StateTalking, f.srv.AgentState(20002))
	assert.Equal(t, agwtest.StateIdle, f.srv.AgentState(20001))
	got, ok := f.srv.Call(callID)
	require.True(t, ok)
	assert.Equal(t, 20002, got.Agent, "the call moved to the picker")
	assert.Equal(t, 1, f.srv.Requests("SnatchPickup"))

	require.NoError(t, picker.Release(testContext(t)))
	assert.Equal(t, agwtest.StateIdle, f.srv.AgentState(20002))
}

func TestFakeManualAnswer(t *testing.T) {
	f := newFake(t)
	f.signIn(20001)
	picker, pickerEvents := f.signIn(20002, func(o *wrapper.SignInOptions) { o.ManualAnswer = true })
	f.ring(20001, false)
	require.NoError(t, picker.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: 20001}))
	require.Equal(t, []string{"AgentOther_PhoneAlerting"}, nextTypes(t, pickerEvents, 1))
	require.NoError(t, picker.Answer(testContext(t), nil))
	require.Equal(t, []string{"AgentOther_PhoneOffhook", "AgentEvent_Talking"}, nextTypes(t, pickerEvents, 2))
	require.ErrorIs(t, picker.Answer(testContext(t), nil), wrapper.ErrCallState, "nothing left to answer: 200-002")
}

// TestFakePickUpPrerequisites: every prerequisite of the vendor page, broken
// one at a time, is refused by the gateway with the documented code.
func TestFakePickUpPrerequisites(t *testing.T) {
	tests := []struct {
		name   string
		picker int
		setup  func(f *fakeEnv) (dest int)
		want   error
	}{
		{"target not ringing", 20002, func(f *fakeEnv) int { f.signIn(20001); return 20001 }, wrapper.ErrAgentOperation},
		{"target not signed in", 20002, func(f *fakeEnv) int { return 20001 }, wrapper.ErrAgentOperation},
		{"internal call", 20002, func(f *fakeEnv) int { f.signIn(20001); f.ring(20001, true); return 20001 }, wrapper.ErrAgentOperation},
		{"different group", 30001, func(f *fakeEnv) int { f.signIn(20001); f.ring(20001, false); return 20001 }, wrapper.ErrAgentOperation},
		{"no pickup permission", 20009, func(f *fakeEnv) int { f.signIn(20001); f.ring(20001, false); return 20001 }, wrapper.ErrAgentOperation},
		{"picker not idle", 20002, func(f *fakeEnv) int {
			f.signIn(20001)
			f.ring(20001, false)
			require.NoError(f.t, f.srv.SetState(20002, agwtest.StateBusy))
			return 20001
		}, wrapper.ErrAgentOperation},
		{"picking up from oneself", 20002, func(f *fakeEnv) int { return 20002 }, wrapper.ErrAgentOperation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			picker, _ := f.signIn(tt.picker)
			dest := tt.setup(f)
			_, err := picker.PickUp(testContext(t), dest)
			require.ErrorIs(t, err, tt.want)
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "100-007", apiErr.RetCode)
			assert.NotEmpty(t, apiErr.Message, "the fake says which prerequisite failed")
			assert.Equal(t, 1, f.srv.Requests("SnatchPickup"))
		})
	}
}

// TestFakeConcurrentSnatch: two pickers race for each of many calls;
// exactly one wins every time.
func TestFakeConcurrentSnatch(t *testing.T) {
	f := newFake(t)
	f.signIn(20001)
	pickers := []*wrapper.Session{}
	for _, id := range []int{20002, 20003, 20004} {
		s, _ := f.signIn(id)
		pickers = append(pickers, s)
	}
	ctx := testContext(t)
	const rounds = 25
	for round := 0; round < rounds; round++ {
		callID := f.ring(20001, false)
		errs := make([]error, len(pickers))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, p := range pickers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = p.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001})
			}()
		}
		close(start)
		wg.Wait()
		winners := 0
		for i, err := range errs {
			if err == nil {
				winners++
				got, _ := f.srv.Call(callID)
				require.Equal(t, pickers[i].AgentID(), got.Agent)
				require.NoError(t, pickers[i].Release(ctx))
				continue
			}
			require.True(t, errors.Is(err, wrapper.ErrAgentOperation), "loser gets 100-007, got %v", err)
		}
		require.Equal(t, 1, winners, "round %d", round)
	}
	require.Equal(t, rounds*len(pickers), f.srv.Requests("SnatchPickup"), "every PUT reached the gateway once")
}
