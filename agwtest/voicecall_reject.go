package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Reject modes (RejectRequest.mode).
const (
	rejectToQueue = 1 // the call goes back to its skill queue, the agent busy
	rejectRelease = 2 // the call is released, the agent idle
)

// reject turns down the call ringing at the agent (one that sent it
// AgentEvent_Ringing; callid, when given, must name it): the agent gets
// AgentEvent_No_Answer (its content the call ID) and
// AgentOther_PhoneRelease {phoneState:2}. Mode 1 then makes the agent busy
// (AgentState_SetNotReady_Success) and puts the call back first in the
// skill queue it came through, to be offered to the next idle agent; a
// call that came through no queue (Ring, a transfer to the agent) is
// released. Mode 2 leaves the agent idle (AgentState_Ready) and releases
// the call. A released internal call fails for its caller
// (AgentEvent_Inside_Call_Fail). Nothing ringing: 200-002.
func (g *Gateway) reject(ctx context.Context, id int, body *generated.RejectRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := a.call
		switch {
		case a.state != StateRinging || c == nil || c.Outbound || c.pickedUp || c.dialSkill != 0:
			// A callout, a pickup or an internal call of the agent's own
			// alerts its phone without AgentEvent_Ringing.
			return failure(generated.RetCodeAnswerNoCall, "no ringing call to reject")
		case body.Callid != nil && *body.Callid != c.ID:
			return failure(generated.RetCodeAnswerNoCall, "no ringing call with this callid")
		}
		a.call, a.desk.lastCall = nil, c
		g.push(a, generated.EventTypeAgentEventNoAnswer, c.ID)
		g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByAgent))
		switch body.Mode {
		case rejectToQueue:
			g.move(a, trRejectBusy, 0, false) // busy first, so that the call is not offered back to it
			if g.desk.skills[c.Skill] != nil {
				g.requeue(c)
				return success()
			}
		case rejectRelease:
			g.move(a, trRejectIdle, 0, false)
		}
		g.endCall(c)
		return success()
	})
}
