package wrapper

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/transport"
)

// Defaults. The event poll's timeout must outlast the gateway's poll wait
// (about 10 s with the vendor's defaults).
const (
	DefaultTimeout       = 10 * time.Second
	DefaultPollTimeout   = 40 * time.Second
	DefaultMaxReplyBytes = 1 << 20
	DefaultCoolDown      = 30 * time.Second // how long requests skip a failed primary
)

// Option configures a Client. Options report bad values as errors from
// NewClient.
type Option func(*config) error

type config struct {
	http        transport.Config
	timeout     time.Duration
	pollTimeout time.Duration
	logger      *slog.Logger
	minID       int
	maxID       int
	maxReply    int64
	stateHook   func(SessionState)
	backup      *url.URL // nil for none
	coolDown    time.Duration
	hooks       Hooks       // see WithHooks
	headers     http.Header // see WithHeader
}

// option is an Option that applies set, unless bad says why the argument
// of the option named name is refused.
func option(name, bad string, set func(*config)) Option {
	return func(c *config) error {
		if bad != "" {
			return errors.New("agentgateway: " + name + ": " + bad)
		}
		set(c)
		return nil
	}
}

func isNil(missing bool) string {
	if missing {
		return "nil argument"
	}
	return ""
}

func positive(d time.Duration) string {
	if d <= 0 {
		return fmt.Sprintf("%v is not positive", d)
	}
	return ""
}

// WithHTTPClient sends requests through a copy of hc, used as given, except
// that a nil Transport becomes the library's own and a nil CheckRedirect
// follows no redirect; a nil Jar becomes one cookie jar per session. It
// excludes WithTransport; what its transport must ensure is said there.
func WithHTTPClient(hc *http.Client) Option {
	return option("WithHTTPClient", isNil(hc == nil), func(c *config) { c.http.HTTPClient = hc })
}

// WithTransport sends requests through rt (a proxy-aware or instrumented
// transport, say). An *http.Transport is cloned and made HTTP/1.1-only
// when a TLS option is given too; otherwise, used as given, rt
// must (1) never send a request twice: no HTTP/2 (NewClient warns when an
// *http.Transport may negotiate it) and no retry layer; (2) return from
// RoundTrip when the request's context ends; (3) keep secrets out of its
// own logs.
func WithTransport(rt http.RoundTripper) Option {
	return option("WithTransport", isNil(rt == nil), func(c *config) { c.http.Transport = rt })
}

// WithTLSConfig uses a clone of cfg for HTTPS. Verification stays on unless
// cfg itself turns it off.
func WithTLSConfig(cfg *tls.Config) Option {
	return option("WithTLSConfig", isNil(cfg == nil), func(c *config) { c.http.TLSConfig = cfg.Clone() })
}

// WithRootCAs trusts pool (a gateway's private CA) instead of the system roots.
func WithRootCAs(pool *x509.CertPool) Option {
	return option("WithRootCAs", isNil(pool == nil), func(c *config) { c.http.RootCAs = pool })
}

// WithInsecureSkipVerify turns off certificate verification, for lab
// gateways only: anyone on the path can then read the Guid and the
// password. NewClient warns, to the WithLogger logger or slog.Default().
func WithInsecureSkipVerify() Option {
	return option("WithInsecureSkipVerify", "", func(c *config) { c.http.InsecureSkipVerify = true })
}

// WithTimeout bounds each ordinary call (default 10 s). A context deadline
// that comes sooner wins.
func WithTimeout(d time.Duration) Option {
	return option("WithTimeout", positive(d), func(c *config) { c.timeout = d })
}

// WithPollTimeout bounds each event-poll request (default 40 s). It must be
// longer than the gateway's poll wait.
func WithPollTimeout(d time.Duration) Option {
	return option("WithPollTimeout", positive(d), func(c *config) { c.pollTimeout = d })
}

// WithLogger logs each call at debug level (operation, agent, HTTP status,
// retcode, duration) and warnings at warn level; never a Guid, password or
// cookie. The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return option("WithLogger", isNil(l == nil), func(c *config) { c.logger = l })
}

// WithAgentIDRange sets the accepted range of agent IDs, used for every
// input the spec marks as one (agentid, destWorkNo, ...).
func WithAgentIDRange(minID, maxID int) Option {
	bad := ""
	if minID < 1 || maxID < minID {
		bad = fmt.Sprintf("bad range %d-%d", minID, maxID)
	}
	return option("WithAgentIDRange", bad, func(c *config) { c.minID, c.maxID = minID, maxID })
}

// WithWideAgentIDs accepts the 2025 vendor range 101-999999 instead of the
// default 101-59999.
func WithWideAgentIDs() Option {
	return WithAgentIDRange(generated.MinAgentID, generated.MaxAgentIDWide)
}

// WithMaxReplyBytes bounds how much of a reply is read (default 1 MiB);
// longer replies are an error.
func WithMaxReplyBytes(n int64) Option {
	bad := ""
	if n < 64 {
		bad = fmt.Sprintf("%d is below 64", n)
	}
	return option("WithMaxReplyBytes", bad, func(c *config) { c.maxReply = n })
}

// WithStateHook calls hook with a session's state when SignIn or Restore
// returns it, then at every change of its Guid or cookies, and once more,
// with Ended set, when it ends (signed out, or ErrNotSignedIn): one call
// at a time per session, on the goroutine of the request that changed it,
// so keep it short and send nothing on the session from it. A store uses
// it to keep SessionState current for Client.Restore.
func WithStateHook(hook func(SessionState)) Option {
	return option("WithStateHook", isNil(hook == nil), func(c *config) { c.stateHook = hook })
}

// WithBackupURL names a backup gateway (another node of the cluster, which
// knows the same sessions; same URL rules as NewClient), as
// the failover uses it: after a failure with no reply at the primary,
// requests go to the backup for coolDown (0: DefaultCoolDown); a sign-in,
// event poll or heartbeat that failed so is sent once more, to the backup;
// any other request never goes to a second gateway.
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

// WithHeader adds a header to every request, for a proxy or load balancer
// in front of the gateway (a routing or tenant tag); given again with the
// same name, it adds a value. The headers the library or HTTP itself
// sets (Guid, Content-Type, Cookie, Host, ...) are refused, and so is a
// value with a line break.
func WithHeader(name, value string) Option {
	key := http.CanonicalHeaderKey(name)
	bad := ""
	switch {
	case !validHeaderName(name):
		bad = fmt.Sprintf("%q is not a header name", name)
	case reservedHeaders[key]:
		bad = key + " is set by the library or by HTTP"
	case strings.ContainsAny(value, "\r\n\x00"):
		bad = "the value has a line break"
	}
	return option("WithHeader", bad, func(c *config) {
		if c.headers == nil {
			c.headers = http.Header{}
		}
		c.headers[key] = append(c.headers[key], value)
	})
}

var reservedHeaders = map[string]bool{"Guid": true, "Content-Type": true, "Content-Length": true, "Cookie": true,
	"Host": true, "Transfer-Encoding": true, "Connection": true, "Upgrade": true, "Te": true, "Trailer": true,
	"Expect": true, "Keep-Alive": true, "Proxy-Connection": true, "Service_token": true, "Authorization": true}

// validHeaderName reports whether name is an RFC 9110 token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r >= 0x7f || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}
