package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Failover sends requests to a primary gateway or, after a transport
// failure there (no reply: refused, reset, timed out), to a backup for a
// cool-down; then to the primary again. A request whose context is marked
// by MayFailOver and that fails so at the primary is sent once more, at
// once, to the backup; any other is never sent to a second gateway.
type Failover struct {
	primary, backup *url.URL
	coolDown        time.Duration

	mu        sync.Mutex
	downUntil time.Time // the primary is skipped until then
	gen       uint64    // counts the switches between primary and backup
}

// Generation counts the switches between the two gateways so far: a
// session whose events the other gateway held has lost them.
func (f *Failover) Generation() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refresh(time.Now())
	return f.gen
}

// refresh ends an expired cool-down: back to the primary. Call with f.mu.
func (f *Failover) refresh(now time.Time) {
	if !f.downUntil.IsZero() && !now.Before(f.downUntil) {
		f.downUntil = time.Time{}
		f.gen++
	}
}

// NewFailover chooses between primary and backup, two base URLs whose paths
// are the resource roots (a trailing slash or none).
func NewFailover(primary, backup *url.URL, coolDown time.Duration) *Failover {
	root := func(u *url.URL) *url.URL {
		c := *u
		c.Path, c.RawPath = strings.TrimRight(u.Path, "/"), strings.TrimRight(u.RawPath, "/")
		return &c
	}
	return &Failover{primary: root(primary), backup: root(backup), coolDown: coolDown}
}

// Via sends requests through hc (one with a session's cookie jar, say) to
// the gateway f chooses; every Via of f shares its choice.
func (f *Failover) Via(hc *http.Client) *Doer { return &Doer{f: f, hc: hc} }

// Doer is a Failover's way through one client; it suits a generated
// client's HttpRequestDoer.
type Doer struct {
	f  *Failover
	hc *http.Client
}

type failoverKey struct{}

// MayFailOver marks a request that may go to the backup after failing at
// the primary: one that is harmless to send twice (sign-in, event poll,
// heartbeat).
func MayFailOver(ctx context.Context) context.Context {
	return context.WithValue(ctx, failoverKey{}, true)
}

// Do sends req to the gateway in use.
func (d *Doer) Do(req *http.Request) (*http.Response, error) {
	f := d.f
	if f.UseBackup() {
		return d.hc.Do(f.toBackup(req, nil))
	}
	may := req.Context().Value(failoverKey{}) != nil
	var body []byte
	if _, none := req.Body.(noReplay); may && req.Body != nil && !none {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := d.hc.Do(req)
	if err == nil || errors.Is(err, context.Canceled) {
		return resp, err // a reply, or the caller gave up
	}
	f.Failed()
	if !may || req.Context().Err() != nil {
		return resp, err
	}
	return d.hc.Do(f.toBackup(req, body))
}

// Failed notes a failure with no reply at the primary: requests go to the
// backup for the cool-down. Do calls it; so does a sender of its own (a
// Parked poll), which then sends a request safe to send twice once more,
// to ToBackup's address.
func (f *Failover) Failed() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.downUntil.IsZero() {
		f.gen++ // to the backup
	}
	f.downUntil = time.Now().Add(f.coolDown)
}

// UseBackup reports whether requests go to the backup now.
func (f *Failover) UseBackup() bool { return f.primaryDown() }

// ToBackup is req, addressed to the primary, addressed to the backup.
func (f *Failover) ToBackup(req *http.Request) *http.Request { return f.toBackup(req, nil) }

func (f *Failover) primaryDown() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refresh(time.Now())
	return !f.downUntil.IsZero()
}

// toBackup is req addressed to the backup, with body if not nil.
func (f *Failover) toBackup(req *http.Request, body []byte) *http.Request {
	u := *f.backup
	u.Path += strings.TrimPrefix(req.URL.Path, f.primary.Path)
	u.RawPath = f.backup.EscapedPath() + strings.TrimPrefix(req.URL.EscapedPath(), f.primary.EscapedPath())
	u.RawQuery = req.URL.RawQuery
	r := req.Clone(req.Context())
	r.URL, r.Host = &u, ""
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return r
}
