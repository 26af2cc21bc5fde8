package wrapper

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/agentgateway-go/agentgateway/transport"
)

// Defaults. The event poll's timeout must outlast the gateway's poll wait
// (about 10 s with the vendor's defaults).
const (
	DefaultTimeout       = 10 * time.Second
	DefaultPollTimeout   = 40 * time.Second
	DefaultMaxReplyBytes = 1 << 20
	// Agent IDs (and destWorkNo) per the 2023-09-27 vendor pages.
	DefaultMinAgentID = 101
	DefaultMaxAgentID = 59999
	// WideMaxAgentID is the upper bound of the 2025 vendor pages.
	WideMaxAgentID = 999999
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
	backup      string // normalized backup base URL, "" for none
	coolDown    time.Duration
}

// WithHTTPClient sends requests through a copy of hc. Its Transport,
// Timeout, Jar and CheckRedirect are used as given, except that a nil
// Transport becomes the library's own (HTTP/1.1 only), a nil CheckRedirect
// becomes "never follow" and a nil Jar becomes one cookie jar per session.
// TLS options cannot be combined with it unless hc.Transport is an
// *http.Transport (or nil). What the transport must ensure is said at
// WithTransport.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("agentgateway: WithHTTPClient: nil *http.Client")
		}
		c.http.HTTPClient = hc
		return nil
	}
}

// WithTransport sends requests through rt (a proxy-aware or instrumented
// transport, say), keeping the client's other defaults. TLS options cannot
// be combined with it unless rt is an *http.Transport, which is then cloned
// and made HTTP/1.1-only like the library's own.
//
// Used as given, rt must (1) never send a request twice: no HTTP/2 (Go's
// HTTP/2 client resends a bodiless request whose stream the server resets;
// NewClient warns when an *http.Transport may negotiate it) and no retry
// layer; (2) return from RoundTrip when the request's context ends (the
// library closes a body whose read outlives it, but cannot end a
// RoundTrip); (3) keep secrets out of its own logs.
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) error {
		if rt == nil {
			return errors.New("agentgateway: WithTransport: nil http.RoundTripper")
		}
		c.http.Transport = rt
		return nil
	}
}

// WithTLSConfig uses a clone of cfg for HTTPS. Verification stays on unless
// cfg itself turns it off.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *config) error {
		if cfg == nil {
			return errors.New("agentgateway: WithTLSConfig: nil *tls.Config")
		}
		c.http.TLSConfig = cfg.Clone()
		return nil
	}
}

// WithRootCAs trusts the given CAs (for a gateway with a private CA) instead
// of the system roots.
func WithRootCAs(pool *x509.CertPool) Option {
	return func(c *config) error {
		if pool == nil {
			return errors.New("agentgateway: WithRootCAs: nil *x509.CertPool")
		}
		c.http.RootCAs = pool
		return nil
	}
}

// WithInsecureSkipVerify turns off certificate verification. For lab
// gateways with self-signed certificates only: anyone on the path can then
// read the Guid and the password. NewClient logs a warning, to the
// WithLogger logger or else to slog.Default().
func WithInsecureSkipVerify() Option {
	return func(c *config) error {
		c.http.InsecureSkipVerify = true
		return nil
	}
}

// WithTimeout bounds each ordinary call (default 10 s). A context deadline
// that comes sooner wins.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("agentgateway: WithTimeout: %v is not positive", d)
		}
		c.timeout = d
		return nil
	}
}

// WithPollTimeout bounds each event-poll request (default 40 s). It must be
// longer than the gateway's poll wait.
func WithPollTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("agentgateway: WithPollTimeout: %v is not positive", d)
		}
		c.pollTimeout = d
		return nil
	}
}

// WithLogger logs each call at debug level (operation, agent, HTTP status,
// retcode, duration) and warnings at warn level. Guids, passwords and
// cookies are never logged. The default discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("agentgateway: WithLogger: nil *slog.Logger")
		}
		c.logger = l
		return nil
	}
}

// WithAgentIDRange sets the accepted range of agent IDs, used for agentid
// and destWorkNo.
func WithAgentIDRange(minID, maxID int) Option {
	return func(c *config) error {
		if minID < 1 || maxID < minID {
			return fmt.Errorf("agentgateway: WithAgentIDRange: bad range %d-%d", minID, maxID)
		}
		c.minID, c.maxID = minID, maxID
		return nil
	}
}

// WithWideAgentIDs accepts the 2025 vendor range 101-999999 instead of the
// default 101-59999.
func WithWideAgentIDs() Option { return WithAgentIDRange(DefaultMinAgentID, WideMaxAgentID) }

// WithMaxReplyBytes bounds how much of a reply is read (default 1 MiB);
// longer replies are an error.
func WithMaxReplyBytes(n int64) Option {
	return func(c *config) error {
		if n < 64 {
			return fmt.Errorf("agentgateway: WithMaxReplyBytes: %d is below 64", n)
		}
		c.maxReply = n
		return nil
	}
}

// WithStateHook calls hook with a session's state when SignIn or
// ForceSignIn returns it, and then at every change of its Guid or cookies,
// one call at a time per session, on the goroutine of the request that
// changed it (keep it short, and send nothing on the session from it); once more, with Ended set, when the session
// ends (signed out, or ErrNotSignedIn). Sessions from Restore report too.
// A store uses it to keep SessionState current for Client.Restore.
func WithStateHook(hook func(SessionState)) Option {
	return func(c *config) error {
		if hook == nil {
			return errors.New("agentgateway: WithStateHook: nil hook")
		}
		c.stateHook = hook
		return nil
	}
}

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
