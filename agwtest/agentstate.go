package agwtest

import (
	"fmt"
	"strconv"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// State is an agent's state as the fake tracks it.
type State int

// Agent states. New states go at the end: the values are part of the API.
const (
	StateSignedOut State = iota
	StateIdle
	StateBusy
	StateRinging // a call rings at the agent, or its phone alerts after a pickup or callout
	StateTalking // connected to a call, or an inspector on a colleague's call
	StateDialing // an outbound call: the agent is off hook, the customer's phone rings
	StateRest
	StateWork // wrap-up after a call

	lastState = StateWork
)

var stateNames = [...]string{
	StateSignedOut: "signed-out", StateIdle: "idle", StateBusy: "busy", StateRinging: "ringing",
	StateTalking: "talking", StateDialing: "dialing", StateRest: "rest", StateWork: "wrap-up",
}

// String is the state in lower case, e.g. "talking" or "wrap-up".
func (s State) String() string {
	if s >= 0 && s <= lastState {
		return stateNames[s]
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// MarshalText writes the state as String does, so JSON shows "talking".
func (s State) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads what MarshalText writes.
func (s *State) UnmarshalText(b []byte) error {
	for st := StateSignedOut; st <= lastState; st++ {
		if st.String() == string(b) {
			*s = st
			return nil
		}
	}
	return fmt.Errorf("agwtest: unknown agent state %q", b)
}

// gatewayCode is the state code GetAgentStatus answers (the vendor's
// CC-Gateway table: 2 signed out, 3 busy, 4 idle, 5 wrap-up, 7 talking,
// 8 rest). An agent with a ringing or dialing call is in a call: 7.
func (s State) gatewayCode() generated.AgentStateCode {
	switch s {
	case StateIdle:
		return generated.AgentStateCodeIdle
	case StateBusy:
		return generated.AgentStateCodeBusy
	case StateWork:
		return generated.AgentStateCodeWrapUp
	case StateRest:
		return generated.AgentStateCodeRest
	case StateRinging, StateTalking, StateDialing:
		return generated.AgentStateCodeTalking
	}
	return generated.AgentStateCodeSignedOut
}

// trigger is what moves an agent's state: a desk's request, a call event,
// an inspector or the rest timer.
type trigger int

const (
	trSignInIdle trigger = iota
	trSignInBusy
	trSignInWork
	trSignOut // from any state
	trSayFree
	trSayBusy
	trSayBusyAgain // SayBusy with prolong, which also re-enters busy
	trCancelBusy
	trRest
	trRestAgain // Rest with prolong, which also restarts a rest
	trRestEnd   // the rest time is up
	trCancelRest
	trWork
	trCancelWork
	trOffer        // a call rings at the agent, or its phone alerts
	trOfferGone    // the ringing call went to another agent
	trDial         // off hook on a callout: the customer's phone rings
	trConnect      // connected: answer, customer answer, retrieve, intercept
	trCallEnd      // the call ended: idle, or wrap-up without autoenteridle
	trHold         // the call is parked on the hold list
	trSupervise    // an inspector joins a colleague's call
	trSuperviseEnd // and leaves it
	trForceIdle    // an inspector's ForceIdle, which also ends a rest
	trSetIdle      // the SetState test hook, which sends no event
	trSetBusy
	trSetRest
	trSetWork
	trRejectBusy  // Reject mode 1: the call goes back to its queue, the agent busy
	trRejectIdle  // Reject mode 2: the call is released, the agent ready
	trDialInner   // off hook on an internal call to a skill queue
	trOccupy      // the phone is taken by a playback or a conference the agent chairs
	trVacate      // and given back
	trConfJoin    // a member joins an agent conference (no state events are documented)
	trConfLeave   // and leaves it
	trConfDecline // an invitation to a conference is rejected
	trCallTaken   // an inspector took the call over (InterceptCall)
)

// setTriggers are SetState's moves, by the state asked for.
var setTriggers = map[State]*trigger{
	StateIdle: ptr(trSetIdle), StateBusy: ptr(trSetBusy), StateRest: ptr(trSetRest), StateWork: ptr(trSetWork),
}

// fromAnyNonCall is a move to `to` from every state without a call.
func fromAnyNonCall(to State) map[State]step {
	return map[State]step{StateIdle: {to, nil}, StateBusy: {to, nil}, StateRest: {to, nil}, StateWork: {to, nil}}
}

// step is one allowed move: the state reached and the AgentState_* events
// it sends, in order.
type step struct {
	to     State
	events []generated.EventType
}

// afterCall stands for idle or wrap-up, as the session's autoenteridle says.
const afterCall State = -1

const (
	evReady         = generated.EventTypeAgentStateReady
	evSetNotReady   = generated.EventTypeAgentStateSetNotReadySuccess
	evCancelNotRdy  = generated.EventTypeAgentStateCancelNotReadySuccess
	evSetRest       = generated.EventTypeAgentStateSetRestSuccess
	evRestTimeout   = generated.EventTypeAgentStateRestTimeout
	evCancelRest    = generated.EventTypeAgentStateCancelRestSuccess
	evWork          = generated.EventTypeAgentStateWork
	evCancelWork    = generated.EventTypeAgentStateCancelWorkSuccess
	evInService     = generated.EventTypeAgentOtherInService
	evQCStateNotify = generated.EventTypeQCAgentStateNotify
	evBusy          = generated.EventTypeAgentStateBusy
)

func evs(e ...generated.EventType) []generated.EventType { return e }

// transitions is the fake's whole agent state machine: for each trigger,
// the states it may start from and where each leads. A move not listed is
// refused; state operations answer that with 100-009. Call events (ringing,
// talking) are sent by the call code, not here.
var transitions = map[trigger]map[State]step{
	trSignInIdle: {StateSignedOut: {StateIdle, evs(evInService, evReady)}},
	trSignInBusy: {StateSignedOut: {StateBusy, evs(evInService, evReady, evSetNotReady)}},
	trSignInWork: {StateSignedOut: {StateWork, evs(evInService, evReady, evWork)}},
	trSayFree: {
		StateIdle: {StateIdle, evs(evReady)},
		StateBusy: {StateIdle, evs(evCancelNotRdy, evReady)},
		StateWork: {StateIdle, evs(evCancelWork, evReady)},
	},
	trSayBusy:      {StateIdle: {StateBusy, evs(evSetNotReady)}, StateWork: {StateBusy, evs(evSetNotReady)}},
	trSayBusyAgain: {StateIdle: {StateBusy, evs(evSetNotReady)}, StateWork: {StateBusy, evs(evSetNotReady)}, StateBusy: {StateBusy, evs(evSetNotReady)}},
	trCancelBusy:   {StateBusy: {StateIdle, evs(evCancelNotRdy)}},
	trRest: {
		StateIdle: {StateRest, evs(evSetRest)}, StateBusy: {StateRest, evs(evSetRest)}, StateWork: {StateRest, evs(evSetRest)},
	},
	trRestAgain: {
		StateIdle: {StateRest, evs(evSetRest)}, StateBusy: {StateRest, evs(evSetRest)}, StateWork: {StateRest, evs(evSetRest)},
		StateRest: {StateRest, evs(evSetRest)},
	},
	trRestEnd:      {StateRest: {StateIdle, evs(evRestTimeout, evReady)}},
	trCancelRest:   {StateRest: {StateIdle, evs(evCancelRest)}},
	trWork:         {StateIdle: {StateWork, evs(evWork)}, StateBusy: {StateWork, evs(evWork)}},
	trCancelWork:   {StateWork: {StateIdle, evs(evCancelWork)}},
	trOffer:        {StateIdle: {StateRinging, nil}},
	trOfferGone:    {StateRinging: {StateIdle, nil}},
	trDial:         {StateRinging: {StateDialing, nil}},
	trConnect:      {StateRinging: {StateTalking, nil}, StateDialing: {StateTalking, nil}, StateIdle: {StateTalking, nil}},
	trCallEnd:      {StateRinging: {StateIdle, nil}, StateDialing: {StateIdle, nil}, StateTalking: {afterCall, nil}},
	trHold:         {StateTalking: {StateIdle, nil}},
	trSupervise:    {StateIdle: {StateTalking, nil}},
	trSuperviseEnd: {StateTalking: {StateIdle, evs(evReady)}},
	trForceIdle: {
		StateIdle: {StateIdle, evs(evReady)},
		StateBusy: {StateIdle, evs(evCancelNotRdy, evReady)},
		StateWork: {StateIdle, evs(evCancelWork, evReady)},
		StateRest: {StateIdle, evs(evCancelRest, evReady)},
	},
	trSetIdle: fromAnyNonCall(StateIdle),
	trSetBusy: fromAnyNonCall(StateBusy),
	trSetRest: fromAnyNonCall(StateRest),
	trSetWork: fromAnyNonCall(StateWork),

	trRejectBusy:  {StateRinging: {StateBusy, evs(evSetNotReady)}},
	trRejectIdle:  {StateRinging: {StateIdle, evs(evReady)}},
	trDialInner:   {StateRinging: {StateDialing, evs(evBusy)}},
	trOccupy:      {StateIdle: {StateBusy, evs(evBusy)}, StateBusy: {StateBusy, evs(evBusy)}},
	trVacate:      {StateBusy: {StateIdle, evs(evReady)}},
	trConfJoin:    {StateIdle: {StateBusy, nil}},
	trConfLeave:   {StateBusy: {StateIdle, nil}},
	trConfDecline: {StateIdle: {StateIdle, evs(evReady)}},
	trCallTaken:   {StateTalking: {StateIdle, evs(evReady)}},
}

// move applies trigger t to agent a: it checks the table, sets the state,
// sends the step's events (reason is the content of the busy and rest
// events; quiet sends none, for sign-ins that name no status), releases
// inspectors from a call a left, ends the recording of a call that left
// (AgentMediaEvent_StopRecordDone), counts talk time, tells the agents
// monitoring a, and clears the rest deadline. It reports whether the move
// was allowed. Call with g.mu held.
func (g *Gateway) move(a *agent, t trigger, reason int, quiet bool) bool {
	from := a.state
	st, ok := transitions[t][from]
	if t == trSignOut {
		st, ok = step{to: StateSignedOut}, true
	}
	if !ok {
		return false
	}
	if st.to == afterCall {
		st = step{StateIdle, nil}
		if a.sess != nil && !a.sess.autoEnterIdle {
			st = step{StateWork, evs(evWork)}
		}
	}
	a.state = st.to
	if from == StateTalking && st.to != StateTalking && a.desk.qc == nil {
		g.releaseInspectorsOf(a) // inspectors leave with the call
	}
	if from == StateTalking && st.to != StateTalking && t != trHold {
		g.stopRecording(a, a.desk.lastCall) // the recorded call left the agent
	}
	g.countTalk(a, from, st.to)
	a.desk.restUntil = time.Time{} // Rest and ForceRest set it after the move
	if !quiet {
		for _, ev := range st.events {
			var content any
			if ev == evSetNotReady {
				content = generated.AgentStateReasonContent{Reason: str(strconv.Itoa(reason))}
			}
			g.push(a, ev, content)
		}
	}
	g.notifyMonitors(a, t)
	return true
}

// notifyMonitors sends QC_AgentState_Notify to every signed-in agent that
// monitors a (BeginMonitor). Call with g.mu held.
func (g *Gateway) notifyMonitors(a *agent, t trigger) {
	watchers := g.desk.watchers[a.ID]
	if len(watchers) == 0 {
		return
	}
	sub := "QC_AgentState_" + qcSubtype(a.state)
	if t == trSignInIdle || t == trSignInBusy || t == trSignInWork {
		sub = "QC_AgentState_Login"
	}
	content := generated.QCAgentStateNotifyContent{
		Subtype: &sub, Monitoredagent: str(strconv.Itoa(a.ID)), Agentname: ptr(a.displayName()), Mediaserver: ptr(""),
	}
	for id := range watchers {
		if m := g.agents[id]; m != nil && m.sess != nil {
			g.push(m, evQCStateNotify, content)
		}
	}
}

// qcSubtype names a state as QC_AgentState_Notify's subtypes do.
func qcSubtype(s State) string {
	switch s {
	case StateIdle:
		return "Idle"
	case StateBusy:
		return "Busy"
	case StateRest:
		return "Rest"
	case StateWork:
		return "Work"
	case StateRinging:
		return "WaitAnswer"
	case StateDialing:
		return "WaitAlerting"
	case StateTalking:
		return "Active"
	}
	return "Logout"
}
