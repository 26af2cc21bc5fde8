package agwtest

import (
	"context"
	"strconv"

	"github.com/agentgateway-go/agentgateway/generated"
)

// An internal call to a skill queue (CallInnerSkill) has a leg per agent:
// the calling agent's, whose ID CallInnerSkill answers, and the called
// agent's, with its own ID, each a call of the fake linked to the other by
// call.peer. Every operation acts on one leg as on any call (hold,
// transfer, intercept move it); when a leg ends, the other agent is hung
// up as by the remote party (hangUp).

// callInnerSkill places an internal call to skill queue skillId: the
// agent's phone alerts (AgentOther_PhoneAlerting); once off hook (at once
// with autoanswer, else on Answer or PhonePickup) it gets
// AgentOther_PhoneOffhook and AgentState_Busy, and the idle agent of the
// queue with the lowest ID rings (AgentEvent_Ringing) while the caller
// hears it ring (AgentEvent_Customer_Alerting); when that agent answers,
// both get AgentEvent_Talking. With no idle agent in the queue the call
// fails: AgentEvent_Inside_Call_Fail (its content the call ID) and
// AgentOther_PhoneRelease. An unknown skill, an agent in a call or one not
// idle: 100-007 (held calls are allowed).
func (g *Gateway) callInnerSkill(ctx context.Context, id int, body *generated.CallInnerSkillRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		switch {
		case g.desk.skills[body.SkillId] == nil:
			return failure(generated.RetCodeOperationFailed, "skillId is not a known skill queue")
		case a.call != nil || a.desk.engaged():
			return failure(generated.RetCodeOperationFailed, "agent is in a call")
		case a.state != StateIdle:
			return failure(generated.RetCodeOperationFailed, "agent is not idle")
		}
		c := g.newCall(Call{Caller: strconv.Itoa(a.ID), Internal: true, Agent: a.ID})
		c.dialSkill = body.SkillId
		a.call = c
		g.move(a, trOffer, 0, false)
		g.push(a, generated.EventTypeAgentOtherPhoneAlerting, nil)
		if a.sess.autoAnswer {
			g.dialInner(a, c)
		}
		return successWith(c.ID)
	})
}

// dialInner takes the calling agent's phone off hook and offers the call
// to an idle agent of the skill queue, or fails it. Call with g.mu held.
func (g *Gateway) dialInner(a *agent, c *call) {
	g.push(a, generated.EventTypeAgentOtherPhoneOffhook, offhookContent())
	g.move(a, trDialInner, 0, false)
	t := g.idleAgentFor(c.dialSkill)
	if t == nil {
		g.hangUp(c) // AgentEvent_Inside_Call_Fail, AgentOther_PhoneRelease
		return
	}
	leg := g.newCall(Call{Caller: c.Caller, Internal: true, Skill: c.dialSkill})
	c.peer, leg.peer = leg, c
	g.offer(t, leg)
}

// offer rings agent t, which must be idle, with call c: AgentEvent_Ringing.
// The agent on the other leg of an internal call hears it ring:
// AgentEvent_Customer_Alerting naming t. Call with g.mu held.
func (g *Gateway) offer(t *agent, c *call) {
	c.Agent = t.ID
	t.call = c
	p := c.peer
	if p != nil {
		c.Called = strconv.Itoa(t.ID)
		p.Called = c.Called
	}
	g.move(t, trOffer, 0, false)
	g.push(t, generated.EventTypeAgentEventRinging, ringingContent(c))
	if caller := g.agentOn(p); caller != nil && caller.state == StateDialing {
		g.push(caller, generated.EventTypeAgentEventCustomerAlerting, generated.CustomerAlertingContent{
			Callid: str(p.ID), OtherPhone: str(t.Phone), OtherPhoneWorkno: str(strconv.Itoa(t.ID)), Type: ptr("main"),
		})
	}
}

// connectPeer connects the agent waiting on the other leg of an internal
// call that was just answered: AgentEvent_Talking. Call with g.mu held.
func (g *Gateway) connectPeer(c *call) {
	p := c.peer
	if caller := g.agentOn(p); caller != nil && caller.state == StateDialing {
		g.move(caller, trConnect, 0, false)
		g.push(caller, generated.EventTypeAgentEventTalking, talkingContent(p))
	}
}

// agentOn is the agent whose current call is c, or nil. Call with g.mu
// held.
func (g *Gateway) agentOn(c *call) *agent {
	if c == nil {
		return nil
	}
	if a := g.agents[c.Agent]; a != nil && a.call == c {
		return a
	}
	return nil
}

// endCall removes call c from the fake (and from its queue); the other leg
// of an internal call is hung up. Call with g.mu held.
func (g *Gateway) endCall(c *call) {
	delete(g.calls, c.ID)
	g.dequeue(c)
	if p := g.unlink(c); p != nil {
		g.hangUp(p)
	}
}

// unlink separates the legs of an internal call and returns the other
// leg, if any. Call with g.mu held.
func (g *Gateway) unlink(c *call) *call {
	p := c.peer
	if p != nil {
		c.peer, p.peer = nil, nil
	}
	return p
}

// requeue puts a call an agent gave back first in its skill queue, then
// offers waiting calls. Call with g.mu held.
func (g *Gateway) requeue(c *call) {
	c.Agent = 0
	if g.desk.queues == nil {
		g.desk.queues = make(map[int][]*call)
	}
	g.desk.queues[c.Skill] = append([]*call{c}, g.desk.queues[c.Skill]...)
	g.desk.queued++
	g.offerQueued()
}
