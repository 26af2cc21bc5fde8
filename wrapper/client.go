package wrapper

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// DefaultBasePath is where the gateway serves its resources.
const DefaultBasePath = "/agentgateway/resource"

// Client talks to one agent gateway (or its NSLB). It is safe for
// concurrent use; sign agents in with SignIn and use the returned Sessions.
type Client struct {
	base       string // e.g. https://host:8043/agentgateway/resource
	baseURL    *url.URL
	httpClient *http.Client
	ownJar     bool // give each session its own cookie jar
	cfg        config
	log        *slog.Logger

	anonOnce sync.Once
	anon     *Session

	fail *failover // nil without WithBackupURL

	routeMu sync.RWMutex
	routes  map[string]*Session // sessions fed by Route, by workNo
	beats   *beats              // KeepAliveAll's schedule, while it runs
}

// NewClient returns a client for the gateway at baseURL.
//
// baseURL is either the gateway's root ("https://host:8043"), to which
// DefaultBasePath is added, or a full base with a path ("https://proxy/agw"),
// used as given. Both http and https work; use https outside a lab.
//
// TLS certificates are verified against the system roots unless
// WithRootCAs, WithTLSConfig or WithInsecureSkipVerify says otherwise.
// Redirects are not followed: a redirected PUT would be sent twice. The
// transport it builds speaks HTTP/1.1 only (see WithTransport for one of
// your own).
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	base, err := normalizeBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	cfg := config{
		timeout:     DefaultTimeout,
		pollTimeout: DefaultPollTimeout,
		minID:       DefaultMinAgentID,
		maxID:       DefaultMaxAgentID,
		maxReply:    DefaultMaxReplyBytes,
	}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("agentgateway: nil Option")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	hc, err := buildHTTPClient(&cfg)
	if err != nil {
		return nil, err
	}
	// Warnings are said even without WithLogger: nobody should run these by accident.
	warn := cfg.logger
	if warn == nil {
		warn = slog.Default()
	}
	if cfg.insecure {
		warn.Warn("agentgateway: TLS certificate verification is OFF; use only against a lab gateway", "base", base)
	}
	if cfg.mayHTTP2 {
		warn.Warn("agentgateway: the caller's *http.Transport may speak HTTP/2, whose client resends a request without a body (snatchpickup too) when the server resets its stream; set its Protocols to HTTP/1 only", "base", base)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	u, _ := url.Parse(base) // normalizeBaseURL's output parses
	c := &Client{base: base, baseURL: u, httpClient: hc, ownJar: hc.Jar == nil, cfg: cfg, log: cfg.logger}
	if cfg.backup != "" {
		b, _ := url.Parse(cfg.backup)
		c.fail = &failover{primary: u, backup: b, coolDown: cfg.coolDown}
	}
	return c, nil
}

// BaseURL is the resource base every path is joined to.
func (c *Client) BaseURL() string { return c.base }

func normalizeBaseURL(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", &ValidationError{Field: "baseURL", Value: `""`, Rule: "an http or https URL"}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", &ValidationError{Field: "baseURL", Value: redact.Clip(raw, 64), Rule: "an http or https URL (" + err.Error() + ")"}
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", &ValidationError{Field: "baseURL", Value: redact.Clip(raw, 64), Rule: "an http or https URL"}
	}
	if u.Host == "" {
		return "", &ValidationError{Field: "baseURL", Value: redact.Clip(raw, 64), Rule: "a URL with a host"}
	}
	if u.User != nil {
		return "", &ValidationError{Field: "baseURL", Value: u.Redacted(), Rule: "a URL without user info"}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", &ValidationError{Field: "baseURL", Value: redact.Clip(raw, 64), Rule: "a URL without query or fragment"}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if u.Path == "" {
		u.Path = DefaultBasePath
	}
	return u.String(), nil
}

func buildHTTPClient(cfg *config) (*http.Client, error) {
	if cfg.httpClient != nil && cfg.transport != nil {
		return nil, errors.New("agentgateway: WithHTTPClient and WithTransport exclude each other")
	}
	var hc http.Client
	if cfg.httpClient != nil {
		hc = *cfg.httpClient
	} else {
		hc.Transport = cfg.transport
	}
	if hc.CheckRedirect == nil {
		hc.CheckRedirect = refuseRedirect
	}
	tlsOpts := cfg.tlsConfig != nil || cfg.rootCAs != nil || cfg.insecure
	switch t := hc.Transport.(type) {
	case nil:
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// Many agents share one gateway host: keep enough idle connections.
		tr.MaxIdleConnsPerHost = 64
		hc.Transport = ownTransport(cfg, tr)
	case *http.Transport:
		if tlsOpts {
			hc.Transport = ownTransport(cfg, t.Clone())
		} else {
			cfg.mayHTTP2 = mayHTTP2(t) // the caller's transport, as given
		}
	default:
		if tlsOpts {
			return nil, fmt.Errorf("agentgateway: TLS options need an *http.Transport, not %T", hc.Transport)
		}
	}
	return &hc, nil
}

// ownTransport makes tr, a transport the library builds, speak HTTP/1.1
// only: Go's HTTP/2 client sends a request again, a PUT included, when
// the server resets its stream, and the gateway speaks HTTP/1.1 anyway.
func ownTransport(cfg *config, tr *http.Transport) *http.Transport {
	tr.Protocols = new(http.Protocols)
	tr.Protocols.SetHTTP1(true)
	tr.ForceAttemptHTTP2 = false
	tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	tr.TLSClientConfig = tlsFor(cfg, tr.TLSClientConfig)
	tr.MaxResponseHeaderBytes = 64 << 10 // 1xx replies count too
	return tr
}

// mayHTTP2 reports whether a caller's transport may negotiate HTTP/2, by
// net/http's rules, erring towards yes.
func mayHTTP2(t *http.Transport) bool {
	switch {
	case t.TLSNextProto["h2"] != nil:
		return true
	case t.Protocols != nil:
		return t.Protocols.HTTP2() || t.Protocols.UnencryptedHTTP2()
	case t.TLSNextProto != nil:
		return false
	}
	return t.ForceAttemptHTTP2 || (t.TLSClientConfig == nil && t.DialContext == nil && t.DialTLSContext == nil)
}

// refuseRedirect stops at the first 3xx: following it would send a
// call-control request twice. The 3xx comes back as a *ReplyError.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func tlsFor(cfg *config, base *tls.Config) *tls.Config {
	var t *tls.Config
	switch {
	case cfg.tlsConfig != nil:
		t = cfg.tlsConfig.Clone()
	case base != nil:
		t = base.Clone()
	default:
		t = &tls.Config{}
	}
	if t.MinVersion == 0 {
		t.MinVersion = tls.VersionTLS12
	}
	if cfg.rootCAs != nil {
		t.RootCAs = cfg.rootCAs
	}
	if cfg.insecure {
		t.InsecureSkipVerify = true // explicit lab-only opt-in (WithInsecureSkipVerify)
	}
	t.NextProtos = []string{"http/1.1"} // never offer h2, whatever cfg said
	return t
}
