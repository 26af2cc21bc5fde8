package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Quality control of calls: an inspector releasing or taking over a named
// call, ending a monitor, and reading a colleague's held calls.

// forceDropCall is an inspector releasing call callID, which must be
// connected at an agent: that agent gets AgentEvent_Call_Release (its
// content the call ID) and AgentOther_PhoneRelease {phoneState:3} and
// leaves the call as after a release. No right: 900-002; an unknown call:
// 900-004; a call not connected (ringing, held, queuing): 900-005; the
// inspector's own call: 000-005.
func (g *Gateway) forceDropCall(ctx context.Context, id int, callID string) reply {
	return g.asAgent(ctx, id, func(in *agent) reply {
		c := g.calls[callID]
		var t *agent
		if c != nil {
			t = g.agentOn(c)
		}
		switch {
		case !in.Inspector:
			return failure(generated.RetCodeQCNoRight, "agent has no quality-control right")
		case c == nil:
			return failure(generated.RetCodeQCNoAgentInfo, "callid is not a call of the gateway")
		case t == nil || t.state != StateTalking:
			return failure(generated.RetCodeQCStateError, "the call is not connected at an agent")
		case t == in:
			return failure(generated.RetCodeInspectingSelf, "the call is the inspector's own")
		}
		g.endCall(c)
		t.call, t.desk.lastCall = nil, c
		g.push(t, generated.EventTypeAgentEventCallRelease, c.ID)
		g.push(t, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByPlatform))
		g.move(t, trCallEnd, 0, false)
		return success()
	})
}

// interceptCall is an inspector on workNo's call (listening, barging in or
// whispering) taking over its call callID, as the development guide
// describes: the agent gets AgentEvent_Call_Release,
// AgentEvent_Customer_Release, AgentOther_PhoneRelease {phoneState:3} and
// AgentState_Ready and is idle; the inspector, already off hook, gets
// AgentEvent_Talking and talks with the customer. The checks are
// Intercept's; callId not naming workNo's connected call: 900-005.
func (g *Gateway) interceptCall(ctx context.Context, id, workNo int, callID string) reply {
	return g.onCall(ctx, id, workNo, func(in *agent, _ *supervision) reply {
		t := g.agents[workNo]
		c := t.call
		if c == nil || c.ID != callID || t.state != StateTalking {
			return failure(generated.RetCodeQCStateError, "callId is not workNo's connected call")
		}
		in.desk.qc = nil
		t.call, t.desk.lastCall = nil, c
		g.push(t, generated.EventTypeAgentEventCallRelease, c.ID)
		g.push(t, generated.EventTypeAgentEventCustomerRelease, generated.CustomerReleaseContent{Callid: str(c.ID), Number: str(customerNumber(c))})
		g.push(t, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByPlatform))
		g.move(t, trCallTaken, 0, false)
		c.Agent, c.muted = in.ID, false
		in.call = c
		g.push(in, generated.EventTypeAgentEventTalking, talkingContent(c))
		return success()
	})
}

// customerNumber is the number of the other party of a call.
func customerNumber(c *call) string {
	if c.Outbound {
		return c.Called
	}
	return c.Caller
}

// endMonitor stops the agent monitoring every agent in the `;` list
// (BeginMonitor); agents it does not monitor are ignored, an unknown one
// refuses the request with 100-007.
func (g *Gateway) endMonitor(ctx context.Context, id int, list string) reply {
	return g.asAgent(ctx, id, func(m *agent) reply {
		ids, refused := g.parseAgents(list)
		if ids == nil {
			return refused
		}
		for _, n := range ids {
			delete(g.desk.watchers[n], m.ID)
			delete(m.desk.watching, n)
		}
		return success()
	})
}

// holdListOf answers, for an inspector, the calls agent workNo holds,
// oldest hold first, with the fields the vendor's page lists: callid,
// callfeature, caller, called and callskill. Not an inspector: 300-001; an
// unknown agent: 100-007; no held call: 400-003.
func (g *Gateway) holdListOf(ctx context.Context, id, workNo int) reply {
	return g.asAgent(ctx, id, func(in *agent) reply {
		t := g.agents[workNo]
		switch {
		case !in.Inspector:
			return failure(generated.RetCodeAgentQueryNoRight, "agent has no right to read other agents' calls")
		case t == nil:
			return failure(generated.RetCodeOperationFailed, "workno is not a known agent")
		case len(t.held) == 0:
			return failure(generated.RetCodeNoHeldCall, "no held call")
		}
		list := make(generated.HoldList, len(t.held))
		for i, c := range t.held {
			feature := 0
			if c.Outbound {
				feature = 7
			}
			list[i] = generated.HeldCall{
				Callid: str(c.ID), Callfeature: num(feature), Caller: str(c.Caller), Called: str(c.Called),
			}
			if sk := g.desk.skills[c.Skill]; sk != nil {
				list[i].Callskill = &sk.Name
			}
		}
		return successWith(list)
	})
}
