package agwtest

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Skill is a skill queue configured on the fake gateway.
type Skill struct {
	ID        int    // from 1
	Name      string // shown by the skill queries
	MediaType int    // the spec's Skill.mediatype; 0 means 5, voice and video
}

// deskState is what the agent-desk operations add to the Gateway: skill
// queues, group IDs, waiting calls and monitors. Guarded by Gateway.mu.
type deskState struct {
	skills      map[int]*Skill
	groupIDs    map[string]int       // from 1, in the order the groups were added
	queues      map[int][]*call      // per skill, calls waiting for an agent, oldest first
	queued      int                  // calls in all queues
	watchers    map[int]map[int]bool // monitored agent -> agents monitoring it (BeginMonitor)
	nextRestEnd time.Time            // no rest ends before this; zero: none pending

	missingFiles map[string]bool    // voice files Play cannot find (MissingFile)
	confs        map[int]*agentConf // agent conferences, by conference ID
	confSeq      int
	previewSeq   int // preview offers so far (OfferPreview)
}

// agentDesk is an agent's share of it. Guarded by Gateway.mu.
type agentDesk struct {
	restUntil time.Time    // while resting: when the rest ends; zero: never
	lastCall  *call        // the last call that left the agent, for GetCallInfo
	qc        *supervision // an inspector's presence on a colleague's call
	watching  map[int]bool // agents this one monitors (BeginMonitor)

	play   *playback  // an announcement played to the agent (Play)
	record *recording // the agent's recording task (Record)
	conf   *agentConf // the agent conference the agent chairs or joined
	invite *agentConf // a conference the agent is invited to
	// previews are the preview offers not yet called (OfferPreview): the
	// numbers each control ID allows.
	previews map[int64][]string
	stats    callStats // today's calls, for GetCallStatisticsEx
}

// engaged reports whether the agent's phone is taken by something other
// than a call: a colleague's call, a playback or a conference.
func (d *agentDesk) engaged() bool { return d.qc != nil || d.play != nil || d.conf != nil }

// supervision is an inspector on agent target's call, in mode qcListen,
// qcInsert or qcWhisper (the qcType of AgentOther_BeQcStart).
type supervision struct {
	target int
	mode   int
}

// qcType values of AgentOther_BeQcStart.
const (
	qcListen  = 8
	qcInsert  = 9
	qcWhisper = 20172
)

const voiceMedia = 5

func (a *agent) displayName() string {
	if a.Name != "" {
		return a.Name
	}
	return "agent " + strconv.Itoa(a.ID)
}

func (d *deskState) addGroup(name string) {
	if d.groupIDs == nil {
		d.groupIDs = make(map[string]int)
	}
	d.groupIDs[name] = len(d.groupIDs) + 1
}

// AddSkill adds a skill queue; agents name it in Agent.Skills.
func (g *Gateway) AddSkill(s Skill) error {
	if s.ID < 1 {
		return fmt.Errorf("agwtest: skill ID %d is not positive", s.ID)
	}
	if s.MediaType == 0 {
		s.MediaType = voiceMedia
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.desk.skills[s.ID] != nil {
		return fmt.Errorf("agwtest: skill %d already exists", s.ID)
	}
	if g.desk.skills == nil {
		g.desk.skills = make(map[int]*Skill)
	}
	g.desk.skills[s.ID] = &s
	return nil
}

// RingSkill is a test hook: a customer call from caller arrives in skill
// queue skillID. It is offered at once (AgentEvent_Ringing) to the idle
// agent with the lowest ID that has joined the queue (ResetSkill) and may
// take inbound calls; otherwise it waits, counted by the queue
// operations, until such an agent is idle. It returns the call ID.
func (g *Gateway) RingSkill(skillID int, caller string) (string, error) {
	if caller == "" {
		return "", errors.New("agwtest: empty caller number")
	}
	g.lock()
	defer g.mu.Unlock()
	sk := g.desk.skills[skillID]
	if sk == nil {
		return "", fmt.Errorf("agwtest: unknown skill %d", skillID)
	}
	c := g.newCall(Call{Caller: caller, Called: hotline, Skill: skillID})
	c.began = g.cfg.now()
	if g.desk.queues == nil {
		g.desk.queues = make(map[int][]*call)
	}
	g.desk.queues[skillID] = append(g.desk.queues[skillID], c)
	g.desk.queued++
	g.offerQueued()
	return c.ID, nil
}

// offerQueued offers waiting calls, oldest first per skill, to idle agents
// that joined their queue. It runs on every lock (see Gateway.lock), so an
// agent that becomes idle is offered a waiting call by the next request.
// Call with g.mu held.
func (g *Gateway) offerQueued() {
	if g.desk.queued == 0 {
		return
	}
	for _, skill := range slices.Sorted(maps.Keys(g.desk.queues)) {
		for len(g.desk.queues[skill]) > 0 {
			a := g.idleAgentFor(skill)
			if a == nil {
				break
			}
			c := g.desk.queues[skill][0]
			g.dequeue(c)
			g.offer(a, c)
		}
	}
}

// idleAgentFor is the idle agent with the lowest ID that joined skill and
// may take inbound calls. Call with g.mu held.
func (g *Gateway) idleAgentFor(skill int) *agent {
	var best *agent
	for _, a := range g.agents {
		s := a.sess
		if s == nil || a.state != StateIdle || a.call != nil || s.noTalkRight || !slices.Contains(s.skills, skill) {
			continue
		}
		if best == nil || a.ID < best.ID {
			best = a
		}
	}
	return best
}

// dequeue takes a waiting call out of its queue. Call with g.mu held.
func (g *Gateway) dequeue(c *call) {
	q := g.desk.queues[c.Skill]
	if i := slices.Index(q, c); i >= 0 {
		g.desk.queues[c.Skill] = slices.Delete(q, i, i+1)
		g.desk.queued--
	}
}

// waiting counts the calls queuing in the given skills. Call with g.mu held.
func (g *Gateway) waiting(skills []int) int {
	n := 0
	for _, s := range skills {
		n += len(g.desk.queues[s])
	}
	return n
}

// setRest starts a's rest deadline, d from now. Call with g.mu held.
func (g *Gateway) setRest(a *agent, d time.Duration) {
	a.desk.restUntil = g.cfg.now().Add(d)
	if g.desk.nextRestEnd.IsZero() || a.desk.restUntil.Before(g.desk.nextRestEnd) {
		g.desk.nextRestEnd = a.desk.restUntil
	}
}

// endRests ends every rest whose time is up: AgentState_Rest_Timeout, then
// idle with AgentState_Ready. Like idle sign-out it runs lazily on every
// lock, so a test clock (WithClock) drives it. Call with g.mu held.
func (g *Gateway) endRests() {
	next := g.desk.nextRestEnd
	if next.IsZero() {
		return
	}
	now := g.cfg.now()
	if now.Before(next) {
		return
	}
	g.desk.nextRestEnd = time.Time{}
	for _, a := range g.agents {
		end := a.desk.restUntil
		switch {
		case a.state != StateRest || end.IsZero():
		case !now.Before(end):
			g.move(a, trRestEnd, 0, false)
		case g.desk.nextRestEnd.IsZero() || end.Before(g.desk.nextRestEnd):
			g.desk.nextRestEnd = end
		}
	}
}

// endDesk undoes what a signing-out agent had on the desk side: its
// supervision, inspectors on its call, its monitoring, its conference,
// playback and recording. Call with g.mu held, before the session ends.
func (g *Gateway) endDesk(a *agent) {
	if a.desk.qc != nil {
		g.stopSupervising(a, true)
	}
	g.releaseInspectorsOf(a)
	for id := range a.desk.watching {
		delete(g.desk.watchers[id], a.ID)
	}
	a.desk.watching = nil
	g.leaveConf(a)
	a.desk.play, a.desk.record = nil, nil
}

// releaseInspectorsOf ends every supervision of a's call: the inspector
// gets AgentOther_PhoneRelease and is idle. Call with g.mu held.
func (g *Gateway) releaseInspectorsOf(a *agent) {
	for _, in := range g.agents {
		if in.desk.qc != nil && in.desk.qc.target == a.ID {
			g.stopSupervising(in, true)
		}
	}
}

// stopSupervising ends inspector in's supervision: it gets
// AgentOther_PhoneRelease and AgentState_Ready; the inspected agent gets
// AgentOther_BeQcStop when told is true. Call with g.mu held.
func (g *Gateway) stopSupervising(in *agent, told bool) {
	qc := in.desk.qc
	in.desk.qc = nil
	g.push(in, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByPlatform))
	g.move(in, trSuperviseEnd, 0, false)
	if t := g.agents[qc.target]; told && t != nil {
		g.push(t, generated.EventTypeAgentOtherBeQcStop, generated.BeQcContent{QcType: num(qc.mode), QcAgentId: num(in.ID)})
	}
}

func secs(n int64) time.Duration { return time.Duration(n) * time.Second }

// ringSkillHook serves POST /agwtest/ring?skill=ID[&caller=NUM] for
// ControlHandler.
func (g *Gateway) ringSkillHook(w http.ResponseWriter, r *http.Request) {
	skill, err := strconv.Atoi(r.URL.Query().Get("skill"))
	if err != nil {
		writeControl(w, http.StatusBadRequest, errors.New("skill: want a skill queue ID"))
		return
	}
	caller := r.URL.Query().Get("caller")
	if caller == "" {
		caller = "13800000000"
	}
	callID, err := g.RingSkill(skill, caller)
	writeControl(w, 0, err, "callid", callID)
}
