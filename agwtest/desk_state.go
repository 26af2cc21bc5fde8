package agwtest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// notSimulated is the message of an operation the fake does not simulate.
const notSimulated = "not implemented by the fake"

// stateOp moves agent id by trigger t; a state the table does not allow t
// from is refused with 100-009.
func (g *Gateway) stateOp(ctx context.Context, id int, t trigger, reason int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply { return g.moveOrRefuse(a, t, reason) })
}

func (g *Gateway) moveOrRefuse(a *agent, t trigger, reason int) reply {
	if a.desk.engaged() || !g.move(a, t, reason, false) {
		return failure(generated.RetCodeSetStateFailed, "agent is "+a.state.String()+"; its state cannot be set so")
	}
	return success()
}

func busyTrigger(prolong *bool) trigger {
	if prolong != nil && *prolong {
		return trSayBusyAgain
	}
	return trSayBusy
}

func (g *Gateway) sayBusy(ctx context.Context, id int, reason *int, prolong *bool) reply {
	return g.stateOp(ctx, id, busyTrigger(prolong), deref(reason))
}

// rest starts (or with prolong restarts) a rest of the given seconds; it
// ends by itself when the fake's clock passes its end (see endRests).
func (g *Gateway) rest(ctx context.Context, id int, seconds int64, cause int, prolong *bool) reply {
	t := trRest
	if prolong != nil && *prolong {
		t = trRestAgain
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		r := g.moveOrRefuse(a, t, cause)
		if r.ok() {
			g.setRest(a, time.Duration(seconds)*time.Second)
		}
		return r
	})
}

func (g *Gateway) agentStatus(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		return successWith(generated.AgentStatus{
			AgentState: ptr(a.state.gatewayCode()), IsWorking: ptr(a.call != nil || a.desk.qc != nil),
		})
	})
}

// setFlag sets a session flag from a path value: "true" is true, anything
// else false, as the vendor reads it.
func (g *Gateway) setFlag(ctx context.Context, id int, set func(s *session, on bool), value string) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		set(a.sess, value == "true")
		return success()
	})
}

// skillList answers the configured skills of agent workNo (the caller
// itself when workNo is 0).
func (g *Gateway) skillList(ctx context.Context, id, workNo int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		if workNo != 0 {
			if a = g.agents[workNo]; a == nil {
				return failure(generated.RetCodeOperationFailed, "workno is not a known agent")
			}
		}
		return successWith(g.skillsNamed(a.Skills))
	})
}

// skillsNamed lists the skill queues ids names. Call with g.mu held.
func (g *Gateway) skillsNamed(ids []int) generated.SkillList {
	list := generated.SkillList{}
	for _, sid := range ids {
		sk := g.desk.skills[sid]
		list = append(list, generated.Skill{Id: &sk.ID, Name: &sk.Name, Mediatype: &sk.MediaType})
	}
	return list
}

// resetSkill joins the agent to all its configured skills (autoflag), or
// to those of the `;` list that are configured for it.
func (g *Gateway) resetSkill(ctx context.Context, id int, all bool, list *string) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		var joined []int
		for _, sid := range a.Skills {
			if all || (list != nil && slices.Contains(strings.Split(*list, ";"), strconv.Itoa(sid))) {
				joined = append(joined, sid)
			}
		}
		a.sess.skills = joined
		return success()
	})
}

// legacyHeartbeat keeps the session alive like Handshake but never
// rotates the Guid (its reply has no Set-GUID); result.loginTime as one
// client reads it.
func (g *Gateway) legacyHeartbeat(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		g.touch(a.sess)
		return successWith(map[string]string{"loginTime": strconv.FormatInt(a.sess.loginTime.UnixMilli(), 10)})
	})
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
