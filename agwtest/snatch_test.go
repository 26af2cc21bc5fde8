package agwtest_test

import (
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

func newPickUp(t *testing.T, autoanswer bool) *pickupFixture {
	t.Helper()
	srv := newDemo(t)
	require.NoError(t, srv.AddGroup("other"))
	for _, a := range []agwtest.Agent{
		{ID: agentNoPerm, Password: agwtest.DemoPassword, Phone: "88010", Group: agwtest.DemoGroup},
		{ID: agentOther, Password: agwtest.DemoPassword, Phone: "88020", Group: "other", CanPickUp: true},
	} {
		require.NoError(t, srv.AddAgent(a))
	}
	f := &pickupFixture{srv: srv}
	f.guidA = signIn(t, srv, agentA, autoanswer)
	f.guidB = signIn(t, srv, agentB)
	var err error
	f.callID, err = srv.Ring(agentB, "13800000000")
	require.NoError(t, err)
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
	f := newPickUp(t, true)
	srv := f.srv
	guidNoPerm := signInAs(t, srv, agentNoPerm, "88010")
	guidOther := signInAs(t, srv, agentOther, "88020")
	guidC := signIn(t, srv, agentC)
	internal, err := srv.RingInternal(agentC, "20005")
	require.NoError(t, err)

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
			assert.Equal(t, tc.msg, r.env.Message, "message")
			assert.Equal(t, `""`, string(r.env.Result), "failure result")
		})
	}
	// None of the refusals moved the calls.
	c, _ := srv.Call(f.callID)
	assert.Equal(t, agentB, c.Agent, "call %+v after refused pickups", c)
	assert.Equal(t, agwtest.StateRinging, srv.AgentState(agentB), "agent B after refused pickups")
	c, _ = srv.Call(internal)
	assert.Equal(t, agentC, c.Agent, "internal call %+v after refused pickup", c)
	assert.True(t, c.Internal, "internal call %+v after refused pickup", c)
	types, _ := drain(t, srv, agentB, f.guidB)
	assert.Empty(t, types, "refused pickups sent events to the ringing agent")
}

func setState(t *testing.T, srv *agwtest.Server, id int, s agwtest.State) {
	t.Helper()
	require.NoError(t, srv.SetState(id, s))
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
	f := newPickUp(t, true)
	srv := f.srv
	r := do(t, srv, http.MethodPut, snatchPath(agentA, agentB), f.guidA, nil)
	wantRetcode(t, r, "0")
	assert.Equal(t, "success", r.env.Message, "success envelope %s", r.body)
	assert.Equal(t, "{}", string(r.env.Result), "success envelope %s", r.body)

	types, evs := drain(t, srv, agentA, f.guidA)
	require.Equal(t, wantPickedUpEvents, types, "picker events")
	checkPickupContents(t, f, evs)
	assert.Equal(t, agwtest.StateTalking, srv.AgentState(agentA), "picker")
	checkRingingAgentReleased(t, f)
	c, ok := srv.Call(f.callID)
	if assert.True(t, ok, "the call vanished after the pickup") {
		assert.Equal(t, agentA, c.Agent, "call after pickup %+v", c)
	}
	assert.Equal(t, 1, srv.Requests("SnatchPickup"), "Requests(SnatchPickup)")

	// The call ends like any other: the picker releases it.
	wantRetcode(t, do(t, srv, http.MethodDelete, "/voicecall/20001/release", f.guidA, nil), "0")
	types, _ = drain(t, srv, agentA, f.guidA)
	assert.Equal(t, []string{"AgentEvent_Call_Release", "AgentOther_PhoneRelease"}, types, "release events")
}

func TestSnatchPickupManualAnswer(t *testing.T) {
	t.Parallel()
	for _, answer := range []struct{ method, path string }{
		{http.MethodPut, "/voicecall/20001/answer"},
		{http.MethodPost, "/voicecall/20001/phonepickup"},
	} {
		t.Run(answer.path, func(t *testing.T) {
			f := newPickUp(t, false)
			srv := f.srv
			wantRetcode(t, do(t, srv, http.MethodPut, snatchPath(agentA, agentB), f.guidA, nil), "0")

			types, first := drain(t, srv, agentA, f.guidA)
			require.Equal(t, wantPickedUpEvents[:1], types, "before answering the picker must get only PhoneAlerting")
			require.Equal(t, agwtest.StateRinging, srv.AgentState(agentA), "picker before answering")
			checkRingingAgentReleased(t, f)

			wantRetcode(t, do(t, srv, answer.method, answer.path, f.guidA, nil), "0")
			types, rest := drain(t, srv, agentA, f.guidA)
			require.Equal(t, wantPickedUpEvents[1:], types, "picker events after answering")
			checkPickupContents(t, f, append(first, rest...))
			assert.Equal(t, agwtest.StateTalking, srv.AgentState(agentA), "picker after answering")
		})
	}
}

func checkRingingAgentReleased(t *testing.T, f *pickupFixture) {
	t.Helper()
	types, evs := drain(t, f.srv, agentB, f.guidB)
	require.Equal(t, []string{"AgentOther_PhoneRelease"}, types, "the ringing agent must get one PhoneRelease")
	assert.Equal(t, `{"phoneState":3}`, string(evs[0].Content), "PhoneRelease content")
	assert.Equal(t, agwtest.StateIdle, f.srv.AgentState(agentB), "ringing agent after the pickup")
}

func checkPickupContents(t *testing.T, f *pickupFixture, evs []event) {
	t.Helper()
	caller, called := "13800000000", demoPhone(agentB)
	for _, ev := range evs {
		assert.Equal(t, strconv.Itoa(agentA), ev.WorkNo, "%s workNo", ev.EventType)
	}
	assert.Equal(t, `null`, string(evs[0].Content), "PhoneAlerting carries no content (cec_07_1398)")
	assert.Equal(t, `{"type":"main"}`, string(evs[1].Content), "PhoneOffhook")
	type talking struct{ Caller, Called, Callid, Type, Feature, MediaAbility string }
	assert.Equal(t, talking{Caller: caller, Called: called, Callid: f.callID, Type: "main", Feature: "0", MediaAbility: "1"},
		content[talking](t, evs[2]), "Talking %s", evs[2].Content)
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
	msg := "Incoming_CallInfo " + string(evs[3].Content)
	assert.Equal(t, f.callID, info.CallID, msg)
	assert.Equal(t, "demo", info.SkillName, msg)
	assert.Equal(t, 1, info.SkillID, msg)
	assert.Equal(t, caller, info.Caller, msg)
	assert.Equal(t, called, info.Called, msg)
	assert.Equal(t, 65535, info.LastReleaseAgentID, msg)
	assert.Equal(t, 5, info.MediaType, msg)
	rec := content[struct {
		TaskID                   int    `json:"taskId"`
		CallID                   string `json:"callId"`
		Caller, Called, FileName string
		RecordID                 string `json:"recordID"`
		LocationID               string `json:"locationId"`
		FileMediaType            string
	}](t, evs[4])
	msg = "Record " + string(evs[4].Content)
	assert.NotZero(t, rec.TaskID, msg)
	assert.Equal(t, f.callID, rec.CallID, msg)
	assert.Equal(t, caller, rec.Caller, msg)
	assert.Equal(t, called, rec.Called, msg)
	assert.NotEmpty(t, rec.FileName, msg)
	assert.NotEmpty(t, rec.RecordID, msg)
	assert.NotEmpty(t, rec.LocationID, msg)
	assert.Equal(t, "1", rec.FileMediaType, msg)
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
				assert.NoError(t, err)
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
		require.Equal(t, []string{"0", "100-007"}, got, "two pickers must get one 0 and one 100-007")
		c, ok := srv.Call(callID)
		require.True(t, ok, "picked-up call vanished")
		wins[c.Agent]++
		require.NoError(t, srv.Hangup(callID))
	}
	assert.Equal(t, rounds, wins[agentA]+wins[agentB], "wins %v over %d rounds", wins, rounds)
	assert.Equal(t, 2*rounds, srv.Requests("SnatchPickup"), "Requests(SnatchPickup)")
}
