// Package redisstore runs many agents across processes with Redis: the
// session state every process can restore, a lease so that one process at
// a time polls an agent, and a stream per agent of its events.
//
// # Keys
//
// All keys of one Store share the hash tag {prefix}, so they live in one
// slot of a Redis Cluster and its scripts may touch several.
//
//	agw:{prefix}:session:<agent>  string  JSON wrapper.SessionState (Guid, cookies: a secret); no expiry,
//	                                       kept current by Hook, deleted on sign-out or ErrNotSignedIn
//	agw:{prefix}:lease:<agent>    string  fencing token of the process polling the agent; expires (PX)
//	agw:{prefix}:fence:<agent>    counter INCR'd for each lease granted: tokens only grow
//	agw:{prefix}:events:<agent>   stream  the agent's events, oldest first, trimmed to about
//	                                       StreamMaxLen entries (MAXLEN ~); fields type, event (JSON), token
//
// # Leases
//
// Acquire sets the lease with SET NX PX and a token from INCR; Renew and
// Release compare the token (a Lua compare-and-set) before PEXPIRE or DEL;
// Append adds an event only while its token holds the lease. A process
// that stops renewing (it died, or lost Redis) loses the agent once the
// lease expires; another Poller then takes it, restores the session from
// Redis and polls on. A stale owner cannot append after that.
//
// # Delivery
//
// The gateway hands each event to one poll and forgets it. The poller
// appends it to the stream before asking for the next, retrying Redis
// until its lease would have expired. An event is lost when the owner
// dies (or Redis stays down for the lease time) after the poll's reply
// arrived and before the append: at most the events of one poll reply.
// A takeover duplicates nothing: the new owner only sees events the
// gateway has not handed out yet.
//
// Readers: Read gives any process an agent's events in order. Consume
// reads through a consumer group (XREADGROUP) and acknowledges (XACK) after
// the handler returns nil: at-least-once, a handler that failed or a
// consumer that died sees its pending events again on its next Consume.
// For at-most-once, use ReadGroup and Ack each event before handling it.
//
// # Call control from any process
//
// Do restores an agent's session from the stored state and sends one
// request. It never sends it again, here or elsewhere: a failure whose
// outcome is unknown (a timeout, a reset) is returned as is, because the
// gateway may have carried it out and the API has no idempotency key.
package redisstore
