package wrapper

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultCoolDown is how long requests skip a primary gateway that failed.
const DefaultCoolDown = 30 * time.Second

// WithBackupURL names a backup gateway (another node of the cluster,
// which knows the same sessions; same URL rules as NewClient). After a
// transport failure at the primary (no reply: refused, reset, timed
// out), requests go to the backup for coolDown (0: DefaultCoolDown), then
// to the primary again. Sign-in, event polls and heartbeats that fail so
// at the primary are sent once more, at once, to the backup; every other
// request is never sent to a second gateway: its failure is returned.
func WithBackupURL(backupURL string, coolDown time.Duration) Option {
	return func(c *config) error {
		b, err := normalizeBaseURL(backupURL)
		if err != nil {
			return err
		}
		if coolDown < 0 {
			return fmt.Errorf("agentgateway: WithBackupURL: cool-down %v is negative", coolDown)
		}
		c.backup, c.coolDown = b, coolDown
		if coolDown == 0 {
			c.coolDown = DefaultCoolDown
		}
		return nil
	}
}

// failover is a client's choice between its primary and backup gateway.
type failover struct {
	primary, backup *url.URL
	coolDown        time.Duration

	mu        sync.Mutex
	downUntil time.Time // the primary is skipped until then
}

func (f *failover) primaryDown() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return time.Now().Before(f.downUntil)
}

func (f *failover) markDown() {
	f.mu.Lock()
	f.downUntil = time.Now().Add(f.coolDown)
	f.mu.Unlock()
}

// toBackup is req addressed to the backup, with body if not nil.
func (f *failover) toBackup(req *http.Request, body []byte) *http.Request {
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

type failoverKey struct{}

// mayFailOver marks a request that may go to the backup after failing at
// the primary: sign-in, event poll, heartbeat.
func mayFailOver(ctx context.Context) context.Context {
	return context.WithValue(ctx, failoverKey{}, true)
}

// failoverDoer sends the generated client's requests to the primary or the
// backup gateway.
type failoverDoer struct {
	f  *failover
	hc *http.Client
}

func (d failoverDoer) Do(req *http.Request) (*http.Response, error) {
	if d.f.primaryDown() {
		return d.hc.Do(d.f.toBackup(req, nil))
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
	d.f.markDown()
	if !may || req.Context().Err() != nil {
		return resp, err
	}
	return d.hc.Do(d.f.toBackup(req, body))
}
