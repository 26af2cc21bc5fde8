package agwtest

import (
	"github.com/agentgateway-go/agentgateway/generated"

	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// Agent is an agent account configured on the fake gateway.
type Agent struct {
	ID        int    // work number
	Password  string // sign-in password, at most 32 characters
	Phone     string // the only softphone number the agent may sign in on
	Group     string // agent group, which bounds group pickup
	CanPickUp bool   // group pickup permission
	Name      string // shown by the group queries; "agent <ID>" when empty
	Skills    []int  // configured skill queues (AddSkill), joined with ResetSkill
	Inspector bool   // quality-control right: listen, barge in, force states
}

// Call is a call the fake tracks while it rings, talks or is held.
type Call struct {
	ID, Caller, Called string
	Internal           bool // internal calls cannot be picked up
	Outbound           bool // placed by Callout and not yet transferred
	Agent              int  // agent it rings or talks at, or that holds it; 0 while queuing
	Skill              int  // skill queue it came through (RingSkill), or 0
}

// agent is an Agent with its live state; guarded by Gateway.mu.
type agent struct {
	Agent
	state State
	sess  *session // nil while signed out
	call  *call    // the call ringing or talking at the agent
	held  []*call
	desk  agentDesk // skills, rest, supervision: see desk.go
}

// session is one sign-in of an agent; guarded by Gateway.mu.
type session struct {
	guid       string
	prevGuid   string // still accepted: see Gateway.rotate
	autoAnswer bool
	queue      []json.RawMessage // encoded events, oldest first
	wake       chan struct{}     // closed when an event is queued or the session ends
	replies    int               // poll replies, counting towards the next rotation
	rotateDue  bool
	lastSeen   time.Time   // last sign of life, for idle sign-out
	polls      int         // polls in progress
	push       *pushTarget // non-nil in push mode: events go to its URL, not to polls

	autoEnterIdle bool      // idle after a call; false: wrap-up
	noTalkRight   bool      // SetTalkRight 0: offered no queued calls
	skills        []int     // skill queues joined with ResetSkill
	loginTime     time.Time // for the sign-in result and Heartbeat
}

type call struct {
	Call
	pickedUp bool // reached its agent by SnatchPickup: answering sends the full connect sequence
	muted    bool
	data     string    // call-associated data (SetCallDataEx)
	began    time.Time // when it was created, for GetCallInfo

	// An internal call between two agents has a leg per agent, each with
	// its own ID, linked by peer; see voicecall_inner.go.
	peer      *call
	dialSkill int // on the calling agent's leg of CallInnerSkill: the skill queue it calls
}

var phonePattern = regexp.MustCompile(`^[0-9]{1,24}$`)

// AddGroup adds an agent group.
func (g *Gateway) AddGroup(name string) error {
	if name == "" {
		return errors.New("agwtest: empty group name")
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.groups[name] {
		return fmt.Errorf("agwtest: group %q already exists", name)
	}
	g.groups[name] = true
	g.desk.addGroup(name)
	return nil
}

// AddAgent adds a signed-out agent. It fails on a duplicate or
// out-of-range ID, an unknown group, or a phone number or password the
// sign-in request could never carry.
func (g *Gateway) AddAgent(a Agent) error {
	if a.ID < generated.MinAgentID || a.ID > g.cfg.maxAgentID() {
		return fmt.Errorf("agwtest: agent ID %d outside %d-%d", a.ID, generated.MinAgentID, g.cfg.maxAgentID())
	}
	if !phonePattern.MatchString(a.Phone) {
		return fmt.Errorf("agwtest: agent %d: phone %q is not 1-24 digits", a.ID, a.Phone)
	}
	if len(a.Password) > 32 {
		return fmt.Errorf("agwtest: agent %d: password longer than 32 characters", a.ID)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.groups[a.Group] {
		return fmt.Errorf("agwtest: agent %d: unknown group %q", a.ID, a.Group)
	}
	for _, id := range a.Skills {
		if g.desk.skills[id] == nil {
			return fmt.Errorf("agwtest: agent %d: unknown skill %d (AddSkill first)", a.ID, id)
		}
	}
	if _, dup := g.agents[a.ID]; dup {
		return fmt.Errorf("agwtest: agent %d already exists", a.ID)
	}
	a.Skills = slices.Clone(a.Skills)
	g.agents[a.ID] = &agent{Agent: a}
	return nil
}

// SetState is a test hook. StateSignedOut signs the agent out as
// ForceSignOut does; StateIdle, StateBusy, StateRest and StateWork need a
// signed-in agent without a ringing or talking call and send no event (a
// rest set so has no end). Ringing and talking come only from calls.
func (g *Gateway) SetState(agentID int, s State) error {
	g.lock()
	defer g.mu.Unlock()
	a := g.agents[agentID]
	switch {
	case a == nil:
		return fmt.Errorf("agwtest: unknown agent %d", agentID)
	case s == StateSignedOut:
		g.endSession(a)
		return nil
	case setTriggers[s] == nil:
		return fmt.Errorf("agwtest: SetState cannot set %v; use Ring and Answer", s)
	case a.sess == nil:
		return fmt.Errorf("agwtest: agent %d is not signed in", agentID)
	case a.call != nil || a.desk.engaged() || !g.move(a, *setTriggers[s], 0, true):
		return fmt.Errorf("agwtest: agent %d is %v; end its call first", agentID, a.state)
	}
	return nil
}

// AgentStatus is a snapshot of one agent, without its password.
type AgentStatus struct {
	ID        int    `json:"id"`
	Phone     string `json:"phone"`
	Group     string `json:"group"`
	CanPickUp bool   `json:"canPickUp"`
	State     State  `json:"state"`
	CallID    string `json:"callid,omitempty"` // the call ringing or talking at the agent
	Held      int    `json:"held"`             // calls the agent holds
	Name      string `json:"name"`
	Inspector bool   `json:"inspector,omitempty"`
	Skills    []int  `json:"skills"`           // configured skill queues
	Joined    []int  `json:"joined,omitempty"` // skill queues joined with ResetSkill
}

// Agents returns every agent's status, by ID.
func (g *Gateway) Agents() []AgentStatus {
	g.lock()
	defer g.mu.Unlock()
	out := make([]AgentStatus, 0, len(g.agents))
	for _, a := range g.agents {
		st := AgentStatus{ID: a.ID, Phone: a.Phone, Group: a.Group, CanPickUp: a.CanPickUp, State: a.state, Held: len(a.held),
			Name: a.displayName(), Inspector: a.Inspector, Skills: slices.Clone(a.Skills)}
		if a.call != nil {
			st.CallID = a.call.ID
		}
		if a.sess != nil {
			st.Joined = slices.Clone(a.sess.skills)
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(x, y AgentStatus) int { return cmp.Compare(x.ID, y.ID) })
	return out
}

// AgentState returns the agent's state; unknown agents are signed out.
func (g *Gateway) AgentState(agentID int) State {
	g.lock()
	defer g.mu.Unlock()
	if a := g.agents[agentID]; a != nil {
		return a.state
	}
	return StateSignedOut
}

// Call returns a call that is ringing, talking or held.
func (g *Gateway) Call(callID string) (Call, bool) {
	g.lock()
	defer g.mu.Unlock()
	if c := g.calls[callID]; c != nil {
		return c.Call, true
	}
	return Call{}, false
}

// endSession signs a out, dropping its queued events and its calls (the
// other agent of an internal call is hung up), and wakes its pending polls
// so they answer 100-006. Call with g.mu held.
func (g *Gateway) endSession(a *agent) {
	if c := a.call; c != nil {
		a.call = nil
		g.endCall(c)
	}
	held := a.held
	a.held = nil
	for _, c := range held {
		g.endCall(c)
	}
	g.endDesk(a)
	g.move(a, trSignOut, 0, true)
	if s := a.sess; s != nil {
		delete(g.byGuid, s.guid)
		delete(g.byGuid, s.prevGuid)
		close(s.wake)
		a.sess = nil
	}
}
