package agwtest

// WithPollWaitHook calls f each time a poll for an agent finds no event
// and starts waiting, so tests can act on a waiting poll without sleeping.
func WithPollWaitHook(f func(agentID int)) Option {
	return func(c *config) { c.onPollWait = f }
}
