package agwtest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func TestAnswerAndRelease(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "200-002")
	wantRetcode(t, do(t, srv, http.MethodDelete, "/voicecall/20001/release", guid, nil), "200-017")

	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer?callid=9-9", guid, nil), "200-002")
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer?callid="+callID, guid, nil), "0")
	require.Equal(t, agwtest.StateTalking, srv.AgentState(agentA), "answered agent")
	types, evs := drain(t, srv, agentA, guid)
	require.Equal(t, []string{"AgentEvent_Ringing", "AgentEvent_Talking"}, types, "events")
	assert.Equal(t, callID, content[struct{ Callid string }](t, evs[1]).Callid, "Talking content %s", evs[1].Content)

	wantRetcode(t, do(t, srv, http.MethodDelete, "/voicecall/20001/release", guid, nil), "0")
	types, evs = drain(t, srv, agentA, guid)
	require.Equal(t, []string{"AgentEvent_Call_Release", "AgentOther_PhoneRelease"}, types, "release events")
	assert.Equal(t, `"`+callID+`"`, string(evs[0].Content), "Call_Release content")
	assert.Equal(t, `{"phoneState":2}`, string(evs[1].Content), "PhoneRelease content")
	_, ok := srv.Call(callID)
	assert.False(t, ok, "the call was kept after release")
	assert.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "agent after release")
}

func TestRemoteHangup(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	c, ok := srv.Call(callID)
	require.True(t, ok, "Call(%q) not found", callID)
	require.Equal(t, agwtest.Call{ID: callID, Caller: "13800000000", Called: demoPhone(agentA), Agent: agentA}, c)
	require.NoError(t, srv.Hangup(callID))
	assert.Error(t, srv.Hangup(callID), "second Hangup of the same call worked")
	types, evs := drain(t, srv, agentA, guid)
	require.Equal(t, []string{"AgentEvent_Ringing", "AgentOther_PhoneRelease"}, types, "events")
	require.Equal(t, `{"phoneState":3}`, string(evs[1].Content), "PhoneRelease content")
	assert.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "agent after hangup")
}

func TestHold(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/hold", guid, nil), "200-013")
	wantRetcode(t, do(t, srv, http.MethodGet, "/calldata/20001/holdlist", guid, nil), "400-003")

	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/hold", guid, nil), "200-014") // still ringing
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/hold", guid, nil), "0")
	assert.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "agent holding a call")
	r := do(t, srv, http.MethodGet, "/calldata/20001/holdlist", guid, nil)
	wantRetcode(t, r, "0")
	assert.Equal(t, `[{"callid":"`+callID+`"}]`, string(r.env.Result), "holdlist")

	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/gethold?callid=9-9", guid, nil), "200-015")
	other, err := srv.Ring(agentA, "13900000000")
	require.NoError(t, err)
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/gethold?callid="+callID, guid, nil), "200-016")
	require.NoError(t, srv.Hangup(other))
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/gethold?callid="+callID, guid, nil), "0")
	assert.Equal(t, agwtest.StateTalking, srv.AgentState(agentA), "agent after taking the call back")
	types, _ := drain(t, srv, agentA, guid)
	want := []string{
		"AgentEvent_Ringing", "AgentEvent_Talking", "AgentEvent_Hold",
		"AgentEvent_Ringing", "AgentOther_PhoneRelease", "AgentEvent_Talking",
	}
	assert.Equal(t, want, types, "events")
	wantRetcode(t, do(t, srv, http.MethodGet, "/calldata/20001/holdlist", guid, nil), "400-003")
}

func TestHeldCallHangup(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/hold", guid, nil), "0")
	require.NoError(t, srv.Hangup(callID))
	wantRetcode(t, do(t, srv, http.MethodGet, "/calldata/20001/holdlist", guid, nil), "400-003")
}

// The operations the fake does not simulate still check the Guid first.
func TestUnsimulatedOperationsCheckGuid(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	other := signIn(t, srv, agentB)
	for _, tc := range []struct {
		guid, code string
	}{{"", "100-006"}, {other, "000-003"}, {guid, "0"}} {
		r := do(t, srv, http.MethodPost, "/voicecall/20001/seconddialex?number=12", tc.guid, nil)
		wantRetcode(t, r, tc.code)
		r = do(t, srv, http.MethodPost, "/voicecall/20001/canceltransfer", tc.guid, nil)
		wantRetcode(t, r, tc.code)
		if tc.code == "0" {
			assert.Equal(t, "success", r.env.Message, "canceltransfer answered %s", r.body)
			assert.Equal(t, "{}", string(r.env.Result), "canceltransfer answered %s", r.body)
		}
	}
}

func TestMuteAndUnmute(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	mute := func(path, want string) {
		t.Helper()
		wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/"+path, guid, nil), want)
	}
	mute("beginmute", "200-003") // no call
	mute("endmute", "200-007")
	ring(t, srv, agentA)
	mute("beginmute", "200-004") // ringing, not connected
	mute("endmute", "200-008")
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "0")
	mute("endmute", "200-008") // not muted
	mute("beginmute", "0")
	mute("beginmute", "200-004") // already muted
	mute("endmute", "0")
	mute("endmute", "200-008")
}

func TestTransferToAgent(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guidA := signIn(t, srv, agentA)
	guidB := signIn(t, srv, agentB)
	transfer := func(devicetype int, address, want string) {
		t.Helper()
		body := map[string]any{"devicetype": devicetype, "address": address, "mode": 0}
		wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/transfer", guidA, body), want)
	}
	transfer(2, "20002", "200-012") // no call
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guidA, nil), "0")
	drain(t, srv, agentA, guidA)

	transfer(2, "20001", "100-007") // to itself
	transfer(2, "20003", "100-007") // signed out
	transfer(2, "29999", "100-007") // no such agent
	transfer(2, "20002", "0")

	types, _ := drain(t, srv, agentA, guidA)
	assert.Equal(t, []string{"AgentEvent_Call_Release", "AgentOther_PhoneRelease"}, types, "transferring agent's events")
	types, evs := drain(t, srv, agentB, guidB)
	require.Equal(t, []string{"AgentEvent_Ringing"}, types, "target agent's events")
	require.Equal(t, callID, content[struct{ Callid string }](t, evs[0]).Callid, "target agent's ringing call")
	c, _ := srv.Call(callID)
	assert.Equal(t, agentB, c.Agent, "after transfer the call is at")
	assert.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "A after transfer")
	assert.Equal(t, agwtest.StateRinging, srv.AgentState(agentB), "B after transfer")
	// The transferred call can be answered where it rings.
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20002/answer", guidB, nil), "0")
	assert.Equal(t, agwtest.StateTalking, srv.AgentState(agentB), "B answered the transferred call")
}

func TestTransferOutOfTheFake(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "0")
	body := map[string]any{"devicetype": 5, "address": "13900000000", "mode": 1}
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/transfer", guid, body), "0")
	_, ok := srv.Call(callID)
	assert.False(t, ok, "a call transferred to an external number is still in the fake")
	assert.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "agent after the transfer")
}

// callout places a callout for agent id and returns the call ID the
// gateway answers as its result.
func callout(t *testing.T, srv *agwtest.Server, id int, guid string, body map[string]string) string {
	t.Helper()
	r := do(t, srv, http.MethodPut, "/voicecall/"+strconv.Itoa(id)+"/callout", guid, body)
	wantRetcode(t, r, "0")
	var callID string
	require.NoError(t, json.Unmarshal(r.env.Result, &callID), "callout result %s is not the call ID", r.env.Result)
	require.NotEmpty(t, callID, "callout result %s is not the call ID", r.env.Result)
	return callID
}

// A callout follows the vendor's scenario: the agent's phone alerts, goes
// off hook, the customer's phone rings, and the customer answers.
func TestCalloutAnswered(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := callout(t, srv, agentA, guid, map[string]string{"called": "13912345678"})
	types, evs := drain(t, srv, agentA, guid)
	require.Equal(t, []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Customer_Alerting"}, types, "events")
	type customerAlerting struct{ Callid, OtherPhone string }
	assert.Equal(t, customerAlerting{Callid: callID, OtherPhone: "13912345678"}, content[customerAlerting](t, evs[2]), "Customer_Alerting")
	require.Equal(t, agwtest.StateDialing, srv.AgentState(agentA), "agent")
	c, ok := srv.Call(callID)
	if assert.True(t, ok, "Call(%q) not found", callID) {
		assert.True(t, c.Outbound, "Call(%q) = %+v", callID, c)
		assert.Equal(t, "13912345678", c.Called, "Call(%q) = %+v", callID, c)
		assert.Equal(t, agentA, c.Agent, "Call(%q) = %+v", callID, c)
	}
	// Dialing is not a ringing inbound call: nobody can pick it up.
	guidB := signIn(t, srv, agentB)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20002/snatchpickup?destWorkNo=20001", guidB, nil), "100-007")
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/callout", guid, map[string]string{"called": "1"}), "100-007")

	require.NoError(t, srv.RemoteAnswer(callID))
	types, evs = drain(t, srv, agentA, guid)
	require.Equal(t, []string{"AgentEvent_Talking"}, types, "after the customer answered")
	type talking struct{ Caller, Called, Feature string }
	assert.Equal(t, talking{Caller: "4008000000", Called: "13912345678", Feature: "7"}, content[talking](t, evs[0]), "Talking")
	assert.Error(t, srv.RemoteAnswer(callID), "a talking call was answered again")
	wantRetcode(t, do(t, srv, http.MethodDelete, "/voicecall/20001/release", guid, nil), "0")
	assert.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "agent after release")
}

// Without autoanswer the agent takes the phone off hook first; a customer
// who never answers fails the call.
func TestCalloutManualAndUnanswered(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA, false)
	callID := callout(t, srv, agentA, guid, map[string]string{"called": "13912345678", "caller": "88001"})
	types, _ := drain(t, srv, agentA, guid)
	require.Equal(t, []string{"AgentOther_PhoneAlerting"}, types, "before pickup")
	assert.Error(t, srv.RemoteAnswer(callID), "the customer answered before the agent's phone was off hook")
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/phonepickup", guid, nil), "0")
	types, _ = drain(t, srv, agentA, guid)
	require.Len(t, types, 2, "after pickup: %v", types)
	require.Equal(t, "AgentEvent_Customer_Alerting", types[1], "after pickup: %v", types)
	require.NoError(t, srv.Hangup(callID))
	types, evs := drain(t, srv, agentA, guid)
	require.Equal(t, []string{"AgentEvent_Call_Out_Fail", "AgentOther_PhoneRelease"}, types, "after the customer did not answer")
	assert.Equal(t, strconv.Quote(callID), string(evs[0].Content), "Call_Out_Fail content must be the call ID")
	assert.Equal(t, agwtest.StateIdle, srv.AgentState(agentA), "agent")
}

// A connected callout transferred to another agent rings and connects
// there like an inbound call.
func TestTransferredCalloutConnectsAtTheTarget(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guidA := signIn(t, srv, agentA)
	guidB := signIn(t, srv, agentB)
	callID := callout(t, srv, agentA, guidA, map[string]string{"called": "13912345678"})
	require.NoError(t, srv.RemoteAnswer(callID))
	body := map[string]any{"devicetype": 2, "address": "20002", "mode": 0}
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/transfer", guidA, body), "0")
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20002/answer", guidB, nil), "0")
	require.Equal(t, agwtest.StateTalking, srv.AgentState(agentB), "the target answered the transferred callout")
}
