package agwtest

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

const defaultPollWait = time.Second

// defaultIdleSignOut is the vendor's: an agent that neither polls nor sends
// heartbeats for two minutes is signed out.
const defaultIdleSignOut = 2 * time.Minute

// Option configures a Gateway.
type Option func(*config)

type config struct {
	pollWait       time.Duration
	guidEvery      int // AUTHMODE=2 rotation period in poll and heartbeat replies; 0 is static mode
	wideAgentIDs   bool
	forceLoginOff  bool
	logger         *slog.Logger
	idleSignOut    time.Duration                // 0 disables
	now            func() time.Time             // the clock of idle sign-out
	pushClient     *http.Client                 // delivers push-mode events
	onPollWait     func(agentID int)            // test hook: a poll found nothing queued and starts waiting
	onPushed       func(agentID int, err error) // test hook: a push delivery was counted
	allAgentEvents bool                         // PollAllAgentEvents is served (GET_EVENT_MODE=2)
	allAgentBatch  int                          // events per all-agent reply; 0: allAgentBatch
}

func newConfig(opts []Option) config {
	c := config{pollWait: defaultPollWait, idleSignOut: defaultIdleSignOut, now: time.Now,
		pushClient: &http.Client{Timeout: 10 * time.Second}}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

func (c *config) maxAgentID() int {
	if c.wideAgentIDs {
		return generated.MaxAgentIDWide
	}
	return generated.MaxAgentID
}

// WithPollWait sets how long an event poll waits when no event is queued
// (default 1s; the vendor default, used by the standalone command, is 10s).
// A wait of zero or less answers at once.
func WithPollWait(d time.Duration) Option {
	return func(c *config) { c.pollWait = max(d, 0) }
}

// WithDynamicGuid selects dynamic authentication (AUTHMODE=2): every
// `every` poll or heartbeat replies to an agent rotate its Guid, and the
// reply that rotates it carries the new one in Set-GUID. Values below 1 count as 1.
func WithDynamicGuid(every int) Option {
	return func(c *config) { c.guidEvery = max(every, 1) }
}

// WithWideAgentIDs accepts agent IDs and destWorkNo 101-999999, as the 2025
// vendor pages do, instead of 101-59999. The embedded spec's maximums are
// patched before the request validator is built.
func WithWideAgentIDs() Option {
	return func(c *config) { c.wideAgentIDs = true }
}

// WithForceLoginDisabled makes ForceSignIn refuse to take over a session
// with 100-015, as sites that disable forced sign-in do.
func WithForceLoginDisabled() Option {
	return func(c *config) { c.forceLoginOff = true }
}

// WithLogger logs one line per request: method, path, operationId when
// known, HTTP status, retcode and latency. Headers, query strings and bodies
// are never logged, so the Guid, passwords and cookies stay out of the log.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithIdleSignOut sets how long a signed-in agent may go without an event
// poll (or, in push mode, a heartbeat) before the gateway signs it out, as
// the vendor's does after two minutes (the default). A poll in progress
// keeps the agent signed in. Zero or less disables idle sign-out.
func WithIdleSignOut(d time.Duration) Option {
	return func(c *config) { c.idleSignOut = max(d, 0) }
}

// WithClock replaces time.Now as the clock of idle sign-out, so that a test
// can move time forward instead of waiting. A nil clock is ignored.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithPushClient sets the HTTP client that POSTs push-mode events to a
// session's callBackUri (default: 10 s timeout), e.g. one that trusts a
// test server's certificate. A nil client is ignored.
func WithPushClient(hc *http.Client) Option {
	return func(c *config) {
		if hc != nil {
			c.pushClient = hc
		}
	}
}
