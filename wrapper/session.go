package wrapper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/segmentio/encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/redact"
	"github.com/agentgateway-go/agentgateway/internal/transport"
)

// requestContentType is what the vendor requires on every request.
const requestContentType = "application/json; charset=UTF-8"

// Session is one signed-in agent: its Guid, its cookies and its event
// waiters. It is safe for concurrent use. Printing a Session never shows its
// Guid.
type Session struct {
	c       *Client
	agentID int
	api     *generated.Client
	// The gateway may rotate the Guid while other calls are prepared. Held
	// by pointer, guid and cookies print as addresses even in a %+v of a
	// dereferenced Session.
	guidMu  sync.RWMutex
	guid    *string
	cookies atomic.Pointer[[]StateCookie] // as the gateway set them; written under guidMu

	hookMu   sync.Mutex    // orders the state hook's calls
	notifyOn atomic.Bool   // changes go to the state hook (after SignIn, Restore)
	over     atomic.Bool   // signed out or refused by the gateway
	done     chan struct{} // closed when over is set
	hc       *http.Client  // with the session's cookie jar, whose values errors withhold
	workNo   string        // agentID as events name it
	push     bool          // signed in for push mode
	token    *string       // the push service token it signed in with, a secret as the Guid is

	// endMu is held while signing out, so that a Poll meeting 100-006
	// learns whether the sign-out it raced was asked for; ended is done once
	// one succeeded.
	endMu   sync.Mutex
	ended   context.Context
	end     context.CancelFunc
	pollReq [2]pollTemplate // the chained poll's requests to the primary and the backup (pollchain.go)
	// stopPoll ends the session's Poll, if one runs, when it signs out.
	stopPoll atomic.Pointer[context.CancelCauseFunc]

	hub hub // the waiters of its events (PickUp)

	gap     gapState      // a gap not yet reported
	failGen atomic.Uint64 // the client's failover generation last seen
}

func (c *Client) newSession(agentID int, guid string) (*Session, error) {
	s := &Session{c: c, agentID: agentID, hc: c.httpClient, workNo: strconv.Itoa(agentID), done: make(chan struct{})}
	if c.ownJar {
		own := *c.httpClient
		own.Jar = cookieJar{s} // cookies (NSLB affinity) per agent session
		s.hc = &own
	}
	hc := s.hc
	s.ended, s.end = context.WithCancel(context.Background())
	if guid != "" {
		s.setGuid(guid)
	}
	var doer generated.HttpRequestDoer = hc
	if c.fail != nil {
		doer = c.fail.Via(hc)
		s.failGen.Store(c.fail.Generation())
	}
	api, err := generated.NewClient(c.base, generated.WithHTTPClient(doer), generated.WithRequestEditorFn(s.prepare))
	if err != nil {
		return nil, err
	}
	s.api = api
	return s, nil
}

// Resume attaches to a session signed in elsewhere with its current Guid,
// sending nothing; Restore does the same with cookies.
func (c *Client) Resume(agentID int, guid string) (*Session, error) {
	return c.Restore(SessionState{AgentID: agentID, Guid: guid})
}

// Done is closed when the session ends: signed out, or the gateway said it
// is gone (ErrNotSignedIn).
func (s *Session) Done() <-chan struct{} { return s.done }

// AgentID is the session's agent.
func (s *Session) AgentID() int { return s.agentID }

// Guid returns the current session token. Treat it as a secret.
func (s *Session) Guid() string {
	s.guidMu.RLock()
	defer s.guidMu.RUnlock()
	if s.guid == nil {
		return ""
	}
	return *s.guid
}

// setGuid sets the Guid and reports whether it changed.
func (s *Session) setGuid(g string) bool {
	s.guidMu.Lock()
	defer s.guidMu.Unlock()
	if s.guid != nil && *s.guid == g {
		return false
	}
	s.guid = &g
	return true
}

// String, Format and LogValue keep the Guid out of fmt and slog output.
func (s *Session) String() string { return "wrapper.Session{agent " + strconv.Itoa(s.agentID) + "}" }

// Format prints String under every fmt verb.
func (s *Session) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue is the agent ID.
func (s *Session) LogValue() slog.Value { return slog.IntValue(s.agentID) }

// prepare is the generated client's request editor: every request gets the
// vendor's Content-Type and, once known, the Guid, and is one net/http
// will not send twice.
func (s *Session) prepare(_ context.Context, req *http.Request) error {
	for k, v := range s.c.cfg.headers {
		req.Header[k] = v
	}
	req.Header["Content-Type"] = []string{requestContentType}
	if g := s.Guid(); g != "" {
		req.Header["Guid"] = []string{g}
	}
	transport.SendOnce(req)
	return nil
}

// sendFunc sends one generated request under ctx.
type sendFunc func(ctx context.Context) (*http.Response, error)

// exchange sends one request, never twice, and reads its reply. secrets
// are what else it carries that errors must not show (a password, a token).
func (s *Session) exchange(ctx context.Context, op string, timeout time.Duration, secrets []string, send sendFunc) (wireReply, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	sentGuid := s.Guid() // what prepare puts in this request's header
	resp, err := send(ctx)
	return s.received(ctx, op, sentGuid, secrets, resp, err)
}

// received reads the reply to a request sent with sentGuid under ctx
// (resp, or the error that came instead), noting a new Guid and cookies.
func (s *Session) received(ctx context.Context, op, sentGuid string, secrets []string, resp *http.Response, err error) (wireReply, error) {
	if err != nil {
		// net/http quotes a malformed reply header line whole.
		var reqURL *url.URL
		if ue := (*url.Error)(nil); errors.As(err, &ue) {
			reqURL, _ = url.Parse(ue.URL)
		}
		return wireReply{}, redact.Of(s.secrets(sentGuid, secrets, nil, reqURL)...).Err(
			fmt.Errorf("agentgateway: %s agent %d: %w", op, s.agentID, err),
			fmt.Sprintf("agentgateway: %s agent %d: transport error", op, s.agentID))
	}
	changed := false
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if v := resp.Header.Get("Set-Guid"); v != "" {
			if g := parseSetGuid(v); g != "" {
				changed = s.setGuid(g)
			}
		}
	}
	if len(resp.Header["Set-Cookie"]) > 0 {
		changed = s.noteCookies(resp) || changed
	}
	if changed {
		s.notify()
	}
	if _, ok := s.hc.Transport.(*http.Transport); !ok && resp.StatusCode >= 200 {
		// net/http ends a body read when the request's context ends;
		// another transport may not, but closing the body does.
		defer context.AfterFunc(ctx, func() { _ = resp.Body.Close() })()
	}
	call := replyOwner{Op: op, AgentID: s.agentID, SentGuid: sentGuid != "",
		Secrets: func() []string { return s.secrets(sentGuid, secrets, resp, nil) }}
	return readReply(ctx, call, resp, s.c.cfg.maxReply)
}

// call runs one ordinary operation and returns the envelope's result.
func (s *Session) call(ctx context.Context, op string, send sendFunc) (json.RawMessage, error) {
	return s.callWithSecrets(ctx, op, nil, send)
}

// callWithSecrets is call for a request that carries other secrets too.
func (s *Session) callWithSecrets(ctx context.Context, op string, secrets []string, send sendFunc) (json.RawMessage, error) {
	ctx, obs := s.startCall(ctx, op)
	start := time.Now()
	r, err := s.exchange(ctx, op, s.c.cfg.timeout, secrets, send)
	if err != nil {
		s.logCall(ctx, op, 0, start, err)
		obs.done(0, err)
		return nil, err
	}
	env, err := r.Envelope()
	s.logCall(ctx, op, r.Status(), start, err)
	obs.done(r.Status(), err)
	r.Release()
	if err != nil && errors.Is(err, ErrNotSignedIn) {
		s.gone() // the gateway no longer knows the session
	}
	return env.Result, err
}

// logCall logs a call at debug level; the retcode comes from the error,
// where secrets are already withheld.
func (s *Session) logCall(ctx context.Context, op string, status int, start time.Time, err error) {
	if !s.c.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("op", op), slog.Int("agent", s.agentID), slog.Int("status", status),
		slog.Duration("took", time.Since(start))}
	switch ae, ok := errors.AsType[*APIError](err); {
	case err == nil:
		attrs = append(attrs, slog.String("retcode", "0"))
	case ok:
		attrs = append(attrs, slog.String("retcode", ae.RetCode), slog.String("error", err.Error()))
	default:
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	s.c.log.LogAttrs(ctx, slog.LevelDebug, "agentgateway call", attrs...)
}

// decodeResult decodes a result into the model the spec names; one that
// does not fit is a *ReplyError.
func decodeResult[T any](op string, agentID int, raw json.RawMessage, err error) (T, error) {
	var out T
	if err != nil || isEmpty(raw) {
		return out, err
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return out, &ReplyError{Op: op, AgentID: agentID, HTTPStatus: http.StatusOK, Reason: "result does not match the spec", Err: err}
	}
	return out, nil
}

// isEmpty reports whether a result is absent, null or "".
func isEmpty(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null" || string(raw) == `""`
}

// anonymous is the session, without a Guid, of the calls naming no agent.
func (c *Client) anonymous() *Session {
	c.anonOnce.Do(func() { c.anon, _ = c.newSession(0, "") })
	return c.anon
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
