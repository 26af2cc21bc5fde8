// Package doctor checks an agent gateway end to end, from name resolution
// to a sign-in, an event poll and a sign-out, and says in one line per
// check what it found and what to do about it. It is the engine of
// `agw doctor`.
package doctor

import (
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/agentgateway-go/agentgateway/internal/redact"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// Status is a check's outcome.
type Status string

// The outcomes. Only Fail makes Failed true.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// The checks' IDs, in the order Run reports them.
const (
	CheckDNS     = "dns"
	CheckTCP     = "tcp"
	CheckTLS     = "tls"
	CheckHTTP2   = "http2"
	CheckClock   = "clock"
	CheckSignIn  = "signin"
	CheckPoll    = "poll"
	CheckPush    = "push"
	CheckSignOut = "signout"
)

// Result is one check's outcome. Detail and Hint never hold a secret.
type Result struct {
	Check    string // one of the Check constants
	Status   Status
	Detail   string // what was found, one line
	Hint     string // what to do when not ok, one line
	Duration time.Duration
}

// DefaultTimeout bounds each check when Config.Timeout is 0.
const DefaultTimeout = 10 * time.Second

// minPollTimeout is the least the poll check waits by default: the vendor's
// gateway holds a poll without events for about 10 s before it answers.
const minPollTimeout = 15 * time.Second

// Config says which gateway to check and how.
type Config struct {
	BaseURL  string         // as for wrapper.NewClient, e.g. https://gw:8043
	RootCAs  *x509.CertPool // trusted for the gateway; nil: the system roots
	Insecure bool           // skip verification (the tls check then warns)
	// AgentID, Phone and Password are for the sign-in round trip; AgentID 0
	// skips signin, poll and signout. Use a spare test agent: a sign-in of
	// an agent signed in elsewhere fails (it is never forced).
	AgentID         int
	Phone, Password string
	WideIDs         bool          // accept agent IDs up to 999999
	PushURL         string        // a push callback URL to check, optional
	Timeout         time.Duration // per check (default DefaultTimeout)
	// PollTimeout bounds the event poll (default: Timeout, but at least
	// 15 s, to outlast the gateway's poll wait of about 10 s).
	PollTimeout time.Duration
	Now         func() time.Time // the local clock, for skew and certificate dates (default time.Now)
	// Resolver serves the raw checks (dns to clock, push); the library's
	// sign-in, poll and sign-out use the system's. Default net.DefaultResolver.
	Resolver *net.Resolver
	Progress func(Result) // called as each check finishes, in order, optional
}

// Failed reports whether any result is a Fail.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Status == Fail {
			return true
		}
	}
	return false
}

// Run runs every check in order and returns one Result per check (skipped
// ones included). Its error is only for a bad Config or context, found
// before any I/O; whatever fails on the way is a Result.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if ctx == nil {
		return nil, errors.New("doctor: nil context")
	}
	r, err := newRunner(cfg)
	if err != nil {
		return nil, err
	}
	return r.run(ctx), nil
}

// runner holds the configuration and what earlier checks found.
type runner struct {
	cfg      Config
	client   *wrapper.Client
	base     *url.URL
	hostport string   // host:port of the gateway
	push     *url.URL // nil without PushURL
	secrets  redact.Forms

	dnsOK, tcpOK bool
	handshakeOK  bool   // TLS spoken (or plain http)
	trustedTLS   bool   // the library would accept the gateway's certificate (or plain http)
	tlsBroken    string // why trustedTLS is false
	session      *wrapper.Session
	signinWhy    string // why there is no session
}

func newRunner(cfg Config) (*runner, error) {
	switch {
	case cfg.Timeout < 0:
		return nil, errors.New("doctor: Timeout " + cfg.Timeout.String() + " is negative")
	case cfg.PollTimeout < 0:
		return nil, errors.New("doctor: PollTimeout " + cfg.PollTimeout.String() + " is negative")
	case cfg.Insecure && cfg.RootCAs != nil:
		return nil, errors.New("doctor: RootCAs and Insecure exclude each other")
	case cfg.AgentID < 0:
		return nil, errors.New("doctor: AgentID " + strconv.Itoa(cfg.AgentID) + " is negative")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = max(cfg.Timeout, minPollTimeout)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Resolver == nil {
		cfg.Resolver = net.DefaultResolver
	}
	opts := []wrapper.Option{wrapper.WithTimeout(cfg.Timeout), wrapper.WithPollTimeout(cfg.PollTimeout),
		wrapper.WithLogger(slog.New(slog.DiscardHandler))} // the tls check reports Insecure
	if cfg.RootCAs != nil {
		opts = append(opts, wrapper.WithRootCAs(cfg.RootCAs))
	}
	if cfg.Insecure {
		opts = append(opts, wrapper.WithInsecureSkipVerify())
	}
	if cfg.WideIDs {
		opts = append(opts, wrapper.WithWideAgentIDs())
	}
	client, err := wrapper.NewClient(cfg.BaseURL, opts...)
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(client.BaseURL())
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, client: client, base: base, hostport: hostPort(base), secrets: redact.Of(cfg.Password),
		signinWhy: "signin did not run"}
	if cfg.AgentID != 0 {
		if err := client.ValidateAgentID(cfg.AgentID); err != nil {
			return nil, err
		}
		if !isPhone(cfg.Phone) {
			return nil, errors.New("doctor: Phone must be 1-24 digits to sign agent " + strconv.Itoa(cfg.AgentID) + " in")
		}
		if n := utf8.RuneCountInString(cfg.Password); n < 1 || n > 32 {
			return nil, errors.New("doctor: Password must be 1-32 characters to sign agent " + strconv.Itoa(cfg.AgentID) + " in")
		}
	}
	if cfg.PushURL != "" {
		// The URL is not quoted: its path or query may hold a token.
		u, err := url.Parse(cfg.PushURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			return nil, errors.New("doctor: PushURL is not an http or https URL with a host")
		}
		r.push = u
	}
	return r, nil
}

func isPhone(s string) bool {
	if len(s) < 1 || len(s) > 24 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// hostPort is u's host and port, the scheme's default port if none.
func hostPort(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// run runs the checks in order. Once ctx ends the rest are skipped, but a
// signed-in agent is still signed out.
func (r *runner) run(ctx context.Context) []Result {
	checks := []struct {
		id    string
		check func(context.Context) Result
	}{
		{CheckDNS, r.checkDNS}, {CheckTCP, r.checkTCP}, {CheckTLS, r.checkTLS}, {CheckHTTP2, r.checkHTTP2},
		{CheckClock, r.checkClock}, {CheckSignIn, r.checkSignIn}, {CheckPoll, r.checkPoll},
		{CheckPush, r.checkPush}, {CheckSignOut, r.checkSignOut},
	}
	results := make([]Result, 0, len(checks))
	for _, c := range checks {
		var res Result
		if err := ctx.Err(); err != nil && c.id != CheckSignOut {
			res = skip("interrupted before this check: " + err.Error())
		} else {
			start := time.Now()
			res = c.check(ctx)
			if res.Status != Skip {
				res.Duration = time.Since(start)
			}
			if err := ctx.Err(); err != nil && res.Status == Fail {
				res.Detail += " (interrupted: " + err.Error() + ")"
			}
		}
		res.Check = c.id
		// A last guard: no form of the password or the Guid leaves.
		res.Detail, res.Hint = r.secrets.Field(res.Detail), r.secrets.Field(res.Hint)
		results = append(results, res)
		if r.cfg.Progress != nil {
			r.cfg.Progress(res)
		}
	}
	return results
}

// bounded returns ctx bounded by the per-check timeout.
func (r *runner) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.cfg.Timeout)
}
