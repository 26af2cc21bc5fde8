package wrapper

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/segmentio/encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/poll"
	"github.com/agentgateway-go/agentgateway/internal/redact"
	"github.com/agentgateway-go/agentgateway/internal/transport"
)

// SignInOptions are the sign-in parameters. Neither printing them nor JSON
// shows the password or the service token.
type SignInOptions struct {
	// Phone is the softphone number to bind, 1-24 digits.
	Phone string
	// Password is the agent's password, 1-32 characters.
	Password string `json:"-"`
	// Force signs in with forcelogin, ending a session signed in elsewhere.
	Force bool
	// ForceIfSignedIn sends one forcelogin after a 100-002 (already signed in).
	ForceIfSignedIn bool
	// ManualAnswer turns the gateway's auto-answer off (autoanswer=false).
	ManualAnswer bool
	// AgentType is 4 (PC and phone, the default when 0) or 11 (video).
	AgentType int
	// PushURL and ServiceToken, both or neither, select push mode: the
	// gateway POSTs events to PushURL (serve it with fleet.PushHandler) instead
	// of answering polls. ServiceToken is 1-50 letters and digits.
	PushURL      string
	ServiceToken string `json:"-"`
	// Status is the state right after sign-in: 3 busy, 4 idle (0: the default), 5 wrap-up.
	Status int
	// WrapUpAfterCall enters wrap-up after each call (autoenteridle=false).
	WrapUpAfterCall bool
	// KeepPhoneOffHook keeps the phone off hook between calls (releasephone=false).
	KeepPhoneOffHook bool
	// Skills, if any, are joined with one ResetSkill right after sign-in.
	Skills []int
}

// Format prints the options without secrets under every verb.
func (o SignInOptions) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "{Phone:%s Password:%s Force:%t ForceIfSignedIn:%t ManualAnswer:%t AgentType:%d PushURL:%s ServiceToken:%s Status:%d WrapUpAfterCall:%t KeepPhoneOffHook:%t Skills:%v}",
		o.Phone, Withheld, o.Force, o.ForceIfSignedIn, o.ManualAnswer, o.AgentType, o.PushURL, Withheld, o.Status, o.WrapUpAfterCall, o.KeepPhoneOffHook, o.Skills)
}

// LogValue is the phone and Force.
func (o SignInOptions) LogValue() slog.Value {
	return slog.GroupValue(slog.String("phone", o.Phone), slog.Bool("force", o.Force))
}

// signInBody checks the options against the spec's bounds, and that push
// mode has both an http(s) URL and a token.
func (c *Client) signInBody(agentID int, o SignInOptions) (generated.SignInRequest, error) {
	body := generated.SignInRequest{Password: o.Password, Phonenum: o.Phone}
	if o.ManualAnswer {
		body.Autoanswer = ptr(false)
	}
	if o.AgentType != 0 {
		body.Agenttype = ptr(generated.SignInRequestAgenttype(o.AgentType))
	}
	if o.Status != 0 {
		body.Status = ptr(generated.SignInRequestStatus(o.Status))
	}
	if o.WrapUpAfterCall {
		body.Autoenteridle = ptr(false)
	}
	if o.KeepPhoneOffHook {
		body.Releasephone = ptr(false)
	}
	if o.PushURL != "" || o.ServiceToken != "" {
		body.CallBackUri, body.ServiceToken = &o.PushURL, &o.ServiceToken
		if u, err := url.Parse(o.PushURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return body, &ValidationError{Field: "callBackUri", Value: strconv.Quote(redact.Clip(o.PushURL, 64)), Rule: "an http or https URL, with serviceToken"}
		}
	}
	if err := c.checkAgentID("agentid", agentID); err != nil {
		return body, err
	}
	return body, c.checkSignIn(body)
}

func ptr[T any](v T) *T { return &v }

// SignIn signs agentID in (the SignIn operation; ForceSignIn with Force, or
// after a 100-002 with ForceIfSignedIn) and returns its session, holding
// the Guid of the reply's Set-GUID header. Start Poll at once: the gateway
// signs out an agent that does not poll for two minutes. A 2xx reply that
// cannot confirm the sign-in (unreadable, cut, no usable Set-GUID) is a
// *SignInError; so is a failure to join Skills.
func (c *Client) SignIn(ctx context.Context, agentID int, o SignInOptions) (*Session, error) {
	body, err := c.signInBody(agentID, o)
	if err != nil {
		return nil, err
	}
	s, err := c.newSession(agentID, "")
	if err != nil {
		return nil, err
	}
	if s.push = body.CallBackUri != nil; s.push {
		s.hub.Feed() // events come only as pushed
	}
	if tok := o.ServiceToken; tok != "" {
		s.token = &tok // set before the session is shared, never changed
	}
	signIn := func(ctx context.Context) (*http.Response, error) {
		return s.api.SignIn(transport.MayFailOver(ctx), agentID, body)
	}
	forceSignIn := func(ctx context.Context) (*http.Response, error) {
		return s.api.ForceSignIn(transport.MayFailOver(ctx), agentID, body)
	}
	secrets := []string{o.Password, o.ServiceToken} // a body-echoing proxy must not leak them
	op, send := "SignIn", signIn
	if o.Force {
		op, send = "ForceSignIn", forceSignIn
	}
	_, err = s.callWithSecrets(ctx, op, secrets, send)
	if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.RetCode == generated.RetCodeAlreadySignedIn && o.ForceIfSignedIn && !o.Force {
		op = "ForceSignIn"
		_, err = s.callWithSecrets(ctx, op, secrets, forceSignIn)
	}
	// A 2xx reply that cannot be read may still have signed the agent in.
	unread, ok := errors.AsType[*ReplyError](err)
	switch {
	case err == nil && s.Guid() == "":
		return nil, &SignInError{Err: &ReplyError{Op: op, AgentID: agentID, HTTPStatus: http.StatusOK, Reason: "no usable Set-GUID header"}}
	case ok && unread.HTTPStatus >= 200 && unread.HTTPStatus < 300:
		sie := &SignInError{Err: err}
		if s.Guid() != "" {
			sie.Session = s
		}
		return nil, sie
	case err != nil:
		return nil, err
	}
	s.notifyOn.Store(true)
	s.notify()
	if _, ended := c.endedByGateway.LoadAndDelete(agentID); ended {
		s.MarkGap(GapSignedInAgain)
	}
	if len(o.Skills) > 0 {
		if err := s.ResetSkill(ctx, false, &generated.ResetSkillParams{Skillid: ptr(joinSkills(o.Skills))}); err != nil {
			return nil, &SignInError{Session: s, Err: fmt.Errorf("signed in, but joining skill queues failed: %w", err)}
		}
	}
	return s, nil
}

func joinSkills(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	return strings.Join(parts, ";")
}

// SignInError is a sign-in the gateway may have carried out although
// SignIn could not confirm it (or whose Skills could not be joined). With a
// Session (a Guid arrived), end it with ForceSignOut or SignOut. Without
// one, the gateway signs the agent out after two minutes without a poll,
// or a SignIn with Force takes the session over. A failure with no reply at
// all (a timeout, a reset) may also have signed the agent in.
type SignInError struct {
	Session *Session // nil when no Guid arrived
	Err     error    // what went wrong: a *ReplyError or a transport error
}

// Error says what went wrong and that the agent may be signed in.
func (e *SignInError) Error() string {
	if e.Session != nil {
		return e.Err.Error() + " (the agent may be signed in: sign out the error's Session)"
	}
	return e.Err.Error() + " (the agent may be signed in, with no Guid to sign out)"
}

// Unwrap returns Err.
func (e *SignInError) Unwrap() error { return e.Err }

// endSession sends a sign-out (SignOut, ForceSignOut); once it succeeds
// the session is over: its Poll and KeepAlive end without an error.
func (s *Session) endSession(ctx context.Context, op string, send sendFunc) error {
	s.endMu.Lock()
	defer s.endMu.Unlock()
	if _, err := s.call(ctx, op, send); err != nil {
		return err
	}
	s.end()
	if stop := s.stopPoll.Load(); stop != nil {
		(*stop)(poll.ErrStopped)
	}
	s.gone()
	return nil
}

// unlessSignedOut returns err, which says the session is gone, or nil if
// SignOut or ForceSignOut ended it; it waits for one in flight, whose
// effect the gateway may have shown first.
func (s *Session) unlessSignedOut(err error) error {
	s.endMu.Lock()
	defer s.endMu.Unlock()
	if s.ended.Err() != nil {
		return nil
	}
	return err
}

// adoptGuid sends UpdateGuid and uses the Guid it returns from then on.
func (s *Session) adoptGuid(ctx context.Context, op string, send sendFunc) error {
	result, err := s.call(ctx, op, send)
	if err != nil {
		return err
	}
	var r generated.GuidResult
	if err := json.Unmarshal(result, &r); err != nil || r.Guid == nil || *r.Guid == "" {
		return &ReplyError{Op: op, AgentID: s.agentID, HTTPStatus: http.StatusOK, Reason: "result has no guid", Err: err}
	}
	if s.setGuid(*r.Guid) {
		s.notify()
	}
	return nil
}
