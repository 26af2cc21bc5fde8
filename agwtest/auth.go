package agwtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/agentgateway-go/agentgateway/generated"
)

// affinityCookie is what an NSLB in front of a gateway cluster sets so that
// an agent's requests stay on one node.
var affinityCookie = (&http.Cookie{Name: "loadbalance", Value: "node0", Path: "/"}).String()

// newGuid returns a session token shaped like the vendor's: 32 hex digits
// and the node suffix.
func newGuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24
	return hex.EncodeToString(b[:]) + ".AgentGateway0"
}

func setGuid(guid string) *string {
	v := "JSESSIONID=" + guid
	return &v
}

// authorize checks the request's Guid for agent id, the way every
// operation but sign-in does: a Guid of another agent's session is 000-003;
// no session, no Guid or an unknown Guid is 100-006. Call with g.mu held.
func (g *Gateway) authorize(ctx context.Context, id int) (*agent, reply, bool) {
	guid := callerFrom(ctx).guid
	owner := g.byGuid[guid]
	if owner != nil && owner.ID != id {
		return nil, failure(generated.RetCodeNoRight, "Guid belongs to another agent"), false
	}
	a := g.agents[id]
	switch {
	case a == nil || a.sess == nil:
		return nil, failure(generated.RetCodeNotSignedIn, "agent not signed in"), false
	case guid == "":
		return nil, failure(generated.RetCodeNotSignedIn, "Guid header missing"), false
	case owner != a:
		return nil, failure(generated.RetCodeNotSignedIn, "Guid not valid"), false
	}
	return a, reply{}, true
}

// asAgent runs act for agent id under g.mu once the request's Guid is
// accepted; a refused Guid is the reply. Every operation but sign-in and
// the event poll (which must unlock while it waits) goes through it.
func (g *Gateway) asAgent(ctx context.Context, id int, act func(a *agent) reply) reply {
	g.lock()
	defer g.mu.Unlock()
	a, refused, ok := g.authorize(ctx, id)
	if !ok {
		return refused
	}
	return act(a)
}

// authorized answers the operations the fake does not simulate: the Guid
// check, then success.
func (g *Gateway) authorized(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(*agent) reply { return success() })
}

// signIn starts a session. force takes over an existing one unless the
// gateway disables forced sign-in. On success it returns the new Guid.
func (g *Gateway) signIn(ctx context.Context, id int, body *generated.SignInRequest, force bool) (reply, string) {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body"), ""
	}
	push, err := parsePushTarget(body.CallBackUri, body.ServiceToken)
	if err != nil {
		return failure(generated.RetCodeInvalidParameter, err.Error()), ""
	}
	g.lock()
	defer g.mu.Unlock()
	a := g.agents[id]
	switch {
	case a == nil || a.Password != body.Password:
		return failure(generated.RetCodeBadCredentials, "wrong agent ID or password"), ""
	case body.Phonenum != a.Phone:
		return failure(generated.RetCodeInvalidPhone, "phone number not bound to this agent"), ""
	case a.sess != nil && !force:
		return failure(generated.RetCodeAlreadySignedIn, "agent already signed in"), ""
	case a.sess != nil && g.cfg.forceLoginOff:
		return failure(generated.RetCodeForceSignInDisabled, "agent already signed in and forced sign-in is disabled"), ""
	}
	if a.sess != nil {
		g.endSession(a) // a forced sign-in ends the old session and its calls
	}
	// A sign-in that names its status gets the vendor's sign-in events;
	// one that does not gets none, as before status was simulated.
	t := trSignInIdle
	if body.Status != nil {
		t = map[generated.SignInRequestStatus]trigger{3: trSignInBusy, 4: trSignInIdle, 5: trSignInWork}[*body.Status]
	}
	s := g.startSession(a, body.Autoanswer == nil || *body.Autoanswer, t, body.Status == nil)
	s.autoEnterIdle = body.Autoenteridle == nil || *body.Autoenteridle
	if push != nil {
		s.push = push
		go g.pushLoop(a, s)
	}
	if h := callerFrom(ctx).header; h != nil {
		h.Add("Set-Cookie", affinityCookie)
	}
	return successWith(signInResult(a, s)), s.guid
}

// signInResult is the sign-in reply's result: the fields of the vendor's
// example, with the gateway's own values.
func signInResult(a *agent, s *session) generated.SignInResult {
	return generated.SignInResult{
		Vdnid: ptr(1), Workno: ptr(strconv.Itoa(a.ID)), Mediatype: ptr("TFF"),
		LoginTime:     ptr(strconv.FormatInt(s.loginTime.UnixMilli(), 10)),
		IsForceChange: ptr("false"), ServerName: ptr("AgentGateway"), TimeRemaining: ptr(""),
	}
}

// startSession signs a in with a new Guid, moving it by t (a sign-in
// trigger; quiet sends no events). Call with g.mu held.
func (g *Gateway) startSession(a *agent, autoAnswer bool, t trigger, quiet bool) *session {
	s := &session{guid: newGuid(), autoAnswer: autoAnswer, wake: make(chan struct{}),
		autoEnterIdle: true, loginTime: g.cfg.now()}
	a.sess = s
	g.byGuid[s.guid] = a
	g.move(a, t, 0, quiet)
	g.touch(s)
	return s
}

// SignIn is a test hook: it signs an agent in as its desk would (with
// autoanswer), without a password, and returns the session's Guid. It
// fails for an unknown or signed-in agent.
func (g *Gateway) SignIn(agentID int) (string, error) {
	g.lock()
	defer g.mu.Unlock()
	a := g.agents[agentID]
	switch {
	case a == nil:
		return "", fmt.Errorf("agwtest: unknown agent %d", agentID)
	case a.sess != nil:
		return "", fmt.Errorf("agwtest: agent %d is already signed in", agentID)
	}
	return g.startSession(a, true, trSignInIdle, true).guid, nil
}

// SignOut is a test hook: it signs an agent out as ForceSignOut does,
// dropping its queued events and its calls. It fails for an unknown or
// signed-out agent.
func (g *Gateway) SignOut(agentID int) error {
	g.lock()
	defer g.mu.Unlock()
	a := g.agents[agentID]
	switch {
	case a == nil:
		return fmt.Errorf("agwtest: unknown agent %d", agentID)
	case a.sess == nil:
		return fmt.Errorf("agwtest: agent %d is not signed in", agentID)
	}
	g.endSession(a)
	return nil
}

// signOut ends the session; unless forced it refuses while a call rings
// or talks at the agent.
func (g *Gateway) signOut(ctx context.Context, id int, force bool) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		if a.call != nil && !force {
			return failure(generated.RetCodeSignOutStateError, "agent is in a call; release it or use forcelogout")
		}
		g.endSession(a)
		return success()
	})
}

func (g *Gateway) updateGuid(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		return successWith(generated.GuidResult{Guid: &a.sess.guid})
	})
}

// rotateOnReply is called for each poll reply about to be sent. In dynamic
// mode it rotates the Guid when one is due and returns the Set-GUID value
// announcing it (nil otherwise).
//
// The Guid just replaced stays valid until the next rotation: a request
// signed with it may be in flight while this reply travels, and the client
// only learns the new Guid when the reply arrives. Any older Guid is
// refused with 100-006. Call with g.mu held.
func (g *Gateway) rotateOnReply(a *agent) *string {
	s := a.sess
	if g.cfg.guidEvery == 0 {
		return nil
	}
	s.replies++
	if !s.rotateDue && s.replies < g.cfg.guidEvery {
		return nil
	}
	s.rotateDue = false
	s.replies = 0
	delete(g.byGuid, s.prevGuid)
	s.prevGuid, s.guid = s.guid, newGuid()
	g.byGuid[s.guid] = a
	return setGuid(s.guid)
}

// heartbeat answers Handshake. In dynamic mode it counts towards Guid
// rotation like a poll reply, and a rotated Guid comes back in Set-GUID, as
// the 2025 push-mode pages describe. It returns the new Guid, if any.
func (g *Gateway) heartbeat(ctx context.Context, id int) (r reply, newGuid string) {
	r = g.asAgent(ctx, id, func(a *agent) reply {
		g.touch(a.sess)
		if g.rotateOnReply(a) != nil {
			newGuid = a.sess.guid
		}
		return success()
	})
	return r, newGuid
}

// RotateGuid makes the agent's next poll reply rotate its Guid (dynamic
// mode only).
func (g *Gateway) RotateGuid(agentID int) error {
	if g.cfg.guidEvery == 0 {
		return errors.New("agwtest: RotateGuid needs WithDynamicGuid")
	}
	g.lock()
	defer g.mu.Unlock()
	a := g.agents[agentID]
	if a == nil || a.sess == nil {
		return fmt.Errorf("agwtest: agent %d is not signed in", agentID)
	}
	a.sess.rotateDue = true
	return nil
}

// Guid returns the agent's current Guid, for tests.
func (g *Gateway) Guid(agentID int) (string, bool) {
	g.lock()
	defer g.mu.Unlock()
	if a := g.agents[agentID]; a != nil && a.sess != nil {
		return a.sess.guid, true
	}
	return "", false
}
