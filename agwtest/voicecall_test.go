package agwtest_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"testing"

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
	if got := srv.AgentState(agentA); got != agwtest.StateTalking {
		t.Fatalf("answered agent is %v", got)
	}
	types, evs := drain(t, srv, agentA, guid)
	if !slices.Equal(types, []string{"AgentEvent_Ringing", "AgentEvent_Talking"}) {
		t.Fatalf("events %v", types)
	}
	if talk := content[struct{ Callid string }](t, evs[1]); talk.Callid != callID {
		t.Errorf("Talking content %s", evs[1].Content)
	}

	wantRetcode(t, do(t, srv, http.MethodDelete, "/voicecall/20001/release", guid, nil), "0")
	types, evs = drain(t, srv, agentA, guid)
	if !slices.Equal(types, []string{"AgentEvent_Call_Release", "AgentOther_PhoneRelease"}) {
		t.Fatalf("release events %v", types)
	}
	if string(evs[0].Content) != `"`+callID+`"` || string(evs[1].Content) != `{"phoneState":2}` {
		t.Errorf("release contents %s, %s", evs[0].Content, evs[1].Content)
	}
	if _, ok := srv.Call(callID); ok || srv.AgentState(agentA) != agwtest.StateIdle {
		t.Errorf("after release: call kept %v, agent %v", ok, srv.AgentState(agentA))
	}
}

func TestRemoteHangup(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	if c, ok := srv.Call(callID); !ok || c != (agwtest.Call{ID: callID, Caller: "13800000000", Called: demoPhone(agentA), Agent: agentA}) {
		t.Fatalf("Call(%q) = %+v, %v", callID, c, ok)
	}
	if err := srv.Hangup(callID); err != nil {
		t.Fatal(err)
	}
	if err := srv.Hangup(callID); err == nil {
		t.Error("second Hangup of the same call worked")
	}
	types, evs := drain(t, srv, agentA, guid)
	if !slices.Equal(types, []string{"AgentEvent_Ringing", "AgentOther_PhoneRelease"}) || string(evs[1].Content) != `{"phoneState":3}` {
		t.Fatalf("events %v", types)
	}
	if got := srv.AgentState(agentA); got != agwtest.StateIdle {
		t.Errorf("agent is %v after hangup", got)
	}
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
	if got := srv.AgentState(agentA); got != agwtest.StateIdle {
		t.Errorf("agent holding a call is %v, want idle", got)
	}
	r := do(t, srv, http.MethodGet, "/calldata/20001/holdlist", guid, nil)
	wantRetcode(t, r, "0")
	if want := `[{"callid":"` + callID + `"}]`; string(r.env.Result) != want {
		t.Errorf("holdlist %s, want %s", r.env.Result, want)
	}

	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/gethold?callid=9-9", guid, nil), "200-015")
	other, err := srv.Ring(agentA, "13900000000")
	if err != nil {
		t.Fatal(err)
	}
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/gethold?callid="+callID, guid, nil), "200-016")
	if err := srv.Hangup(other); err != nil {
		t.Fatal(err)
	}
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/gethold?callid="+callID, guid, nil), "0")
	if got := srv.AgentState(agentA); got != agwtest.StateTalking {
		t.Errorf("agent is %v after taking the call back", got)
	}
	types, _ := drain(t, srv, agentA, guid)
	want := []string{
		"AgentEvent_Ringing", "AgentEvent_Talking", "AgentEvent_Hold",
		"AgentEvent_Ringing", "AgentOther_PhoneRelease", "AgentEvent_Talking",
	}
	if !slices.Equal(types, want) {
		t.Errorf("events %v, want %v", types, want)
	}
	wantRetcode(t, do(t, srv, http.MethodGet, "/calldata/20001/holdlist", guid, nil), "400-003")
}

func TestHeldCallHangup(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/hold", guid, nil), "0")
	if err := srv.Hangup(callID); err != nil {
		t.Fatal(err)
	}
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
		r = do(t, srv, http.MethodPost, "/voicecall/20001/confjoin", tc.guid, map[string]string{"callid": "1-2"})
		wantRetcode(t, r, tc.code)
		if tc.code == "0" && (r.env.Message != "success" || string(r.env.Result) != "{}") {
			t.Errorf("confjoin answered %s", r.body)
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

	if types, _ := drain(t, srv, agentA, guidA); len(types) != 2 || types[0] != "AgentEvent_Call_Release" || types[1] != "AgentOther_PhoneRelease" {
		t.Errorf("transferring agent got %v", types)
	}
	types, evs := drain(t, srv, agentB, guidB)
	if len(types) != 1 || types[0] != "AgentEvent_Ringing" || content[struct{ Callid string }](t, evs[0]).Callid != callID {
		t.Fatalf("target agent got %v", types)
	}
	if c, _ := srv.Call(callID); c.Agent != agentB || srv.AgentState(agentA) != agwtest.StateIdle || srv.AgentState(agentB) != agwtest.StateRinging {
		t.Errorf("after transfer: call at %d, A %v, B %v", c.Agent, srv.AgentState(agentA), srv.AgentState(agentB))
	}
	// The transferred call can be answered where it rings.
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20002/answer", guidB, nil), "0")
	if st := srv.AgentState(agentB); st != agwtest.StateTalking {
		t.Errorf("B answered the transferred call and is %v", st)
	}
}

func TestTransferOutOfTheFake(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "0")
	body := map[string]any{"devicetype": 5, "address": "13900000000", "mode": 1}
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/transfer", guid, body), "0")
	if _, ok := srv.Call(callID); ok {
		t.Error("a call transferred to an external number is still in the fake")
	}
	if st := srv.AgentState(agentA); st != agwtest.StateIdle {
		t.Errorf("after the transfer the agent is %v", st)
	}
}

// callout places a callout for agent id and returns the call ID the
// gateway answers as its result.
func callout(t *testing.T, srv *agwtest.Server, id int, guid string, body map[string]string) string {
	t.Helper()
	r := do(t, srv, http.MethodPut, "/voicecall/"+strconv.Itoa(id)+"/callout", guid, body)
	wantRetcode(t, r, "0")
	var callID string
	if err := json.Unmarshal(r.env.Result, &callID); err != nil || callID == "" {
		t.Fatalf("callout result %s is not the call ID", r.env.Result)
	}
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
	if want := []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Customer_Alerting"}; !slices.Equal(types, want) {
		t.Fatalf("events %v, want %v", types, want)
	}
	alerting := content[struct{ Callid, OtherPhone string }](t, evs[2])
	if alerting.Callid != callID || alerting.OtherPhone != "13912345678" {
		t.Errorf("Customer_Alerting %+v", alerting)
	}
	if st := srv.AgentState(agentA); st != agwtest.StateDialing {
		t.Fatalf("agent is %v, want dialing", st)
	}
	if c, ok := srv.Call(callID); !ok || !c.Outbound || c.Called != "13912345678" || c.Agent != agentA {
		t.Errorf("Call(%q) = %+v, %v", callID, c, ok)
	}
	// Dialing is not a ringing inbound call: nobody can pick it up.
	guidB := signIn(t, srv, agentB)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20002/snatchpickup?destWorkNo=20001", guidB, nil), "100-007")
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/callout", guid, map[string]string{"called": "1"}), "100-007")

	if err := srv.RemoteAnswer(callID); err != nil {
		t.Fatal(err)
	}
	types, evs = drain(t, srv, agentA, guid)
	if len(types) != 1 || types[0] != "AgentEvent_Talking" {
		t.Fatalf("after the customer answered: %v", types)
	}
	if talk := content[struct{ Caller, Called, Feature string }](t, evs[0]); talk.Caller != "4008000000" || talk.Called != "13912345678" || talk.Feature != "7" {
		t.Errorf("Talking %+v", talk)
	}
	if err := srv.RemoteAnswer(callID); err == nil {
		t.Error("a talking call was answered again")
	}
	wantRetcode(t, do(t, srv, http.MethodDelete, "/voicecall/20001/release", guid, nil), "0")
	if st := srv.AgentState(agentA); st != agwtest.StateIdle {
		t.Errorf("after release the agent is %v", st)
	}
}

// Without autoanswer the agent takes the phone off hook first; a customer
// who never answers fails the call.
func TestCalloutManualAndUnanswered(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA, false)
	callID := callout(t, srv, agentA, guid, map[string]string{"called": "13912345678", "caller": "88001"})
	if types, _ := drain(t, srv, agentA, guid); len(types) != 1 || types[0] != "AgentOther_PhoneAlerting" {
		t.Fatalf("before pickup: %v", types)
	}
	if err := srv.RemoteAnswer(callID); err == nil {
		t.Error("the customer answered before the agent's phone was off hook")
	}
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/phonepickup", guid, nil), "0")
	if types, _ := drain(t, srv, agentA, guid); len(types) != 2 || types[1] != "AgentEvent_Customer_Alerting" {
		t.Fatalf("after pickup: %v", types)
	}
	if err := srv.Hangup(callID); err != nil {
		t.Fatal(err)
	}
	types, evs := drain(t, srv, agentA, guid)
	if len(types) != 2 || types[0] != "AgentEvent_Call_Out_Fail" || types[1] != "AgentOther_PhoneRelease" {
		t.Fatalf("after the customer did not answer: %v", types)
	}
	if string(evs[0].Content) != strconv.Quote(callID) {
		t.Errorf("Call_Out_Fail content %s, want the call ID", evs[0].Content)
	}
	if st := srv.AgentState(agentA); st != agwtest.StateIdle {
		t.Errorf("agent is %v", st)
	}
}

// A connected callout transferred to another agent rings and connects
// there like an inbound call.
func TestTransferredCalloutConnectsAtTheTarget(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guidA := signIn(t, srv, agentA)
	guidB := signIn(t, srv, agentB)
	callID := callout(t, srv, agentA, guidA, map[string]string{"called": "13912345678"})
	if err := srv.RemoteAnswer(callID); err != nil {
		t.Fatal(err)
	}
	body := map[string]any{"devicetype": 2, "address": "20002", "mode": 0}
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/transfer", guidA, body), "0")
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20002/answer", guidB, nil), "0")
	if st := srv.AgentState(agentB); st != agwtest.StateTalking {
		t.Fatalf("the target answered the transferred callout and is %v, want talking", st)
	}
}
