package agwtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Ring offers an external inbound call from caller to a signed-in idle
// agent: the agent rings and gets AgentEvent_Ringing. The call keeps
// ringing whatever the agent's autoanswer, so that it can be picked up;
// answer it with PUT .../answer.
func (g *Gateway) Ring(agentID int, caller string) (string, error) {
	return g.ring(agentID, caller, false)
}

// newCall registers a call with a new ID shaped like the vendor's
// ("1455885056-1095"). Call with g.mu held.
func (g *Gateway) newCall(c Call) *call {
	g.callSeq++
	c.ID = strconv.FormatInt(g.epoch, 10) + "-" + strconv.Itoa(g.callSeq)
	nc := &call{Call: c, began: g.cfg.now()}
	g.calls[c.ID] = nc
	return nc
}

// RingInternal is Ring for an internal call, which SnatchPickup refuses.
func (g *Gateway) RingInternal(agentID int, caller string) (string, error) {
	return g.ring(agentID, caller, true)
}

func (g *Gateway) ring(agentID int, caller string, internal bool) (string, error) {
	if caller == "" {
		return "", errors.New("agwtest: empty caller number")
	}
	g.lock()
	defer g.mu.Unlock()
	a := g.agents[agentID]
	switch {
	case a == nil:
		return "", fmt.Errorf("agwtest: unknown agent %d", agentID)
	case a.state != StateIdle:
		return "", fmt.Errorf("agwtest: agent %d is %v, not idle", agentID, a.state)
	}
	c := g.newCall(Call{Caller: caller, Called: a.Phone, Internal: internal, Agent: a.ID})
	a.call = c
	g.move(a, trOffer, 0, false)
	g.push(a, generated.EventTypeAgentEventRinging, ringingContent(c))
	return c.ID, nil
}

// Hangup is the remote party hanging up. The agent the call rang or talked
// at returns to idle and gets AgentOther_PhoneRelease {phoneState:3}; a
// held call just disappears from the hold list. Either leg of an internal
// call between two agents ends both.
func (g *Gateway) Hangup(callID string) error {
	g.lock()
	defer g.mu.Unlock()
	c := g.calls[callID]
	if c == nil {
		return fmt.Errorf("agwtest: no call %q", callID)
	}
	g.hangUp(c)
	return nil
}

// hangUp ends call c from the far end: a callout or an internal call not
// yet answered fails (AgentEvent_Call_Out_Fail, AgentEvent_Inside_Call_Fail),
// then its agent gets AgentOther_PhoneRelease {phoneState:3}. Call with
// g.mu held.
func (g *Gateway) hangUp(c *call) {
	g.endCall(c)
	a := g.agents[c.Agent]
	if a == nil { // still queuing for an agent
		return
	}
	if a.call == c {
		switch {
		case c.Outbound && a.state != StateTalking:
			// The customer did not answer: the callout failed.
			g.push(a, generated.EventTypeAgentEventCallOutFail, c.ID)
		case c.dialSkill != 0 && a.state != StateTalking:
			g.push(a, generated.EventTypeAgentEventInsideCallFail, c.ID)
		}
		a.call, a.desk.lastCall = nil, c
		g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByPlatform))
		g.move(a, trCallEnd, 0, false)
		return
	}
	a.held = slices.DeleteFunc(a.held, func(h *call) bool { return h == c })
	g.stopRecording(a, c)
}

// connect puts a ringing call through to its agent. A call that arrived by
// pickup gets the sequence of the vendor's snatchpickup page; a plain ring
// gets AgentEvent_Talking (and so does the agent that placed an internal
// call); an outbound call goes on to ring the customer, an internal call
// to a skill queue an agent of the queue.
// Call with g.mu held.
func (g *Gateway) connect(a *agent, c *call) {
	switch {
	case c.Outbound:
		g.dial(a, c)
		return
	case c.dialSkill != 0:
		g.dialInner(a, c)
		return
	}
	g.statsOf(a).answered++
	g.move(a, trConnect, 0, false)
	if !c.pickedUp {
		g.push(a, generated.EventTypeAgentEventTalking, talkingContent(c))
		g.connectPeer(c)
		return
	}
	g.taskSeq++
	g.push(a, generated.EventTypeAgentOtherPhoneOffhook, offhookContent())
	g.push(a, generated.EventTypeAgentEventTalking, talkingContent(c))
	g.push(a, generated.EventTypeAgentEventIncomingCallInfo, callInfoContent(c))
	g.push(a, generated.EventTypeAgentMediaEventRecord, recordContent(c, a.ID, g.taskSeq, time.Now()))
}

// answer connects the call ringing at the agent; callID, when given, must
// name it. noCall is the retcode when there is nothing to answer.
func (g *Gateway) answer(ctx context.Context, id int, callID *string, noCall string) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		if a.state != StateRinging || a.call == nil {
			return failure(noCall, "no call to answer")
		}
		if callID != nil && *callID != a.call.ID {
			return failure(noCall, "no ringing call with this callid")
		}
		g.connect(a, a.call)
		return success()
	})
}

// release hangs up the agent's current call: AgentEvent_Call_Release (its
// content is the call ID), then AgentOther_PhoneRelease {phoneState:2}.
// The other agent of an internal call is hung up (hangUp).
func (g *Gateway) release(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := a.call
		if c == nil {
			return failure(generated.RetCodeReleaseNoCall, "no call to release")
		}
		g.endCall(c)
		a.call, a.desk.lastCall = nil, c
		g.push(a, generated.EventTypeAgentEventCallRelease, c.ID)
		g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByAgent))
		g.move(a, trCallEnd, 0, false)
		return success()
	})
}

// hold parks the talking call on the agent's hold list (AgentEvent_Hold,
// content the call ID); the agent is idle until it takes the call back.
func (g *Gateway) hold(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		switch {
		case a.call == nil:
			return failure(generated.RetCodeHoldNoCall, "no call to hold")
		case a.state != StateTalking:
			return failure(generated.RetCodeHoldBadState, "call is not connected")
		}
		c := a.call
		a.held = append(a.held, c)
		a.call = nil
		g.move(a, trHold, 0, false)
		g.push(a, generated.EventTypeAgentEventHold, c.ID)
		return success()
	})
}

// getHold takes a held call back: AgentEvent_Talking.
func (g *Gateway) getHold(ctx context.Context, id int, callID string) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		i := slices.IndexFunc(a.held, func(c *call) bool { return c.ID == callID || callID == "" }) // none named: the first
		switch {
		case i < 0:
			return failure(generated.RetCodeGetHoldNoHeldCall, "no held call with this callid")
		case a.state != StateIdle:
			return failure(generated.RetCodeGetHoldBadState, "agent is not idle")
		}
		c := a.held[i]
		a.held = slices.Delete(a.held, i, i+1)
		a.call = c
		g.move(a, trConnect, 0, false)
		g.push(a, generated.EventTypeAgentEventTalking, talkingContent(c))
		return success()
	})
}

// holdList answers result [{"callid": ...}, ...], oldest hold first.
func (g *Gateway) holdList(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		if len(a.held) == 0 {
			return failure(generated.RetCodeNoHeldCall, "no held call")
		}
		list := make([]map[string]string, len(a.held))
		for i, c := range a.held {
			list[i] = map[string]string{"callid": c.ID}
		}
		return successWith(list)
	})
}

// mute and unmute flip the talking call's mute flag; no event is sent (the
// vendor documents none). Mute: 200-003 without a call, 200-004 unless it
// is connected and not muted; unmute: 200-007 and 200-008 likewise.
func (g *Gateway) mute(ctx context.Context, id int, on bool) reply {
	noCall, badState := generated.RetCodeMuteNoCall, generated.RetCodeMuteBadState
	if !on {
		noCall, badState = generated.RetCodeUnmuteNoCall, generated.RetCodeUnmuteBadState
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		switch {
		case a.call == nil:
			return failure(noCall, "no call")
		case a.state != StateTalking || a.call.muted == on:
			return failure(badState, "call is not connected, or already in that mute state")
		}
		a.call.muted = on
		return success()
	})
}

// Transfer device types the fake tells apart.
const transferToAgent = 2

// transfer is a blind transfer of the talking call. To an agent
// (devicetype 2, address its ID) the call rings at that agent, who must be
// signed in, idle and not the transferring agent (else 100-007); to any
// other device the call leaves the fake. Either way the transferring agent
// gets AgentEvent_Call_Release and AgentOther_PhoneRelease {phoneState:2}
// and is idle. No talking call: 200-012.
func (g *Gateway) transfer(ctx context.Context, id int, body *generated.TransferRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := a.call
		if c == nil || a.state != StateTalking {
			return failure(generated.RetCodeTransferNoCall, "no call to transfer")
		}
		var to *agent
		if body.Devicetype == transferToAgent {
			target, err := strconv.Atoi(body.Address)
			to = g.agents[target]
			switch {
			case err != nil || to == nil:
				return failure(generated.RetCodeOperationFailed, "address is not a known agent")
			case to == a:
				return failure(generated.RetCodeOperationFailed, "address is the transferring agent")
			case to.sess == nil || to.state != StateIdle:
				return failure(generated.RetCodeOperationFailed, "target agent is not signed in and idle")
			}
		}
		a.call, a.desk.lastCall = nil, c
		c.muted = false
		g.push(a, generated.EventTypeAgentEventCallRelease, c.ID)
		g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByAgent))
		g.move(a, trCallEnd, 0, false)
		if to == nil {
			// The call leaves the fake; the other agent of an internal call
			// stays on it with the device transferred to.
			g.unlink(c)
			delete(g.calls, c.ID)
			return success()
		}
		// At its new agent the call rings like any offered call, whoever
		// placed it.
		c.Agent, c.pickedUp, c.Outbound = to.ID, false, false
		to.call = c
		g.move(to, trOffer, 0, false)
		g.push(to, generated.EventTypeAgentEventRinging, ringingContent(c))
		return success()
	})
}
