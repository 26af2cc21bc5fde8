package agwtest

import "encoding/json"

// WithPollWaitHook calls f each time a poll for an agent finds no event
// and starts waiting, so tests can act on a waiting poll without sleeping.
func WithPollWaitHook(f func(agentID int)) Option {
	return func(c *config) { c.onPollWait = f }
}

// WithPushedHook calls f after each push delivery has been counted in
// Stats, with its error, so tests can read Stats without racing the
// delivering goroutine.
func WithPushedHook(f func(agentID int, err error)) Option {
	return func(c *config) { c.onPushed = f }
}

// WithAllAgentBatch bounds the events of one all-agent reply to n.
func WithAllAgentBatch(n int) Option {
	return func(c *config) { c.allAgentBatch = n }
}

// RecordEvents makes f see every event any fake queues, from now on.
func RecordEvents(f func(json.RawMessage)) { eventHook.Store(&f) }
