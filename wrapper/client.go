package wrapper

import (
	"cmp"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/transport"
)

// Client talks to one agent gateway (or its NSLB). It is safe for
// concurrent use; sign agents in with SignIn and use the returned Sessions.
type Client struct {
	base       string // e.g. https://host:8043/agentgateway/resource
	baseURL    *url.URL
	httpClient *http.Client
	ownJar     bool // give each session its own cookie jar
	cfg        config
	log        *slog.Logger
	anonOnce   sync.Once
	anon       *Session            // of the calls whose path names no agent
	fail       *transport.Failover // nil without WithBackupURL
	parked     *transport.Parked   // awaits event polls for StartPoll; nil when it cannot stand in for httpClient
	// endedByGateway holds the agents whose session the gateway ended: the
	// next SignIn of one reports a gap (GapSignedInAgain).
	endedByGateway sync.Map
}

// NewClient returns a client for the gateway at baseURL: its root
// ("https://host:8043"), to which generated.BasePath is added, or a full base
// with a path ("https://proxy/agw"). Use https outside a lab. Its own
// transport verifies certificates, speaks HTTP/1.1 only and follows no
// redirect (a redirected PUT would be sent twice).
func NewClient(baseURL string, opts ...Option) (*Client, error) {
	u, err := normalizeBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	base := u.String()
	cfg := config{
		timeout:     DefaultTimeout,
		pollTimeout: DefaultPollTimeout,
		minID:       generated.MinAgentID,
		maxID:       generated.MaxAgentID,
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
	warn := cmp.Or(cfg.logger, slog.Default()) // nobody should run these by accident
	if cfg.http.InsecureSkipVerify {
		warn.Warn("agentgateway: TLS certificate verification is OFF; use only against a lab gateway", "base", base)
	}
	if mayHTTP2 {
		warn.Warn("agentgateway: the caller's *http.Transport may speak HTTP/2, whose client resends a request without a body (snatchpickup too) when the server resets its stream; set its Protocols to HTTP/1 only", "base", base)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	c := &Client{base: base, baseURL: u, httpClient: hc, ownJar: hc.Jar == nil, cfg: cfg, log: cfg.logger}
	if cfg.backup != nil {
		c.fail = transport.NewFailover(u, cfg.backup, cfg.coolDown)
		c.parked = parkedFor(hc, u, cfg.backup)
	} else {
		c.parked = parkedFor(hc, u)
	}
	return c, nil
}

// BaseURL is the resource base every path is joined to.
func (c *Client) BaseURL() string { return c.base }

// normalizeBaseURL is transport.BaseURL with its refusal a *ValidationError.
func normalizeBaseURL(raw string) (*url.URL, error) {
	u, err := transport.BaseURL(raw, generated.BasePath)
	if bad, ok := errors.AsType[*transport.URLError](err); ok {
		return nil, &ValidationError{Field: "baseURL", Value: bad.Value, Rule: bad.Rule}
	}
	return u, err
}
