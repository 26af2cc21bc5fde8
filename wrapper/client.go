package wrapper

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/agentgateway-go/agentgateway/internal/redact"
	"github.com/agentgateway-go/agentgateway/transport"
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

	fail *transport.Failover // nil without WithBackupURL
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
	hc, mayHTTP2, err := transport.New(cfg.http)
	if err != nil {
		return nil, err
	}
	// Warnings are said even without WithLogger: nobody should run these by accident.
	warn := cfg.logger
	if warn == nil {
		warn = slog.Default()
	}
	if cfg.http.InsecureSkipVerify {
		warn.Warn("agentgateway: TLS certificate verification is OFF; use only against a lab gateway", "base", base)
	}
	if mayHTTP2 {
		warn.Warn("agentgateway: the caller's *http.Transport may speak HTTP/2, whose client resends a request without a body (snatchpickup too) when the server resets its stream; set its Protocols to HTTP/1 only", "base", base)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	u, _ := url.Parse(base) // normalizeBaseURL's output parses
	c := &Client{base: base, baseURL: u, httpClient: hc, ownJar: hc.Jar == nil, cfg: cfg, log: cfg.logger}
	if cfg.backup != "" {
		b, _ := url.Parse(cfg.backup)
		c.fail = transport.NewFailover(u, b, cfg.coolDown)
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
