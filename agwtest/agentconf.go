package agwtest

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Agent conferences: an idle agent applies (RequestAgentConf) and chairs
// the conference; agents join it by invitation (InviteToAgentConf, which
// stands in for the vendor's invitation, and AnswerAgentConf). Each
// conference runs on the fake's clock: AgentConf_Timeout warns the chair
// promptTime minutes before its end, and at the end it is released.

const (
	// vdnVoiceCallLimit is the fake VDN's limit of concurrent voice calls:
	// a conference of more parties fails (AgentConf_RequestFailed).
	vdnVoiceCallLimit = 100
	// confFailCause is the cause of AgentConf_RequestFailed. The vendor
	// documents no causes; the fake sends the one of its example.
	confFailCause = 21234
	// firstConfID precedes the fake's conference IDs, which look like the
	// vendor's (1030400).
	firstConfID = 1030400
	// A conference's length and warning, in minutes, when the request
	// names none.
	defaultConfMinutes = 60
	defaultConfPrompt  = 3
)

// agentConf is an agent conference. Guarded by Gateway.mu.
type agentConf struct {
	id      int
	chair   int
	members []int        // agents in the conference, the chair among them, in join order
	invited map[int]bool // agents invited and not yet answering
	size    int          // memberNum
	ends    time.Time
	prompt  time.Duration // AgentConf_Timeout comes this long before ends
	warned  bool
	voice   bool // PlayVoiceToConf is playing
}

func (c *agentConf) content() generated.ConfIdContent {
	return generated.ConfIdContent{ConfId: num(c.id)}
}

// requestAgentConf makes the idle agent the chair of a new conference: its
// phone is called and joins (AgentState_Busy, AgentOther_PhoneAlerting,
// AgentOther_PhoneOffhook, AgentConf_SelfJoinResult), then
// AgentConf_RequestSuccess {confId}. It fails with AgentConf_RequestFailed
// {cause}, the request itself answering success, when the agent plays an
// announcement or holds a call (not a stable state) or memberNum is above
// the VDN's voice-call limit. In or invited to a conference: 101-003. A
// conference from a call is not simulated: an agent in a call, or neither
// idle nor playing, gets 100-007.
func (g *Gateway) requestAgentConf(ctx context.Context, id int, body *generated.RequestAgentConfRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		switch {
		case a.desk.conf != nil || a.desk.invite != nil:
			return failure(generated.RetCodeAlreadyInConference, "agent is in or invited to a conference")
		case a.call != nil && a.state == StateTalking:
			return failure(generated.RetCodeOperationFailed, "a conference from a call is not simulated by the fake")
		case a.call != nil || a.desk.qc != nil:
			return failure(generated.RetCodeOperationFailed, "agent is not idle")
		case a.desk.play != nil || len(a.held) > 0 || body.MemberNum > vdnVoiceCallLimit:
			g.push(a, generated.EventTypeAgentConfRequestFailed, generated.ConfRequestFailedContent{Cause: num(confFailCause)})
			return success()
		case a.state != StateIdle:
			return failure(generated.RetCodeOperationFailed, "agent is not idle")
		}
		minutes, prompt := defaultConfMinutes, defaultConfPrompt
		if body.Time != nil {
			minutes = *body.Time
		}
		if body.PromptTime != nil {
			prompt = *body.PromptTime
		}
		prompt = min(prompt, minutes-1)
		g.desk.confSeq++
		conf := &agentConf{
			id: firstConfID + g.desk.confSeq, chair: a.ID, members: []int{a.ID}, invited: map[int]bool{}, size: body.MemberNum,
			ends: g.cfg.now().Add(time.Duration(minutes) * time.Minute), prompt: time.Duration(prompt) * time.Minute,
		}
		if g.desk.confs == nil {
			g.desk.confs = make(map[int]*agentConf)
		}
		g.desk.confs[conf.id] = conf
		a.desk.conf = conf
		g.move(a, trOccupy, 0, false)
		g.push(a, generated.EventTypeAgentOtherPhoneAlerting, nil)
		g.push(a, generated.EventTypeAgentOtherPhoneOffhook, offhookContent())
		g.push(a, generated.EventTypeAgentConfSelfJoinResult, nil)
		g.push(a, generated.EventTypeAgentConfRequestSuccess, conf.content())
		return success()
	})
}

// asConf runs act for an agent in a conference (101-001 otherwise), when
// chairOnly its chair (101-002 otherwise).
func (g *Gateway) asConf(ctx context.Context, id int, chairOnly bool, act func(a *agent, conf *agentConf) reply) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		conf := a.desk.conf
		switch {
		case conf == nil:
			return failure(generated.RetCodeNoPhoneConference, "agent is in no conference")
		case chairOnly && conf.chair != a.ID:
			return failure(generated.RetCodeNotConferenceChair, "agent is not the chair of the conference")
		}
		return act(a, conf)
	})
}

// releaseAgentConf is the chair ending the conference (endConf).
func (g *Gateway) releaseAgentConf(ctx context.Context, id int) reply {
	return g.asConf(ctx, id, true, func(_ *agent, conf *agentConf) reply {
		g.endConf(conf, releasedByAgent)
		return success()
	})
}

// endConf ends a conference: each member gets AgentOther_PhoneRelease
// (phoneState chairRelease for the chair, 3 for the others) and
// AgentConf_SelfLeaveResult; the chair then AgentState_Ready. Call with
// g.mu held.
func (g *Gateway) endConf(conf *agentConf, chairRelease int) {
	delete(g.desk.confs, conf.id)
	for id := range conf.invited {
		if m := g.agents[id]; m != nil && m.desk.invite == conf {
			m.desk.invite = nil
		}
	}
	for _, id := range conf.members {
		m := g.agents[id]
		if m == nil || m.desk.conf != conf {
			continue
		}
		m.desk.conf = nil
		phone, t := releasedByPlatform, trConfLeave
		if id == conf.chair {
			phone, t = chairRelease, trVacate
		}
		g.push(m, generated.EventTypeAgentOtherPhoneRelease, releaseContent(phone))
		g.push(m, generated.EventTypeAgentConfSelfLeaveResult, nil)
		g.move(m, t, 0, false)
	}
}

// requestLeaveAgentConf is a member leaving: AgentOther_PhoneRelease
// {phoneState:2} and AgentConf_SelfLeaveResult. The chair leaves by
// ReleaseAgentConf: 101-007.
func (g *Gateway) requestLeaveAgentConf(ctx context.Context, id int) reply {
	return g.asConf(ctx, id, false, func(a *agent, conf *agentConf) reply {
		if conf.chair == a.ID {
			return failure(generated.RetCodeChairCannotLeave, "the chair cannot leave the conference; release it")
		}
		g.dropMember(a, conf)
		g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByAgent))
		g.push(a, generated.EventTypeAgentConfSelfLeaveResult, nil)
		g.move(a, trConfLeave, 0, false)
		return success()
	})
}

func (g *Gateway) dropMember(a *agent, conf *agentConf) {
	conf.members = slices.DeleteFunc(conf.members, func(id int) bool { return id == a.ID })
	a.desk.conf = nil
}

// prolongAgentConf moves the conference's end by minutes; AgentConf_Timeout
// warns again before the new end.
func (g *Gateway) prolongAgentConf(ctx context.Context, id, minutes int) reply {
	return g.asConf(ctx, id, true, func(_ *agent, conf *agentConf) reply {
		conf.ends = conf.ends.Add(time.Duration(minutes) * time.Minute)
		conf.warned = false
		return success()
	})
}

// shiftPresident hands the chair to member dest: every member gets
// AgentConf_PresidentChanged {confId}. To the chair itself: 101-005; to an
// agent not in the conference: 100-007.
func (g *Gateway) shiftPresident(ctx context.Context, id, dest int) reply {
	return g.asConf(ctx, id, true, func(a *agent, conf *agentConf) reply {
		switch {
		case dest == a.ID:
			return failure(generated.RetCodeChairToSelf, "the chair cannot hand the chair to itself")
		case !slices.Contains(conf.members, dest):
			return failure(generated.RetCodeOperationFailed, "destWorkNo is not in the conference")
		}
		conf.chair = dest
		for _, m := range conf.members {
			g.push(g.agents[m], generated.EventTypeAgentConfPresidentChanged, conf.content())
		}
		return success()
	})
}

// confVoice starts (on) or stops PlayVoiceToConf's sound; the chair's
// operation, without events. Stopping when nothing plays: 100-007.
func (g *Gateway) confVoice(ctx context.Context, id int, on bool) reply {
	return g.asConf(ctx, id, true, func(_ *agent, conf *agentConf) reply {
		if !on && !conf.voice {
			return failure(generated.RetCodeOperationFailed, "nothing is playing to the conference")
		}
		conf.voice = on
		return success()
	})
}

// answerAgentConf joins the conference the idle agent is invited to:
// AgentConf_SelfJoinResult. Rejecting it sends AgentOther_PhoneRelease
// {phoneState:2} and AgentState_Ready. No invitation: 101-001; answering
// while not idle: 100-007.
func (g *Gateway) answerAgentConf(ctx context.Context, id int, accept bool) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		conf := a.desk.invite
		switch {
		case conf == nil:
			return failure(generated.RetCodeNoPhoneConference, "agent has no conference invitation")
		case accept && (a.call != nil || a.desk.engaged() || a.state != StateIdle):
			return failure(generated.RetCodeOperationFailed, "agent is not idle")
		}
		a.desk.invite = nil
		delete(conf.invited, a.ID)
		if !accept {
			g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByAgent))
			g.move(a, trConfDecline, 0, false)
			return success()
		}
		conf.members = append(conf.members, a.ID)
		a.desk.conf = conf
		g.move(a, trConfJoin, 0, false)
		g.push(a, generated.EventTypeAgentConfSelfJoinResult, nil)
		return success()
	})
}

// InviteToAgentConf is a test hook standing in for the vendor's invitation
// to a conference, which the spec does not model (nor its
// AgentConf_Ringing event, so the invited agent gets no event): agent
// agentID, signed in and in no conference, is invited to the conference
// chairID chairs, up to its memberNum, and may answer with AnswerAgentConf
// or RejectAgentConf.
func (g *Gateway) InviteToAgentConf(chairID, agentID int) error {
	g.lock()
	defer g.mu.Unlock()
	ch, a := g.agents[chairID], g.agents[agentID]
	switch {
	case ch == nil || ch.desk.conf == nil || ch.desk.conf.chair != chairID:
		return fmt.Errorf("agwtest: agent %d chairs no conference", chairID)
	case a == nil || a.sess == nil:
		return fmt.Errorf("agwtest: agent %d is not signed in", agentID)
	case a.desk.conf != nil || a.desk.invite != nil:
		return fmt.Errorf("agwtest: agent %d is in or invited to a conference", agentID)
	}
	conf := ch.desk.conf
	if len(conf.members)+len(conf.invited) >= conf.size {
		return fmt.Errorf("agwtest: conference %d is full (memberNum %d)", conf.id, conf.size)
	}
	conf.invited[agentID] = true
	a.desk.invite = conf
	return nil
}

// leaveConf takes a signing-out agent out of its conference (a chair ends
// it) and its invitation. Call with g.mu held.
func (g *Gateway) leaveConf(a *agent) {
	if conf := a.desk.invite; conf != nil {
		delete(conf.invited, a.ID)
		a.desk.invite = nil
	}
	switch conf := a.desk.conf; {
	case conf == nil:
	case conf.chair == a.ID:
		g.endConf(conf, releasedByAgent)
	default:
		g.dropMember(a, conf)
	}
}

// confTimers warns each conference's chair promptTime before its end
// (AgentConf_Timeout {confId}) and releases the conferences whose end has
// come. Like idle sign-out it runs lazily on every lock, so a test clock
// (WithClock) drives it. Call with g.mu held.
func (g *Gateway) confTimers() {
	if len(g.desk.confs) == 0 {
		return
	}
	now := g.cfg.now()
	for _, id := range slices.Sorted(maps.Keys(g.desk.confs)) {
		conf := g.desk.confs[id]
		if !conf.warned && !now.Before(conf.ends.Add(-conf.prompt)) {
			conf.warned = true
			g.push(g.agents[conf.chair], generated.EventTypeAgentConfTimeout, conf.content())
		}
		if !now.Before(conf.ends) {
			g.endConf(conf, releasedByPlatform)
		}
	}
}
