package agwtest_test

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func snatchPath(picker, dest int) string {
	return "/voicecall/" + strconv.Itoa(picker) + "/snatchpickup?destWorkNo=" + strconv.Itoa(dest)
}

// pickupFixture is a demo server plus an agent without the pickup
// permission and one in another group (both signed out). Picker A and
// ringing agent B are signed in; B's ringing event is drained.
type pickupFixture struct {
	srv          *agwtest.Server
	guidA, guidB string
	callID       string // ringing at B
}

const (
	agentNoPerm = 20010
	agentOther  = 20020
)

func newPickup(t *testing.T, autoanswer bool) *pickupFixture {
	t.Helper()
	srv := newDemo(t)
	if err := srv.AddGroup("other"); err != nil {
		t.Fatal(err)
	}
	for _, a := range []agwtest.Agent{
		{ID: agentNoPerm, Password: agwtest.DemoPassword, Phone: "88010", Group: agwtest.DemoGroup},
		{ID: agentOther, Password: agwtest.DemoPassword, Phone: "88020", Group: "other", CanPickUp: true},
	} {
		if err := srv.AddAgent(a); err != nil {
			t.Fatal(err)
		}
	}
	f := &pickupFixture{srv: srv}
	f.guidA = signIn(t, srv, agentA, autoanswer)
	f.guidB = signIn(t, srv, agentB)
	var err error
	if f.callID, err = srv.Ring(agentB, "13800000000"); err != nil {
		t.Fatal(err)
	}
	drain(t, srv, agentB, f.guidB)
	return f
}

func signInAs(t *testing.T, srv *agwtest.Server, id int, phone string) string {
	t.Helper()
	r := do(t, srv, http.MethodPut, agentPath(id, ""), "", signInBody{Password: agwtest.DemoPassword, Phonenum: phone})
	wantRetcode(t, r, "0")
	return guidFrom(t, r.header)
}

func TestSnatchPickupPrerequisites(t *testing.T) {
	t.Parallel()
	f := newPickup(t, true)
	srv := f.srv
	guidNoPerm := signInAs(t, srv, agentNoPerm, "88010")
	guidOther := signInAs(t, srv, agentOther, "88020")
	guidC := signIn(t, srv, agentC)
	internal, err := srv.RingInternal(agentC, "20005")
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name         string
		picker, dest int
		guid         string
		setup        func(t *testing.T)
		code, msg    string
	}{
		{"no Guid", agentA, agentB, "", nil, "100-006", "Guid header missing"},
		{"picker not signed in", 20004, agentB, "", nil, "100-006", "agent not signed in"},
		{"Guid of another agent", agentA, agentB, f.guidB, nil, "000-003", "Guid belongs to another agent"},
		{"destWorkNo is the picker", agentA, agentA, f.guidA, nil, "100-007", "destWorkNo is the picking agent itself"},
		{"no pickup permission", agentNoPerm, agentB, guidNoPerm, nil, "100-007", "agent has no group pickup permission"},
		{"picker busy", agentA, agentB, f.guidA, func(t *testing.T) { setState(t, srv, agentA, agwtest.StateBusy) }, "100-007", "agent is not idle"},
		{"picker ringing", agentC, agentB, guidC, nil, "100-007", "agent is not idle"},
		{"destWorkNo unknown", agentA, 30000, f.guidA, func(t *testing.T) { setState(t, srv, agentA, agwtest.StateIdle) }, "100-007", "destWorkNo is not a known agent"},
		{"destWorkNo signed out", agentA, 20005, f.guidA, nil, "100-007", "destWorkNo is not signed in"},
		{"destWorkNo idle", agentA, agentOther, f.guidA, nil, "100-007", "destWorkNo is not ringing"},
		{"internal call", agentA, agentC, f.guidA, nil, "100-007", "the ringing call is internal"},
		{"another group", agentOther, agentB, guidOther, nil, "100-007", "destWorkNo is in another group"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != nil {
				tc.setup(t)
			}
			r := do(t, srv, http.MethodPut, snatchPath(tc.picker, tc.dest), tc.guid, nil)
			wantRetcode(t, r, tc.code)
			if r.env.Message != tc.msg {
				t.Errorf("message %q, want %q", r.env.Message, tc.msg)
			}
			if string(r.env.Result) != `""` {
				t.Errorf("failure result %s, want \"\"", r.env.Result)
			}
		})
	}
	// None of the refusals moved the calls.
	if c, _ := srv.Call(f.callID); c.Agent != agentB || srv.AgentState(agentB) != agwtest.StateRinging {
		t.Errorf("call %+v, agent B %v after refused pickups", c, srv.AgentState(agentB))
	}
	if c, _ := srv.Call(internal); c.Agent != agentC || !c.Internal {
		t.Errorf("internal call %+v after refused pickup", c)
	}
	if types, _ := drain(t, srv, agentB, f.guidB); len(types) != 0 {
		t.Errorf("refused pickups sent %v to the ringing agent", types)
	}
}

func setState(t *testing.T, srv *agwtest.Server, id int, s agwtest.State) {
	t.Helper()
	if err := srv.SetState(id, s); err != nil {
		t.Fatal(err)
	}
}

// wantPickedUpEvents are what the picker gets after a pickup answered
// automatically, in order.
var wantPickedUpEvents = []string{
	"AgentOther_PhoneAlerting",
	"AgentOther_PhoneOffhook",
	"AgentEvent_Talking",
	"AgentEvent_Incoming_CallInfo",
	"AgentMediaEvent_Record",
}

func TestSnatchPickupAutoAnswer(t *testing.T) {
	t.Parallel()
	f := newPickup(t, true)
	srv := f.srv
	r := do(t, srv, http.MethodPut, snatchPath(agentA, agentB), f.guidA, nil)
	wantRetcode(t, r, "0")
	if r.env.Message != "success" || string(r.env.Result) != "{}" {
		t.Errorf("success envelope %s", r.body)
	}

	types, evs := drain(t, srv, agentA, f.guidA)
	if !slices.Equal(types, wantPickedUpEvents) {
		t.Fatalf("picker events %v, want %v", types, wantPickedUpEvents)
	}
	checkPickupContents(t, f, evs)
	if got := srv.AgentState(agentA); got != agwtest.StateTalking {
		t.Errorf("picker is %v, want talking", got)
	}
	checkRingingAgentReleased(t, f)
	if c, ok := srv.Call(f.callID); !ok || c.Agent != agentA {
		t.Errorf("call after pickup %+v, %v", c, ok)
	}
	if n := srv.Requests("SnatchPickup"); n != 1 {
		t.Errorf("Requests(SnatchPickup) = %d", n)
	}

	// The call ends like any other: the picker releases it.
	wantRetcode(t, do(t, srv, http.MethodDelete, "/voicecall/20001/release", f.guidA, nil), "0")
	if types, _ := drain(t, srv, agentA, f.guidA); !slices.Equal(types, []string{"AgentEvent_Call_Release", "AgentOther_PhoneRelease"}) {
		t.Errorf("release events %v", types)
	}
}

func TestSnatchPickupManualAnswer(t *testing.T) {
	t.Parallel()
	for _, answer := range []struct{ method, path string }{
		{http.MethodPut, "/voicecall/20001/answer"},
		{http.MethodPost, "/voicecall/20001/phonepickup"},
	} {
		t.Run(answer.path, func(t *testing.T) {
			f := newPickup(t, false)
			srv := f.srv
			wantRetcode(t, do(t, srv, http.MethodPut, snatchPath(agentA, agentB), f.guidA, nil), "0")

			types, first := drain(t, srv, agentA, f.guidA)
			if !slices.Equal(types, wantPickedUpEvents[:1]) {
				t.Fatalf("before answering the picker got %v, want only PhoneAlerting", types)
			}
			if got := srv.AgentState(agentA); got != agwtest.StateRinging {
				t.Fatalf("picker is %v before answering, want ringing", got)
			}
			checkRingingAgentReleased(t, f)

			wantRetcode(t, do(t, srv, answer.method, answer.path, f.guidA, nil), "0")
			types, rest := drain(t, srv, agentA, f.guidA)
			if !slices.Equal(types, wantPickedUpEvents[1:]) {
				t.Fatalf("after answering the picker got %v, want %v", types, wantPickedUpEvents[1:])
			}
			checkPickupContents(t, f, append(first, rest...))
			if got := srv.AgentState(agentA); got != agwtest.StateTalking {
				t.Errorf("picker is %v after answering, want talking", got)
			}
		})
	}
}

func checkRingingAgentReleased(t *testing.T, f *pickupFixture) {
	t.Helper()
	types, evs := drain(t, f.srv, agentB, f.guidB)
	if !slices.Equal(types, []string{"AgentOther_PhoneRelease"}) {
		t.Fatalf("ringing agent got %v, want one PhoneRelease", types)
	}
	if string(evs[0].Content) != `{"phoneState":3}` {
		t.Errorf("PhoneRelease content %s", evs[0].Content)
	}
	if got := f.srv.AgentState(agentB); got != agwtest.StateIdle {
		t.Errorf("ringing agent is %v after the pickup, want idle", got)
	}
}

func checkPickupContents(t *testing.T, f *pickupFixture, evs []event) {
	t.Helper()
	caller, called := "13800000000", demoPhone(agentB)
	for _, ev := range evs {
		if ev.WorkNo != strconv.Itoa(agentA) {
			t.Errorf("%s workNo %q", ev.EventType, ev.WorkNo)
		}
	}
	alert := content[struct{ Caller, Called, Callid string }](t, evs[0])
	if alert.Caller != caller || alert.Called != called || alert.Callid != f.callID {
		t.Errorf("PhoneAlerting %s", evs[0].Content)
	}
	if string(evs[1].Content) != `{"type":"main"}` {
		t.Errorf("PhoneOffhook %s", evs[1].Content)
	}
	talk := content[struct{ Caller, Called, Callid, Type, Feature, MediaAbility string }](t, evs[2])
	if talk.Caller != caller || talk.Called != called || talk.Callid != f.callID ||
		talk.Type != "main" || talk.Feature != "0" || talk.MediaAbility != "1" {
		t.Errorf("Talking %s", evs[2].Content)
	}
	info := content[struct {
		CallID                    string `json:"callId"`
		SkillName                 string
		SkillID                   int `json:"skillId"`
		Caller, Called            string
		LastReleaseAgentID        int `json:"lastReleaseAgentId"`
		MediaType                 int
		ReleaseAndReQueueCount    int
		ReleaseAndReQueueCallFlag int
	}](t, evs[3])
	if info.CallID != f.callID || info.SkillName != "demo" || info.SkillID != 1 || info.Caller != caller ||
		info.Called != called || info.LastReleaseAgentID != 65535 || info.MediaType != 5 {
		t.Errorf("Incoming_CallInfo %s", evs[3].Content)
	}
	rec := content[struct {
		TaskID                   int    `json:"taskId"`
		CallID                   string `json:"callId"`
		Caller, Called, FileName string
		RecordID                 string `json:"recordID"`
		LocationID               string `json:"locationId"`
		FileMediaType            string
	}](t, evs[4])
	if rec.TaskID == 0 || rec.CallID != f.callID || rec.Caller != caller || rec.Called != called ||
		rec.FileName == "" || rec.RecordID == "" || rec.LocationID == "" || rec.FileMediaType != "1" {
		t.Errorf("Record %s", evs[4].Content)
	}
}

// TestSnatchPickupRace has two pickers go for each of many ringing calls
// at once: exactly one pickup of each call succeeds.
func TestSnatchPickupRace(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	const rounds = 30
	guids := map[int]string{}
	for _, id := range []int{agentA, agentB, agentC} {
		guids[id] = signIn(t, srv, id)
	}
	wins := map[int]int{}
	for range rounds {
		callID := ring(t, srv, agentC)
		var wg sync.WaitGroup
		codes := make(chan string, 2)
		for _, picker := range []int{agentA, agentB} {
			wg.Go(func() {
				r, err := send(t.Context(), srv, http.MethodPut, snatchPath(picker, agentC), guids[picker], nil)
				if err != nil {
					t.Error(err)
				}
				codes <- r.env.Retcode
			})
		}
		wg.Wait()
		close(codes)
		var got []string
		for c := range codes {
			got = append(got, c)
		}
		slices.Sort(got)
		if !slices.Equal(got, []string{"0", "100-007"}) {
			t.Fatalf("two pickers got %v, want one 0 and one 100-007", got)
		}
		c, ok := srv.Call(callID)
		if !ok {
			t.Fatal("picked-up call vanished")
		}
		wins[c.Agent]++
		if err := srv.Hangup(callID); err != nil {
			t.Fatal(err)
		}
	}
	if wins[agentA]+wins[agentB] != rounds {
		t.Errorf("wins %v over %d rounds", wins, rounds)
	}
	if n := srv.Requests("SnatchPickup"); n != 2*rounds {
		t.Errorf("Requests(SnatchPickup) = %d, want %d", n, 2*rounds)
	}
}
