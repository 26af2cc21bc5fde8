package wrapper

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SessionState is what a process needs to go on with a session signed in
// by another: a store keeps it (see WithStateHook) and Client.Restore
// brings it back. It marshals to JSON with every secret in it, so keep
// that JSON like a password; printing it (fmt, slog) shows none.
type SessionState struct {
	AgentID int           `json:"agentId"`
	Guid    string        `json:"guid"`
	Cookies []StateCookie `json:"cookies,omitempty"`
	Push    bool          `json:"push,omitempty"` // signed in for push mode
	// Ended is set in the state a hook receives when the session ended:
	// signed out, or refused by the gateway (ErrNotSignedIn).
	Ended bool `json:"ended,omitempty"`
}

// StateCookie is one cookie the gateway (or its NSLB) set. Domain is the
// host it is sent to; Restore sets it host-only there.
type StateCookie struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
}

// String names the agent, never the Guid or a cookie value.
func (st SessionState) String() string {
	return "wrapper.SessionState{agent " + strconv.Itoa(st.AgentID) + ", " + strconv.Itoa(len(st.Cookies)) +
		" cookies, push " + strconv.FormatBool(st.Push) + ", ended " + strconv.FormatBool(st.Ended) + "}"
}

// Format makes every fmt verb print String.
func (st SessionState) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(st.String())) }

// LogValue keeps secrets out of slog output.
func (st SessionState) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("agent", st.AgentID), slog.Int("cookies", len(st.Cookies)),
		slog.Bool("push", st.Push), slog.Bool("ended", st.Ended))
}

// String shows the cookie without its value.
func (c StateCookie) String() string {
	return "{" + c.Name + "=" + Withheld + " " + c.Domain + c.Path + "}"
}

// Format makes every fmt verb print String.
func (c StateCookie) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue keeps the value out of slog output.
func (c StateCookie) LogValue() slog.Value { return slog.StringValue(c.String()) }

// State returns the session's current state, secrets included.
func (s *Session) State() SessionState {
	s.guidMu.RLock()
	defer s.guidMu.RUnlock()
	st := SessionState{AgentID: s.agentID, Push: s.push, Ended: s.over.Load()}
	if s.guid != nil {
		st.Guid = *s.guid
	}
	if cs := s.cookies.Load(); cs != nil {
		st.Cookies = slices.Clone(*cs)
	}
	return st
}

// Restore makes a Session of a state saved by another (of this process or
// another), after checking it; it sends nothing.
func (c *Client) Restore(st SessionState) (*Session, error) {
	if err := c.checkAgentID("agentid", st.AgentID); err != nil {
		return nil, err
	}
	bad := func(field, rule string) error { return &ValidationError{Field: field, Value: Withheld, Rule: rule} }
	if st.Guid == "" || strings.ContainsAny(st.Guid, " \t\r\n\"") {
		return nil, bad("guid", "a non-empty single-line token")
	}
	if st.Ended {
		return nil, bad("ended", "a live session")
	}
	for _, ck := range st.Cookies {
		hc := http.Cookie{Name: ck.Name, Value: ck.Value, Path: ck.Path}
		if hc.Valid() != nil || ck.Domain == "" || strings.ContainsAny(ck.Domain, "/?#@ ") || !strings.HasPrefix(ck.Path, "/") {
			return nil, bad("cookies", "cookies with a valid name, value, domain and path")
		}
	}
	s, err := c.newSession(st.AgentID, st.Guid)
	if err != nil {
		return nil, err
	}
	if s.push = st.Push; s.push {
		s.hub.Feed()
	}
	cs := slices.Clone(st.Cookies)
	s.cookies.Store(&cs)
	if !c.ownJar { // the caller's jar sends them
		for _, ck := range cs {
			u := &url.URL{Scheme: c.baseURL.Scheme, Host: ck.Domain, Path: ck.Path}
			s.hc.Jar.SetCookies(u, []*http.Cookie{{Name: ck.Name, Value: ck.Value, Path: ck.Path}})
		}
	}
	s.notifyOn.Store(true)
	s.MarkGap(GapRestored) // the previous holder may have polled events it never handed on
	return s, nil
}

// noteCookies records the cookies resp sets; it reports a change.
func (s *Session) noteCookies(resp *http.Response) bool {
	host := ""
	if resp.Request != nil {
		host = resp.Request.URL.Hostname()
	}
	s.guidMu.Lock()
	defer s.guidMu.Unlock()
	var cs []StateCookie
	if old := s.cookies.Load(); old != nil {
		cs = slices.Clone(*old)
	}
	changed := false
	for _, hc := range resp.Cookies() {
		ck := StateCookie{Name: hc.Name, Value: hc.Value, Domain: strings.TrimPrefix(hc.Domain, "."), Path: hc.Path}
		if ck.Domain == "" {
			ck.Domain = host
		}
		if ck.Path == "" {
			ck.Path = "/"
		}
		i := slices.IndexFunc(cs, func(o StateCookie) bool { return o.Name == ck.Name && o.Domain == ck.Domain && o.Path == ck.Path })
		switch {
		case expired(hc) && i >= 0:
			cs, changed = slices.Delete(cs, i, i+1), true
		case expired(hc) || (i >= 0 && cs[i] == ck):
		case i >= 0:
			cs[i], changed = ck, true
		default:
			cs, changed = append(cs, ck), true
		}
	}
	s.cookies.Store(&cs)
	return changed
}

// expired reports whether a cookie set is one to delete.
func expired(c *http.Cookie) bool {
	return c.MaxAge < 0 || (!c.Expires.IsZero() && c.Expires.Before(time.Now()))
}

// cookieJar is a session's own cookie jar: the cookies its state records
// (noteCookies, called on every reply), so that one list both sends
// them and restores them elsewhere.
type cookieJar struct{ s *Session }

// SetCookies does nothing: the session records every reply's cookies.
func (cookieJar) SetCookies(*url.URL, []*http.Cookie) {}

// Cookies returns the recorded cookies whose domain and path match u.
func (j cookieJar) Cookies(u *url.URL) []*http.Cookie {
	cs := j.s.cookies.Load()
	if cs == nil {
		return nil
	}
	host, path := u.Hostname(), u.EscapedPath()
	if path == "" {
		path = "/"
	}
	var out []*http.Cookie
	for _, c := range *cs {
		domainOK := host == c.Domain || strings.HasSuffix(host, "."+c.Domain)
		pathOK := path == c.Path || (strings.HasPrefix(path, c.Path) &&
			(strings.HasSuffix(c.Path, "/") || path[len(c.Path)] == '/'))
		if domainOK && pathOK {
			out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
		}
	}
	return out
}

// notify tells the state hook of a change, in order.
func (s *Session) notify() { s.tell(s.notifyOn.Load()) }

// gone marks the session ended (signed out or refused): Done is closed
// and the hook hears of it, once, last.
func (s *Session) gone() {
	if !s.over.Swap(true) {
		close(s.done)
		if s.ended.Err() == nil { // the gateway ended it, not a sign-out
			s.c.endedByGateway.Store(s.agentID, struct{}{})
		}
	}
	s.tell(s.notifyOn.Swap(false))
}

func (s *Session) tell(on bool) {
	if on && s.c.cfg.stateHook != nil {
		s.hookMu.Lock()
		defer s.hookMu.Unlock()
		s.c.cfg.stateHook(s.State())
	}
}
