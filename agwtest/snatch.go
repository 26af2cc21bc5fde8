package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// snatchPickup moves the call ringing at agent dest to the picker, checking
// every prerequisite of the vendor's "Picking Up a Call for Other Agents"
// page; each failed one is 100-007 with its own message. The whole check
// and move happen under g.mu, so of two pickers racing for one call exactly
// one wins.
func (g *Gateway) snatchPickup(ctx context.Context, pickerID, destID int) reply {
	return g.asAgent(ctx, pickerID, func(p *agent) reply {
		d := g.agents[destID]
		var why string
		switch {
		case destID == pickerID:
			why = "destWorkNo is the picking agent itself"
		case !p.CanPickUp:
			why = "agent has no group pickup permission"
		case p.state != StateIdle:
			why = "agent is not idle"
		case d == nil:
			why = "destWorkNo is not a known agent"
		case d.sess == nil:
			why = "destWorkNo is not signed in"
		case d.state != StateRinging || d.call == nil:
			why = "destWorkNo is not ringing"
		case d.call.Internal:
			why = "the ringing call is internal"
		case d.call.Outbound:
			why = "the ringing call is the agent's own callout"
		case d.Group != p.Group:
			why = "destWorkNo is in another group"
		}
		if why != "" {
			return failure(generated.RetCodeOperationFailed, why)
		}

		c := d.call
		d.call = nil
		g.move(d, trOfferGone, 0, false)
		g.push(d, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByPlatform))

		c.Agent, c.pickedUp = p.ID, true
		p.call = c
		g.move(p, trOffer, 0, false)
		g.push(p, generated.EventTypeAgentOtherPhoneAlerting, nil)
		if p.sess.autoAnswer {
			g.connect(p, c)
		}
		return success()
	})
}
