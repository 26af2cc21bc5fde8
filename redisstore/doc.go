// Package redisstore runs many agents across processes with Redis: the
// session state every process can restore, a lease so that one process at
// a time polls an agent, and a stream per agent of its events.
//
// # Keys
//
// All keys of one Store share the hash tag {prefix}, so they live in one
// slot of a Redis Cluster and its scripts may touch several.
//
//	agw:{prefix}:session:<agent>  string  JSON wrapper.SessionState (Guid, cookies: a secret) and when
//	                                       and by which Store it was saved; no expiry, kept current by
//	                                       Hook, deleted on sign-out, ErrNotSignedIn or Forget
//	agw:{prefix}:lease:<agent>    string  fencing token of the process polling the agent; expires (PX)
//	agw:{prefix}:fence:<agent>    hash    token and owner of the last lease granted; expires 1 s after it
//	agw:{prefix}:events:<agent>   stream  the agent's events, oldest first, trimmed to about
//	                                       StreamMaxLen entries (MAXLEN ~); fields type, event (JSON),
//	                                       token, seq; expires Retention after its last entry
//	agw:{prefix}:epoch            string  names the store's data: made when missing, so a new one
//	                                       means Redis lost the data (a restart without persistence)
//
// Run Redis with persistence (appendonly yes), and a maxmemory policy
// that evicts nothing (noeviction): a restart without it loses every
// session, lease and stream.
//
// # Leases
//
// Acquire sets the lease with SET NX PX and a token that only grows, even
// across a loss of Redis's data (tokens derive from Redis's clock); Renew
// and Release compare the token (a Lua compare-and-set) before PEXPIRE or
// DEL; Append adds an event only while its token holds the lease. A
// Poller counts its lease from when it sent the request, less a margin,
// stops polling by then (a watchdog cancels the poll in flight) and
// bounds every Redis call by it, so that it never polls, appends or calls
// once another process may hold the lease. For a lease time after the
// store's data is made (a fresh Redis, or one that lost its data), no
// lease is granted: a holder from before may still be polling.
//
// Poller.RunAgents stands by for many agents: one goroutine asks for the
// leases it lacks, one renews those it holds, and each agent held is
// polled with Session.StartPoll, so an agent another process polls costs
// no goroutine here, and one polled here little more than its session.
// Give go-redis small buffers (ReadBufferSize, WriteBufferSize of a few
// KiB): a poller's commands and replies are small, and each pooled
// connection holds two.
//
// # Failures
//
// A Poller outlives Redis failures (refused, reset, timeout, LOADING, a
// failover, a restart): it retries with jittered backoff, and tells
// Poller.OnError. When Redis lost its data, every process re-writes the
// sessions it holds (Check); a Poller whose session nobody re-wrote
// reports ErrSessionLost and waits for it to be signed in again.
//
// # Delivery
//
// The gateway hands each event to one poll and forgets it. The poller
// appends it to the stream before asking for the next, retrying Redis
// until its lease would have expired. Each append carries its place in
// the lease (token, seq), checked in the same script, so an append that
// go-redis or the poller sent twice lands once. An event is lost when the
// owner dies (or loses Redis for the lease time) after the poll's reply
// arrived and before the append: at most the events of one poll reply,
// followed by a gap entry from the next holder. A takeover duplicates
// nothing: the new owner only sees events the gateway has not handed out.
//
// Readers: Read and ReadMany give any process agents' events in order.
// Consume reads through a consumer group (XREADGROUP) and acknowledges
// (XACK) after the handler returns nil: at-least-once, a handler that
// failed or a consumer that died sees its pending events again on its
// next Consume. For at-most-once, use ReadGroup and Ack each event before
// handling it.
//
// # Call control from any process
//
// Do restores an agent's session from the stored state and sends one
// request. It never sends it again, here or elsewhere: a failure whose
// outcome is unknown (a timeout, a reset) is returned as is, because the
// gateway may have carried it out and the API has no idempotency key. Its
// *Error says which: ErrNotSent (safe to try again) or ErrOutcomeUnknown.
package redisstore
