package agwtest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/agentgateway-go/agentgateway/generated"
)

// phoneHangup hangs up the agent's phone: a call still ringing is given
// up (AgentEvent_No_Answer, content the call ID), a connected one released
// (AgentEvent_Call_Release); either way AgentOther_PhoneRelease follows
// (cec_07_1255). No call: 200-017.
func (g *Gateway) phoneHangup(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := a.call
		if c == nil {
			return failure(generated.RetCodeReleaseNoCall, "no call to hang up")
		}
		g.endCall(c)
		a.call, a.desk.lastCall = nil, c
		if a.state == StateTalking {
			g.push(a, generated.EventTypeAgentEventCallRelease, c.ID)
		} else {
			g.push(a, generated.EventTypeAgentEventNoAnswer, c.ID)
		}
		g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByAgent))
		g.move(a, trCallEnd, 0, false)
		return success()
	})
}

// confJoin makes a three-party call of the agent's connected call and the
// held call body.Callid: the held party joins (it leaves the hold list)
// and the agent gets AgentEvent_Conference naming the other parties. No
// connected call: 200-010; no such held call: 200-011.
func (g *Gateway) confJoin(ctx context.Context, id int, body *generated.ConfJoinRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		if a.call == nil || a.state != StateTalking {
			return failure(generated.RetCodeThreePartyNoCall, "no connected call")
		}
		i := slices.IndexFunc(a.held, func(c *call) bool { return c.ID == body.Callid })
		if i < 0 {
			return failure(generated.RetCodeThreePartyNoHeldCall, "no held call with this callid")
		}
		held := a.held[i]
		a.held = slices.Delete(a.held, i, i+1)
		delete(g.calls, held.ID) // its party is on the agent's call now
		partner := strings.Join([]string{held.Caller, a.call.Caller}, ",")
		g.push(a, generated.EventTypeAgentEventConference, generated.ConferenceContent{Callid: str(a.call.ID), Partner: &partner})
		return success()
	})
}

// OfferPreview is a test hook: the platform offers agentID a preview
// outbound call to numbers (AgentEvent_Preview_CallOut_Ex); PreviewCallout
// may then call one of them with the returned control ID.
func (g *Gateway) OfferPreview(agentID int, numbers ...string) (int64, error) {
	g.lock()
	defer g.mu.Unlock()
	a := g.agents[agentID]
	if a == nil || a.sess == nil {
		return 0, fmt.Errorf("agwtest: agent %d is not signed in", agentID)
	}
	g.desk.previewSeq++
	control := int64(1536 + g.desk.previewSeq)
	if a.desk.previews == nil {
		a.desk.previews = map[int64][]string{}
	}
	a.desk.previews[control] = numbers
	digits := strings.Join(numbers, ",")
	g.push(a, generated.EventTypeAgentEventPreviewCallOutEx, generated.PreviewCallOutContent{
		Controlid: str(strconv.FormatInt(control, 10)), Dialeddigits: &digits, CallData: ptr(""),
	})
	return control, nil
}

// previewCallout calls a number a preview offered, as a callout: a control
// ID or number the offer did not give is 100-007.
func (g *Gateway) previewCallout(ctx context.Context, id int, body *generated.PreviewCalloutRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		numbers, ok := a.desk.previews[body.Callcontrolid]
		if !ok || !slices.Contains(numbers, body.Called) {
			return failure(generated.RetCodeOperationFailed, "no preview offered this number with this control ID")
		}
		r := g.startCallout(a, platformNumber, body.Called)
		if r.ok() {
			delete(a.desk.previews, body.Callcontrolid)
		}
		return r
	})
}
