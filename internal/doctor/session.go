package doctor

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/redact"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func (r *runner) checkSignIn(ctx context.Context) Result {
	if r.cfg.AgentID == 0 {
		r.signinWhy = "no agent ID given"
		return skip("no agent ID given: sign-in, poll and sign-out are not tried")
	}
	if why := r.blocked(needTrusted); why != "" {
		r.signinWhy = "signin skipped"
		return skip(why)
	}
	ctx, cancel := r.bounded(ctx)
	defer cancel()
	s, err := r.client.SignIn(ctx, r.cfg.AgentID, wrapper.SignInOptions{Phone: r.cfg.Phone, Password: r.cfg.Password})
	if err != nil {
		r.signinWhy = "signin failed"
		if sie, ok := errors.AsType[*wrapper.SignInError](err); ok && sie.Session != nil {
			r.adopt(sie.Session) // a Guid arrived: sign it out
		}
		return fail(err.Error(), signInHint(err))
	}
	r.adopt(s)
	return ok("agent " + strconv.Itoa(r.cfg.AgentID) + " signed in on phone " + r.cfg.Phone + "; the reply set a Guid (Set-GUID)")
}

// adopt keeps s for the poll and the sign-out, and its Guid out of every
// result.
func (r *runner) adopt(s *wrapper.Session) {
	r.session = s
	r.noteGuid()
}

// noteGuid adds the session's current Guid (the gateway may rotate it) to
// the secrets no result may show.
func (r *runner) noteGuid() {
	if g := r.session.Guid(); g != "" && !slices.Contains(r.secrets, g) {
		r.secrets = append(r.secrets, redact.Of(g)...)
	}
}

func signInHint(err error) string {
	switch {
	case errors.Is(err, wrapper.ErrBadCredentials):
		return "check the agent ID and its password, and that the agent exists on this gateway"
	case errors.Is(err, wrapper.ErrAlreadySignedIn), errors.Is(err, wrapper.ErrForceSignInDisabled):
		return "the agent is signed in elsewhere and doctor never forces it out: use a spare test agent, or sign this one out first"
	case errors.Is(err, wrapper.ErrInvalidParam):
		return "check the phone number (it must be configured for the agent) and the agent ID"
	case errors.Is(err, wrapper.ErrNoRight):
		return "the gateway refuses this client: check its allowed client addresses and the agent's rights"
	case errors.Is(err, wrapper.ErrRecovery):
		return "the gateway is recovering after a failover: run doctor again in a minute"
	case isTimeout(err):
		return "the gateway took the connection but did not answer in time: a stuck gateway, or a proxy in between"
	}
	if _, ok := errors.AsType[*wrapper.ReplyError](err); ok {
		return "the reply is not the gateway's: check the base URL's path (default " + generated.BasePath + ") and any proxy in front"
	}
	return "the checks above show whether the network is at fault; else see the gateway's logs"
}

func (r *runner) checkPoll(ctx context.Context) Result {
	if r.session == nil {
		return skip("needs a signed-in agent (" + r.signinWhy + ")")
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.PollTimeout)
	defer cancel()
	start := time.Now()
	events, err := r.session.PollEvent(ctx, nil)
	took := time.Since(start)
	r.noteGuid()
	switch {
	case isTimeout(err):
		return fail("no reply to the event poll within "+r.cfg.PollTimeout.String(),
			"the gateway holds a poll up to its poll wait (about 10 s by default): a stuck gateway, or a proxy or load balancer timing out first, shows so; compare their timeouts with the poll wait, or raise PollTimeout")
	case errors.Is(err, wrapper.ErrNotSignedIn):
		return fail(err.Error(),
			"the gateway forgot the session just after sign-in: behind a load balancer, check session affinity (cookies) between its nodes")
	case err != nil:
		return fail(err.Error(), "the sign-in worked but the event poll did not: see the gateway's logs")
	case len(events) == 0:
		return ok("answered after " + ms(took) + " with no event (the gateway's poll wait)")
	}
	types := make([]string, 0, 3)
	for _, ev := range events[:min(len(events), 3)] {
		types = append(types, ev.EventType)
	}
	if len(events) > len(types) {
		types = append(types, "...")
	}
	return ok(fmt.Sprintf("answered in %s with %d event(s): %s", ms(took), len(events), strings.Join(types, ", ")))
}

// checkSignOut signs the agent out whenever it signed in, even after a
// failed poll or once ctx has ended (within its own timeout).
func (r *runner) checkSignOut(ctx context.Context) Result {
	if r.session == nil {
		return skip("nothing to sign out (" + r.signinWhy + ")")
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.cfg.Timeout)
	defer cancel()
	if err := r.session.SignOut(ctx); err != nil {
		if errors.Is(err, wrapper.ErrNotSignedIn) {
			return fail(err.Error(), "the gateway had ended the session already: see poll")
		}
		return fail(err.Error(),
			"the gateway signs out an agent that has not polled for two minutes; or sign it out from its desk")
	}
	return ok("agent " + strconv.Itoa(r.cfg.AgentID) + " signed out")
}
