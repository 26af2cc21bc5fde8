package agwtest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func TestStateString(t *testing.T) {
	t.Parallel()
	for s, want := range map[agwtest.State]string{
		agwtest.StateSignedOut: "signed-out", agwtest.StateIdle: "idle", agwtest.StateBusy: "busy",
		agwtest.StateRinging: "ringing", agwtest.StateTalking: "talking", agwtest.StateDialing: "dialing",
		agwtest.State(42): "State(42)",
	} {
		assert.Equal(t, want, s.String(), "State(%d).String()", int(s))
	}
}

func TestAddAgentErrors(t *testing.T) {
	t.Parallel()
	g := agwtest.NewGateway()
	require.NoError(t, g.AddGroup("g"))
	assert.Error(t, g.AddGroup("g"), "duplicate group accepted")
	assert.Error(t, g.AddGroup(""), "empty group name accepted")
	ok := agwtest.Agent{ID: 101, Password: "p", Phone: "1", Group: "g"}
	require.NoError(t, g.AddAgent(ok))
	for name, a := range map[string]agwtest.Agent{
		"duplicate ID":   ok,
		"ID below range": {ID: 100, Password: "p", Phone: "1", Group: "g"},
		"ID above range": {ID: 60000, Password: "p", Phone: "1", Group: "g"},
		"unknown group":  {ID: 102, Password: "p", Phone: "1", Group: "nope"},
		"phone letters":  {ID: 103, Password: "p", Phone: "12a", Group: "g"},
		"empty phone":    {ID: 104, Password: "p", Group: "g"},
		"long password":  {ID: 105, Password: "123456789012345678901234567890123", Phone: "1", Group: "g"},
	} {
		assert.Error(t, g.AddAgent(a), "%s: AddAgent(%+v) accepted", name, a)
	}
}

func TestSetState(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	assert.Error(t, srv.SetState(agentA, agwtest.StateBusy), "SetState made a signed-out agent busy")
	assert.Error(t, srv.SetState(30000, agwtest.StateIdle), "SetState accepted an unknown agent")
	signIn(t, srv, agentA)
	setState(t, srv, agentA, agwtest.StateBusy)
	require.Equal(t, agwtest.StateBusy, srv.AgentState(agentA))
	_, err := srv.Ring(agentA, "1")
	assert.Error(t, err, "Ring reached a busy agent")
	for _, s := range []agwtest.State{agwtest.StateRest, agwtest.StateWork} {
		setState(t, srv, agentA, s)
		require.Equal(t, s, srv.AgentState(agentA), "SetState(%v)", s)
	}
	setState(t, srv, agentA, agwtest.StateIdle)
	callID, err := srv.Ring(agentA, "1")
	require.NoError(t, err)
	for _, s := range []agwtest.State{agwtest.StateIdle, agwtest.StateTalking, agwtest.StateRinging} {
		assert.Error(t, srv.SetState(agentA, s), "SetState(%v) worked on a ringing agent", s)
	}
	setState(t, srv, agentA, agwtest.StateSignedOut)
	_, ok := srv.Call(callID)
	assert.False(t, ok, "SetState(StateSignedOut) kept the call")
	assert.Equal(t, agwtest.StateSignedOut, srv.AgentState(agentA), "SetState(StateSignedOut) kept the agent")
	_, ok = srv.Guid(agentA)
	assert.False(t, ok, "a signed-out agent has a Guid")
	assert.Equal(t, agwtest.StateSignedOut, srv.AgentState(30000), "unknown agent")
}

func TestRingErrors(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	_, err := srv.Ring(agentA, "1")
	assert.Error(t, err, "Ring reached a signed-out agent")
	_, err = srv.Ring(30000, "1")
	assert.Error(t, err, "Ring reached an unknown agent")
	signIn(t, srv, agentA)
	_, err = srv.Ring(agentA, "")
	assert.Error(t, err, "Ring accepted an empty caller")
	assert.Error(t, srv.Hangup("nope"), "Hangup of an unknown call worked")
}

func TestDemo(t *testing.T) {
	t.Parallel()
	g := agwtest.NewGateway()
	require.NoError(t, agwtest.Demo(g))
	assert.Error(t, agwtest.Demo(g), "Demo seeded twice")
	agents := agwtest.DemoAgents()
	require.Len(t, agents, 5)
	assert.Equal(t, 20001, agents[0].ID)
	assert.Equal(t, 20005, agents[4].ID)
	assert.Equal(t, "88005", agents[4].Phone)
	assert.Equal(t, agwtest.DemoPassword, agents[0].Password)
	assert.True(t, agents[0].CanPickUp)
	assert.Equal(t, agwtest.DemoGroup, agents[0].Group)
}

func TestStateTextRoundTrip(t *testing.T) {
	t.Parallel()
	for st := agwtest.StateSignedOut; st <= agwtest.StateWork; st++ {
		b, err := st.MarshalText()
		require.NoError(t, err)
		var back agwtest.State
		if assert.NoError(t, back.UnmarshalText(b), "%v: text %q", st, b) {
			assert.Equal(t, st, back, "text %q reads back", b)
		}
	}
	var st agwtest.State
	assert.Error(t, st.UnmarshalText([]byte("on-break")), "an unknown state was accepted")
}
