package agwtest

import (
	"context"

	"github.com/agentgateway-go/agentgateway/generated"
)

// The queue-device queries: the IVR flows, access codes and skill queues
// of the fake's one VDN, and the queues an agent signed in to.

// fakeVdn is the ID of the fake's one VDN.
const fakeVdn = 1

// hotline is the VDN's access code, which customer calls (RingSkill) dial.
const hotline = "88000"

// ivrFlows are the fake VDN's IVR flows, a small demo set.
func ivrFlows() generated.IvrInfoList {
	return generated.IvrInfoList{
		{Access: str("88010"), Id: num(1), Description: ptr("demo welcome menu"), ServiceNo: str("1")},
		{Access: str("88011"), Id: num(2), Description: ptr("demo satisfaction survey"), ServiceNo: str("2")},
	}
}

// accessCodes are the fake VDN's system access codes: the hotline.
func accessCodes() generated.AccessCodeInfoList {
	return generated.AccessCodeInfoList{
		{Description: ptr("demo hotline"), Id: num(1), Inno: str(hotline), Vdnid: num(fakeVdn), Mediatype: num(voiceMedia)},
	}
}

// vdnSkillsOf answers the skill queues of VDN vdnid, which must be the
// fake's (100-007 otherwise): the configured skills, as GetAgentVdnSkill.
func (g *Gateway) vdnSkillsOf(ctx context.Context, id, vdnid int) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		if vdnid != fakeVdn {
			return failure(generated.RetCodeOperationFailed, "vdnid is not the agent's VDN")
		}
		return successWith(g.vdnSkillList())
	})
}

// signedSkills answers the skill queues agent workNo joined (ResetSkill);
// none while it is signed out, and 100-007 for an unknown agent.
func (g *Gateway) signedSkills(ctx context.Context, id, workNo int) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		t := g.agents[workNo]
		switch {
		case t == nil:
			return failure(generated.RetCodeOperationFailed, "workno is not a known agent")
		case t.sess == nil:
			return successWith(generated.SkillList{})
		}
		return successWith(g.skillsNamed(t.sess.skills))
	})
}
