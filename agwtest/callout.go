package agwtest

import (
	"context"
	"fmt"

	"github.com/agentgateway-go/agentgateway/generated"
)

// platformNumber is the calling number of a callout that names none.
const platformNumber = "4008000000"

// callout makes an outbound call, following the vendor's callout scenario:
// the agent's phone alerts (AgentOther_PhoneAlerting); once it is off hook
// (at once with autoanswer, else on Answer or PhonePickup) the agent gets
// AgentOther_PhoneOffhook and AgentEvent_Customer_Alerting and is dialing;
// RemoteAnswer then connects the customer (AgentEvent_Talking) and Hangup
// fails the call (AgentEvent_Call_Out_Fail, AgentOther_PhoneRelease). The
// result is the new call's ID. An agent with a ringing, dialing or talking
// call, on a colleague's call, playing or in a conference gets 100-007;
// held calls are allowed.
func (g *Gateway) callout(ctx context.Context, id int, body *generated.CalloutRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		caller := platformNumber
		if body.Caller != nil && *body.Caller != "" {
			caller = *body.Caller
		}
		return g.startCallout(a, caller, body.Called)
	})
}

// startCallout is the callout scenario from the agent's phone alerting on
// (PreviewCallout shares it). Call with g.mu held.
func (g *Gateway) startCallout(a *agent, caller, called string) reply {
	if a.call != nil || a.desk.engaged() {
		return failure(generated.RetCodeOperationFailed, "agent is in a call")
	}
	c := g.newCall(Call{Caller: caller, Called: called, Agent: a.ID, Outbound: true})
	a.call = c
	g.statsOf(a).callouts++
	g.move(a, trOffer, 0, false)
	g.push(a, generated.EventTypeAgentOtherPhoneAlerting, nil)
	if a.sess.autoAnswer {
		g.dial(a, c)
	}
	return successWith(c.ID)
}

// dial rings the customer of an outbound call once the agent is off hook.
// Call with g.mu held.
func (g *Gateway) dial(a *agent, c *call) {
	g.move(a, trDial, 0, false)
	g.push(a, generated.EventTypeAgentOtherPhoneOffhook, offhookContent())
	g.push(a, generated.EventTypeAgentEventCustomerAlerting, generated.CustomerAlertingContent{
		Callid: str(c.ID), OtherPhone: str(c.Called), OtherPhoneWorkno: str(""), Type: ptr("main"),
	})
}

// RemoteAnswer is a test hook: the customer of an outbound call answers.
// The agent, who must be dialing, gets AgentEvent_Talking.
func (g *Gateway) RemoteAnswer(callID string) error {
	g.lock()
	defer g.mu.Unlock()
	c := g.calls[callID]
	if c == nil || !c.Outbound {
		return fmt.Errorf("agwtest: no outbound call %q", callID)
	}
	a := g.agents[c.Agent]
	if a.call != c || a.state != StateDialing {
		return fmt.Errorf("agwtest: call %q is not ringing the customer", callID)
	}
	g.move(a, trConnect, 0, false)
	g.push(a, generated.EventTypeAgentEventTalking, talkingContent(c))
	return nil
}
