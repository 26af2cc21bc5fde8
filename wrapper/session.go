package wrapper

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// requestContentType is what the vendor requires on every request, with or
// without a body.
const requestContentType = "application/json; charset=UTF-8"

// Session is one signed-in agent: its Guid, its cookies and its event
// waiters. It is safe for concurrent use. Printing a Session never shows its
// Guid.
type Session struct {
	c       *Client
	agentID int
	api     *generated.Client
	// guidMu guards guid: the gateway may rotate it (on a poll or heartbeat
	// reply) while other calls of the same agent are being prepared. Held by
	// pointer, it prints as an address even in a %+v of a dereferenced
	// Session, never as text.
	guidMu sync.RWMutex
	guid   *string

	push     bool // signed in for push mode: events come through Deliver
	subsMu   sync.Mutex
	pollDone chan struct{} // non-nil while a Poll runs; closed when it ends
	subs     map[*subscription]struct{}
}

func (c *Client) newSession(agentID int, guid string) (*Session, error) {
	hc := c.httpClient
	if c.ownJar {
		jar, err := cookiejar.New(nil)
		if err != nil {
			return nil, err
		}
		own := *hc
		own.Jar = jar // cookies (NSLB affinity) per agent session
		hc = &own
	}
	s := &Session{c: c, agentID: agentID}
	if guid != "" {
		s.setGuid(guid)
	}
	api, err := generated.NewClient(c.base, generated.WithHTTPClient(hc), generated.WithRequestEditorFn(s.prepare))
	if err != nil {
		return nil, err
	}
	s.api = api
	return s, nil
}

// Resume attaches to a session signed in elsewhere (for example by another
// process) with its current Guid. No request is sent.
func (c *Client) Resume(agentID int, guid string) (*Session, error) {
	if err := c.checkAgentID("agentid", agentID); err != nil {
		return nil, err
	}
	if guid == "" || strings.ContainsAny(guid, "\r\n") {
		return nil, &ValidationError{Field: "guid", Value: "[REDACTED]", Rule: "a non-empty single-line token"}
	}
	return c.newSession(agentID, guid)
}

// AgentID is the session's agent.
func (s *Session) AgentID() int { return s.agentID }

// Guid returns the current session token, for callers that persist
// sessions. Treat it as a secret.
func (s *Session) Guid() string {
	s.guidMu.RLock()
	defer s.guidMu.RUnlock()
	if s.guid == nil {
		return ""
	}
	return *s.guid
}

func (s *Session) setGuid(g string) {
	s.guidMu.Lock()
	s.guid = &g
	s.guidMu.Unlock()
}

// String and Format keep the Guid out of every fmt verb.
func (s *Session) String() string { return "wrapper.Session{agent " + strconv.Itoa(s.agentID) + "}" }

// Format implements fmt.Formatter so that %v, %+v and %#v cannot print the Guid.
func (s *Session) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue keeps the Guid out of slog output.
func (s *Session) LogValue() slog.Value { return slog.IntValue(s.agentID) }

// prepare is the generated client's request editor: every request gets the
// vendor's Content-Type and, once known, the Guid. It also makes the
// request one net/http will not send twice: without GetBody it cannot
// resend a body it has written, and a GET or DELETE with a non-nil body is
// not "replayable" on a kept-alive connection that closed (the empty body
// is probed and not sent, so the wire is unchanged).
func (s *Session) prepare(_ context.Context, req *http.Request) error {
	req.Header["Content-Type"] = []string{requestContentType}
	if g := s.Guid(); g != "" {
		req.Header["Guid"] = []string{g}
	}
	req.GetBody = nil
	if req.Body == nil && (req.Method == http.MethodGet || req.Method == http.MethodDelete) {
		req.Body = noReplay{}
	}
	return nil
}

// noReplay is an empty body that cannot be rewound.
type noReplay struct{}

func (noReplay) Read([]byte) (int, error) { return 0, io.EOF }
func (noReplay) Close() error             { return nil }

// parseSetGUID extracts the token from a Set-GUID header value such as
// "JSESSIONID=abc.AgentGateway0", tolerating spaces, a missing prefix and
// cookie-style attributes after ";".
func parseSetGUID(v string) string {
	v, _, _ = strings.Cut(v, ";")
	v = strings.TrimSpace(v)
	if k, rest, ok := strings.Cut(v, "="); ok && strings.EqualFold(strings.TrimSpace(k), "JSESSIONID") {
		v = strings.TrimSpace(rest)
	}
	if strings.ContainsAny(v, " \t\r\n\"") {
		return ""
	}
	return v
}

// sendFunc sends one generated request under ctx.
type sendFunc func(ctx context.Context) (*http.Response, error)

// exchange sends one request and reads its reply. It never retries: a
// call-control request reaches the gateway at most once.
//
// secrets are what else the request carries that must stay out of errors,
// like the Guid: a password, a service token.
func (s *Session) exchange(ctx context.Context, op string, timeout time.Duration, secrets []string, send sendFunc) (rawReply, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sentGuid := s.Guid() // what prepare puts in this request's header
	resp, err := send(ctx)
	if err != nil {
		return rawReply{}, fmt.Errorf("agentgateway: %s agent %d: %w", op, s.agentID, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if v := resp.Header.Get("Set-Guid"); v != "" {
			if g := parseSetGUID(v); g != "" {
				s.setGuid(g)
			}
		}
	}
	return readReply(op, s.agentID, sentGuid, s.Guid(), secrets, resp, s.c.cfg.maxReply)
}

// call runs one ordinary operation and returns the envelope's result.
func (s *Session) call(ctx context.Context, op string, send sendFunc) (json.RawMessage, error) {
	return s.callWithSecrets(ctx, op, nil, send)
}

// callWithSecrets is call for a request that carries secrets besides the
// Guid, which its errors must not show either.
func (s *Session) callWithSecrets(ctx context.Context, op string, secrets []string, send sendFunc) (json.RawMessage, error) {
	start := time.Now()
	r, err := s.exchange(ctx, op, s.c.cfg.timeout, secrets, send)
	if err != nil {
		s.logCall(ctx, op, 0, "", start, err)
		return nil, err
	}
	env, err := r.decodeEnvelope()
	s.logCall(ctx, op, r.status, env.RetCode, start, err)
	r.release()
	if s.push && err != nil && errors.Is(err, ErrNotSignedIn) {
		s.c.untrackPush(s) // the gateway no longer knows the session
	}
	return env.Result, err
}

func (s *Session) logCall(ctx context.Context, op string, status int, retcode string, start time.Time, err error) {
	if !s.c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", op), slog.Int("agent", s.agentID), slog.Int("status", status),
		slog.Duration("took", time.Since(start)),
	}
	if retcode != "" && retcode != noRetCode {
		attrs = append(attrs, slog.String("retcode", retcode))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	s.c.log.LogAttrs(ctx, slog.LevelDebug, "agentgateway call", attrs...)
}

// SignInOptions are the sign-in parameters. Printing them never shows the
// password, and it is left out of JSON.
type SignInOptions struct {
	// Phone is the softphone number to bind, 1-24 digits.
	Phone string
	// Password is the agent's password, 1-32 characters.
	Password string `json:"-"`
	// Force signs in with forcelogin, ending a session signed in elsewhere.
	Force bool
	// ForceIfSignedIn tries a normal sign-in first and, only on 100-002
	// (already signed in), sends one forcelogin.
	ForceIfSignedIn bool
	// ManualAnswer turns the gateway's auto-answer off (autoanswer=false).
	ManualAnswer bool
	// AgentType is 4 (PC and phone, the default when 0) or 11 (video).
	AgentType int
	// PushURL and ServiceToken, both or neither, select push mode: the
	// gateway POSTs events to PushURL (serve it with PushHandler) instead
	// of answering polls. ServiceToken is 1-50 letters and digits.
	PushURL      string
	ServiceToken string `json:"-"`
}

// Format implements fmt.Formatter so that no verb prints the password.
func (o SignInOptions) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "{Phone:%s Password:[REDACTED] Force:%t ForceIfSignedIn:%t ManualAnswer:%t AgentType:%d PushURL:%s ServiceToken:[REDACTED]}",
		o.Phone, o.Force, o.ForceIfSignedIn, o.ManualAnswer, o.AgentType, o.PushURL)
}

// LogValue keeps the password out of slog output.
func (o SignInOptions) LogValue() slog.Value {
	return slog.GroupValue(slog.String("phone", o.Phone), slog.Bool("force", o.Force))
}

func (c *Client) validateSignIn(agentID int, o SignInOptions) error {
	if err := c.checkAgentID("agentid", agentID); err != nil {
		return err
	}
	if err := checkDigits("phonenum", o.Phone, 1, 24); err != nil {
		return err
	}
	if n := len([]rune(o.Password)); n < 1 || n > 32 {
		return &ValidationError{Field: "password", Value: "[REDACTED]", Rule: "1-32 characters"}
	}
	if o.AgentType != 0 && o.AgentType != 4 && o.AgentType != 11 {
		return &ValidationError{Field: "agenttype", Value: strconv.Itoa(o.AgentType), Rule: "4 or 11"}
	}
	if o.PushURL == "" && o.ServiceToken == "" {
		return nil
	}
	if u, err := url.Parse(o.PushURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(o.PushURL) > 1024 {
		return &ValidationError{Field: "callBackUri", Value: strconv.Quote(shorten(o.PushURL, 64)), Rule: "an http or https URL of at most 1024 characters, with serviceToken"}
	}
	if len(o.ServiceToken) < 1 || len(o.ServiceToken) > 50 || !isAlnum(o.ServiceToken) {
		return &ValidationError{Field: "serviceToken", Value: "[REDACTED]", Rule: "1-50 letters and digits, with callBackUri"}
	}
	return nil
}

// SignIn signs agentID in and returns its session, holding the Guid from
// the reply's Set-GUID header. Start Poll at once: the gateway signs out an
// agent that does not poll for two minutes.
//
//	PUT /agentgateway/resource/onlineagent/{agentid}            (SignIn)
//	PUT /agentgateway/resource/onlineagent/{agentid}/forcelogin (ForceSignIn, with Force)
//
// With ForceIfSignedIn a 100-002 reply is followed by one forcelogin; no
// other failure is retried.
func (c *Client) SignIn(ctx context.Context, agentID int, o SignInOptions) (*Session, error) {
	if err := c.validateSignIn(agentID, o); err != nil {
		return nil, err
	}
	s, err := c.newSession(agentID, "")
	if err != nil {
		return nil, err
	}
	body := generated.SignInRequest{Password: o.Password, Phonenum: o.Phone}
	if o.ManualAnswer {
		f := false
		body.Autoanswer = &f
	}
	if o.AgentType != 0 {
		t := generated.SignInRequestAgenttype(o.AgentType)
		body.Agenttype = &t
	}
	if o.PushURL != "" {
		body.CallBackUri, body.ServiceToken = &o.PushURL, &o.ServiceToken
		s.push = true
	}
	signIn := func(ctx context.Context) (*http.Response, error) { return s.api.SignIn(ctx, agentID, body) }
	forceSignIn := func(ctx context.Context) (*http.Response, error) { return s.api.ForceSignIn(ctx, agentID, body) }

	secrets := []string{o.Password, o.ServiceToken} // a body-echoing proxy must not leak them
	if o.Force {
		_, err = s.callWithSecrets(ctx, "ForceSignIn", secrets, forceSignIn)
	} else {
		_, err = s.callWithSecrets(ctx, "SignIn", secrets, signIn)
		if o.ForceIfSignedIn && isRetCode(err, "100-002") {
			_, err = s.callWithSecrets(ctx, "ForceSignIn", secrets, forceSignIn)
		}
	}
	if err != nil {
		return nil, err
	}
	if s.push {
		c.trackPush(s)
	}
	return s, nil
}

func isRetCode(err error, code string) bool {
	ae, ok := err.(*APIError)
	return ok && ae.RetCode == code
}

// SignOut signs the agent out. The gateway refuses while the agent talks;
// use ForceSignOut then.
//
//	DELETE /agentgateway/resource/onlineagent/{agentid}/logout
func (s *Session) SignOut(ctx context.Context) error {
	_, err := s.call(ctx, "SignOut", func(ctx context.Context) (*http.Response, error) {
		return s.api.SignOut(ctx, s.agentID)
	})
	if err == nil && s.push {
		s.c.untrackPush(s)
	}
	return err
}

// ForceSignOut signs the agent out even during a call, releasing it.
//
//	DELETE /agentgateway/resource/onlineagent/{agentid}/forcelogout
func (s *Session) ForceSignOut(ctx context.Context) error {
	_, err := s.call(ctx, "ForceSignOut", func(ctx context.Context) (*http.Response, error) {
		return s.api.ForceSignOut(ctx, s.agentID)
	})
	if err == nil && s.push {
		s.c.untrackPush(s)
	}
	return err
}

// Heartbeat keeps a push-mode session alive (every ~30 s); polling sessions
// do not need it. A rotated Guid in the reply is taken up. serviceToken is
// the push-mode token, or "" for none.
//
//	POST /agentgateway/resource/onlineagent/{agentid}/handshake
func (s *Session) Heartbeat(ctx context.Context, serviceToken string) error {
	if err := checkServiceToken(serviceToken); err != nil {
		return err
	}
	params := &generated.HandshakeParams{}
	if serviceToken != "" {
		params.ServiceToken = &serviceToken
	}
	_, err := s.callWithSecrets(ctx, "Handshake", []string{serviceToken}, func(ctx context.Context) (*http.Response, error) {
		return s.api.Handshake(ctx, s.agentID, params)
	})
	return err
}

// checkServiceToken checks a heartbeat's push-mode token, which may be
// empty; its value never appears in the error.
func checkServiceToken(token string) error {
	if len(token) > 50 || !isAlnum(token) {
		return &ValidationError{Field: "service_token", Value: "[REDACTED]", Rule: "at most 50 letters and digits"}
	}
	return nil
}

// RefreshGuid asks the gateway for the session's current Guid and uses it
// from then on.
//
//	PUT /agentgateway/resource/onlineagent/{agentid}/updateGuid
func (s *Session) RefreshGuid(ctx context.Context) error {
	result, err := s.call(ctx, "UpdateGuid", func(ctx context.Context) (*http.Response, error) {
		return s.api.UpdateGuid(ctx, s.agentID)
	})
	if err != nil {
		return err
	}
	var r struct {
		Guid string `json:"guid"`
	}
	if err := json.Unmarshal(result, &r); err != nil || r.Guid == "" {
		return &ReplyError{Op: "UpdateGuid", AgentID: s.agentID, HTTPStatus: http.StatusOK, Reason: "result has no guid", Err: err}
	}
	s.setGuid(r.Guid)
	return nil
}
