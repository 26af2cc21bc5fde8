package agwtest

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strconv"

	"github.com/agentgateway-go/agentgateway/generated"
)

// boolText is how the vendor answers yes/no queries: "true" or "false".
func boolText(b bool) string { return strconv.FormatBool(b) }

// stateInfo describes agent a for the group queries. Call with g.mu held.
func stateInfo(a *agent) generated.AgentStateInfo {
	return generated.AgentStateInfo{
		Workno: ptr(strconv.Itoa(a.ID)), Name: ptr(a.displayName()),
		Status: ptr(a.state.gatewayCode()), GroupName: ptr(a.Group),
	}
}

// agentInfo is agent a as GetAgentByWorkNo answers it.
func agentInfo(a *agent) generated.AgentInfo {
	ids := []string{}
	if a.call != nil {
		ids = append(ids, a.call.ID)
	}
	for _, c := range a.held {
		ids = append(ids, c.ID)
	}
	return generated.AgentInfo{
		Workno: str(strconv.Itoa(a.ID)), Name: ptr(a.displayName()),
		Status: num(int(a.state.gatewayCode())), Groupname: ptr(a.Group),
		Callids: mustJSON(ids), Skilllist: mustJSON(a.Skills),
	}
}

// agentList answers the agents keep selects, by ID, as AgentStateInfo.
func (g *Gateway) agentList(ctx context.Context, id int, keep func(a *agent) bool) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		return successWith(g.stateInfos(keep))
	})
}

// stateInfos lists the agents keep selects, by ID. Call with g.mu held.
func (g *Gateway) stateInfos(keep func(a *agent) bool) generated.AgentStateInfoList {
	var sel []*agent
	for _, a := range g.agents {
		if keep(a) {
			sel = append(sel, a)
		}
	}
	slices.SortFunc(sel, func(x, y *agent) int { return cmp.Compare(x.ID, y.ID) })
	list := generated.AgentStateInfoList{}
	for _, a := range sel {
		list = append(list, stateInfo(a))
	}
	return list
}

// aboutAgent answers what of agent workNo the function gives; an unknown
// agent is 100-007.
func (g *Gateway) aboutAgent(ctx context.Context, id, workNo int, what func(t *agent) any) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		t := g.agents[workNo]
		if t == nil {
			return failure(generated.RetCodeOperationFailed, "workno is not a known agent")
		}
		return successWith(what(t))
	})
}

// ofAgent answers what of the calling agent the function gives.
func (g *Gateway) ofAgent(ctx context.Context, id int, what func(a *agent) any) reply {
	return g.asAgent(ctx, id, func(a *agent) reply { return successWith(what(a)) })
}

func (g *Gateway) groupOf(a *agent) generated.AgentGroup {
	return generated.AgentGroup{Name: ptr(a.Group), Id: ptr(g.desk.groupIDs[a.Group]), Monitorno: ptr(0)}
}

func (g *Gateway) idleAgents(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		list := generated.IdleAgentList{}
		for _, info := range g.stateInfos(func(a *agent) bool { return a.sess != nil && a.state == StateIdle }) {
			list = append(list, generated.IdleAgent{Workno: info.Workno, Name: info.Name})
		}
		return successWith(list)
	})
}

func (g *Gateway) groupsOnVdn(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		list := []generated.AgentGroup{}
		for name, gid := range g.desk.groupIDs {
			list = append(list, generated.AgentGroup{Name: ptr(name), Id: ptr(gid), Monitorno: ptr(0)})
		}
		slices.SortFunc(list, func(x, y generated.AgentGroup) int { return cmp.Compare(*x.Id, *y.Id) })
		return successWith(list)
	})
}

// agentsOnGroup lists the agents of group groupID; 100-007 for an unknown
// group.
func (g *Gateway) agentsOnGroup(ctx context.Context, id, groupID int) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		for name, gid := range g.desk.groupIDs {
			if gid == groupID {
				return successWith(g.stateInfos(func(a *agent) bool { return a.Group == name }))
			}
		}
		return failure(generated.RetCodeOperationFailed, "groupid is not a known group")
	})
}

// waitNum counts the callers waiting in the skills skillsOf gives.
func (g *Gateway) waitNum(ctx context.Context, id int, skillsOf func(a *agent) []int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply { return successWith(g.waiting(skillsOf(a))) })
}

func (g *Gateway) vdnSkills(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(*agent) reply { return successWith(g.vdnSkillList()) })
}

// vdnSkillList lists the configured skill queues, by ID. Call with g.mu
// held.
func (g *Gateway) vdnSkillList() generated.VdnSkillList {
	list := generated.VdnSkillList{}
	for _, sid := range slices.Sorted(maps.Keys(g.desk.skills)) {
		sk := g.desk.skills[sid]
		list = append(list, generated.VdnSkill{
			Id: &sk.ID, Name: &sk.Name, Mediatype: &sk.MediaType, ServiceType: ptr(0),
			RealFlag: ptr(generated.VdnSkillRealFlagN1),
		})
	}
	return list
}

// notImplemented answers the operations the fake does not simulate, after
// the Guid check.
func (g *Gateway) notImplemented(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(*agent) reply { return failure(generated.RetCodeOperationFailed, notSimulated) })
}
