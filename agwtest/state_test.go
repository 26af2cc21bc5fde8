package agwtest_test

import (
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func TestStateString(t *testing.T) {
	t.Parallel()
	for s, want := range map[agwtest.State]string{
		agwtest.StateSignedOut: "signed-out", agwtest.StateIdle: "idle", agwtest.StateBusy: "busy",
		agwtest.StateRinging: "ringing", agwtest.StateTalking: "talking", agwtest.StateDialing: "dialing",
		agwtest.State(42): "State(42)",
	} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q, want %q", int(s), got, want)
		}
	}
}

func TestAddAgentErrors(t *testing.T) {
	t.Parallel()
	g := agwtest.NewGateway()
	if err := g.AddGroup("g"); err != nil {
		t.Fatal(err)
	}
	if err := g.AddGroup("g"); err == nil {
		t.Error("duplicate group accepted")
	}
	if err := g.AddGroup(""); err == nil {
		t.Error("empty group name accepted")
	}
	ok := agwtest.Agent{ID: 101, Password: "p", Phone: "1", Group: "g"}
	if err := g.AddAgent(ok); err != nil {
		t.Fatal(err)
	}
	for name, a := range map[string]agwtest.Agent{
		"duplicate ID":   ok,
		"ID below range": {ID: 100, Password: "p", Phone: "1", Group: "g"},
		"ID above range": {ID: 60000, Password: "p", Phone: "1", Group: "g"},
		"unknown group":  {ID: 102, Password: "p", Phone: "1", Group: "nope"},
		"phone letters":  {ID: 103, Password: "p", Phone: "12a", Group: "g"},
		"empty phone":    {ID: 104, Password: "p", Group: "g"},
		"long password":  {ID: 105, Password: "123456789012345678901234567890123", Phone: "1", Group: "g"},
	} {
		if err := g.AddAgent(a); err == nil {
			t.Errorf("%s: AddAgent(%+v) accepted", name, a)
		}
	}
}

func TestSetState(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	if err := srv.SetState(agentA, agwtest.StateBusy); err == nil {
		t.Error("SetState made a signed-out agent busy")
	}
	if err := srv.SetState(30000, agwtest.StateIdle); err == nil {
		t.Error("SetState accepted an unknown agent")
	}
	signIn(t, srv, agentA)
	setState(t, srv, agentA, agwtest.StateBusy)
	if got := srv.AgentState(agentA); got != agwtest.StateBusy {
		t.Fatalf("agent is %v", got)
	}
	if _, err := srv.Ring(agentA, "1"); err == nil {
		t.Error("Ring reached a busy agent")
	}
	for _, s := range []agwtest.State{agwtest.StateRest, agwtest.StateWork} {
		setState(t, srv, agentA, s)
		if got := srv.AgentState(agentA); got != s {
			t.Fatalf("SetState(%v): agent is %v", s, got)
		}
	}
	setState(t, srv, agentA, agwtest.StateIdle)
	callID, err := srv.Ring(agentA, "1")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []agwtest.State{agwtest.StateIdle, agwtest.StateTalking, agwtest.StateRinging} {
		if err := srv.SetState(agentA, s); err == nil {
			t.Errorf("SetState(%v) worked on a ringing agent", s)
		}
	}
	setState(t, srv, agentA, agwtest.StateSignedOut)
	if _, ok := srv.Call(callID); ok || srv.AgentState(agentA) != agwtest.StateSignedOut {
		t.Error("SetState(StateSignedOut) kept the agent or its call")
	}
	if _, ok := srv.Guid(agentA); ok {
		t.Error("a signed-out agent has a Guid")
	}
	if got := srv.AgentState(30000); got != agwtest.StateSignedOut {
		t.Errorf("unknown agent is %v", got)
	}
}

func TestRingErrors(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	if _, err := srv.Ring(agentA, "1"); err == nil {
		t.Error("Ring reached a signed-out agent")
	}
	if _, err := srv.Ring(30000, "1"); err == nil {
		t.Error("Ring reached an unknown agent")
	}
	signIn(t, srv, agentA)
	if _, err := srv.Ring(agentA, ""); err == nil {
		t.Error("Ring accepted an empty caller")
	}
	if err := srv.Hangup("nope"); err == nil {
		t.Error("Hangup of an unknown call worked")
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	g := agwtest.NewGateway()
	if err := agwtest.Demo(g); err != nil {
		t.Fatal(err)
	}
	if err := agwtest.Demo(g); err == nil {
		t.Error("Demo seeded twice")
	}
	agents := agwtest.DemoAgents()
	if len(agents) != 5 || agents[0].ID != 20001 || agents[4].ID != 20005 || agents[4].Phone != "88005" ||
		agents[0].Password != agwtest.DemoPassword || !agents[0].CanPickUp || agents[0].Group != agwtest.DemoGroup {
		t.Errorf("DemoAgents() = %+v", agents)
	}
}

func TestStateTextRoundTrip(t *testing.T) {
	t.Parallel()
	for st := agwtest.StateSignedOut; st <= agwtest.StateWork; st++ {
		b, err := st.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back agwtest.State
		if err := back.UnmarshalText(b); err != nil || back != st {
			t.Errorf("%v: text %q reads back as %v, %v", st, b, back, err)
		}
	}
	var st agwtest.State
	if err := st.UnmarshalText([]byte("on-break")); err == nil {
		t.Error("an unknown state was accepted")
	}
}
