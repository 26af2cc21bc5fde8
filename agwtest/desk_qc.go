package agwtest

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Quality control: an inspector (Agent.Inspector) on a colleague's call
// or forcing its state. The QC pages list 900-00x without meanings; the
// fake answers each refusal with the code whose meaning (the spec's
// x-retcodes) fits it best.

// asInspector runs act for inspector id acting on agent workNo, after the
// checks every quality-control operation shares.
func (g *Gateway) asInspector(ctx context.Context, id, workNo int, act func(in, t *agent) reply) reply {
	return g.asAgent(ctx, id, func(in *agent) reply {
		t := g.agents[workNo]
		switch {
		case !in.Inspector:
			return failure(generated.RetCodeQCNoRight, "agent has no quality-control right")
		case t == nil || t.sess == nil:
			return failure(generated.RetCodeQCNoAgentInfo, "workNo is not a signed-in agent")
		case t == in:
			return failure(generated.RetCodeInspectingSelf, "workNo is the inspector itself")
		}
		return act(in, t)
	})
}

// supervise puts an idle inspector on t's connected call in mode (listen
// or barge in); t gets AgentOther_BeQcStart with the mode as qcType.
func (g *Gateway) supervise(ctx context.Context, id, workNo, mode int) reply {
	return g.asInspector(ctx, id, workNo, func(in, t *agent) reply {
		switch {
		case in.state != StateIdle || in.desk.qc != nil:
			return failure(generated.RetCodeQCStateError, "inspector is not idle")
		case t.state != StateTalking || t.call == nil:
			return failure(generated.RetCodeQCStateError, "workNo has no connected call")
		}
		in.desk.qc = &supervision{target: t.ID, mode: mode}
		g.move(in, trSupervise, 0, false)
		g.push(t, generated.EventTypeAgentOtherBeQcStart, generated.BeQcContent{QcType: num(mode), QcAgentId: num(in.ID)})
		return success()
	})
}

// intercept moves t's connected call to the inspector, who must be idle or
// on that call: t gets AgentOther_PhoneRelease and leaves the call as after
// a release; the inspector gets AgentEvent_Talking.
func (g *Gateway) intercept(ctx context.Context, id, workNo int) reply {
	return g.asInspector(ctx, id, workNo, func(in, t *agent) reply {
		onIt := in.desk.qc != nil && in.desk.qc.target == t.ID
		switch {
		case t.state != StateTalking || t.call == nil:
			return failure(generated.RetCodeQCStateError, "workNo has no connected call")
		case !onIt && (in.state != StateIdle || in.desk.qc != nil):
			return failure(generated.RetCodeQCStateError, "inspector is neither idle nor on this call")
		}
		if onIt {
			g.stopSupervising(in, true)
		}
		c := t.call
		t.call, t.desk.lastCall = nil, c
		g.push(t, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByPlatform))
		g.move(t, trCallEnd, 0, false)
		c.Agent, c.muted = in.ID, false
		in.call = c
		g.move(in, trConnect, 0, false)
		g.push(in, generated.EventTypeAgentEventTalking, talkingContent(c))
		return success()
	})
}

// onCall runs act when the inspector is on workNo's call; else 900-003.
func (g *Gateway) onCall(ctx context.Context, id, workNo int, act func(in *agent, qc *supervision) reply) reply {
	return g.asInspector(ctx, id, workNo, func(in, t *agent) reply {
		if in.desk.qc == nil || in.desk.qc.target != t.ID {
			return failure(generated.RetCodeQCStateError, "inspector is not on workNo's call")
		}
		return act(in, in.desk.qc)
	})
}

func (g *Gateway) stopSupervision(ctx context.Context, id, workNo int) reply {
	return g.onCall(ctx, id, workNo, func(in *agent, _ *supervision) reply {
		g.stopSupervising(in, true)
		return success()
	})
}

// setMode changes how the inspector is on the call; next maps the current
// mode to the new one.
func (g *Gateway) setMode(ctx context.Context, id, workNo int, next func(mode int) int) reply {
	return g.onCall(ctx, id, workNo, func(_ *agent, qc *supervision) reply {
		qc.mode = next(qc.mode)
		return success()
	})
}

// whisperTarget is the whisper operations' agent: whisperagentid, or the
// agent the inspector is on (0 when neither).
func (g *Gateway) whisperTarget(id int, whisper *int) int {
	if whisper != nil {
		return *whisper
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if a := g.agents[id]; a != nil && a.desk.qc != nil {
		return a.desk.qc.target
	}
	return 0
}

// busyByInspector is the SetNotReady reason of a forced busy.
const busyByInspector = 3

// switchModes are RequestSwitchInsertWhisperAgent's switchtype values.
var switchModes = map[int]int{0: qcListen, 1: qcInsert, 2: qcWhisper}

// force moves agent workNo by t as an inspector asks (reason 3, "forced
// by an inspector", for busy); a state t does not allow is 100-009.
func (g *Gateway) force(ctx context.Context, id, workNo int, t trigger, reason int, rest int64) reply {
	return g.asInspector(ctx, id, workNo, func(_, a *agent) reply {
		r := g.moveOrRefuse(a, t, reason)
		if r.ok() && rest > 0 {
			g.setRest(a, secs(rest))
		}
		return r
	})
}

func (g *Gateway) forceSignOut(ctx context.Context, id, workNo int) reply {
	return g.asInspector(ctx, id, workNo, func(_, t *agent) reply {
		g.endSession(t)
		return success()
	})
}

func (g *Gateway) qcAgents(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(in *agent) reply {
		if !in.Inspector {
			return failure(generated.RetCodeQCNoRight, "agent has no quality-control right")
		}
		return successWith(g.stateInfos(func(a *agent) bool { return a != in }))
	})
}

// beginMonitor makes the agent a monitor of every agent in the `;` list:
// each state change of theirs reaches it as QC_AgentState_Notify. An
// unknown agent in the list refuses the whole request with 100-007.
func (g *Gateway) beginMonitor(ctx context.Context, id int, list string) reply {
	return g.asAgent(ctx, id, func(m *agent) reply {
		ids, refused := g.parseAgents(list)
		if ids == nil {
			return refused
		}
		if g.desk.watchers == nil {
			g.desk.watchers = make(map[int]map[int]bool)
		}
		if m.desk.watching == nil {
			m.desk.watching = make(map[int]bool)
		}
		for _, n := range ids {
			if g.desk.watchers[n] == nil {
				g.desk.watchers[n] = make(map[int]bool)
			}
			g.desk.watchers[n][m.ID] = true
			m.desk.watching[n] = true
		}
		return success()
	})
}

// parseAgents reads a `;` list of agents; an unknown one refuses the
// request with 100-007 (ids nil). Call with g.mu held.
func (g *Gateway) parseAgents(list string) (ids []int, refused reply) {
	for _, s := range strings.Split(list, ";") {
		n, err := strconv.Atoi(s)
		if err != nil || g.agents[n] == nil {
			return nil, failure(generated.RetCodeOperationFailed, "agents: "+s+" is not a known agent")
		}
		ids = append(ids, n)
	}
	return ids, reply{}
}

// asController runs act when the agent monitors workNo (BeginMonitor);
// else 100-007.
func (g *Gateway) asController(ctx context.Context, id, workNo int, act func(t *agent) reply) reply {
	return g.asAgent(ctx, id, func(c *agent) reply {
		t := g.agents[workNo]
		if !c.desk.watching[workNo] || t == nil || t.sess == nil {
			return failure(generated.RetCodeOperationFailed, "workNo is not a signed-in agent this one monitors")
		}
		return act(t)
	})
}

func (g *Gateway) thirdSetStatus(ctx context.Context, id, workNo int, body *generated.ThirdControlStatusRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	t := trForceIdle
	if body.AgentStatus == generated.ThirdControlStatusRequestAgentStatusAgentStateBusy {
		t = trSayBusyAgain
	}
	return g.asController(ctx, id, workNo, func(a *agent) reply { return g.moveOrRefuse(a, t, 0) })
}

// thirdAnswer answers the call ringing at workNo as its own Answer would;
// nothing ringing is 200-002.
func (g *Gateway) thirdAnswer(ctx context.Context, id, workNo int) reply {
	return g.asController(ctx, id, workNo, func(t *agent) reply {
		if t.state != StateRinging || t.call == nil {
			return failure(generated.RetCodeAnswerNoCall, "no call to answer")
		}
		g.connect(t, t.call)
		return success()
	})
}

// adjustSkill sets the skill queues of the signed-in agent the body names,
// for an inspector; a workNo that is not a number is 000-002.
func (g *Gateway) adjustSkill(ctx context.Context, id int, body *generated.AdjustSkillRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	workNo, err := strconv.Atoi(body.WorkNo)
	if err != nil {
		return failure(generated.RetCodeInvalidParameter, "workNo is not an agent ID")
	}
	return g.asInspector(ctx, id, workNo, func(_, t *agent) reply {
		t.sess.skills = slices.Clone(body.Skills)
		return success()
	})
}
