package agwtest

import (
	"log/slog"
	"time"
)

// Default agent-ID range of the 2023-09-27 vendor pages, and the wider one
// of the 2025 pages.
const (
	minAgentID     = 101
	maxAgentID     = 59999
	maxWideAgentID = 999999
)

const defaultPollWait = time.Second

// Option configures a Gateway.
type Option func(*config)

type config struct {
	pollWait      time.Duration
	guidEvery     int // AUTHMODE=2 rotation period in poll and heartbeat replies; 0 is static mode
	wideAgentIDs  bool
	forceLoginOff bool
	logger        *slog.Logger
	onPollWait    func(agentID int) // test hook: a poll found nothing queued and starts waiting
}

func newConfig(opts []Option) config {
	c := config{pollWait: defaultPollWait}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

func (c *config) maxAgentID() int {
	if c.wideAgentIDs {
		return maxWideAgentID
	}
	return maxAgentID
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
