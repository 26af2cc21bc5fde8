// Package wrapper is the client for the Huawei CEC agent gateway, built on
// the generated client in package generated. Every operation of the spec is
// a method generated from it (operations.gen.go: on *Session when its path
// names the agent, else on *Client), named by its operationId and returning
// the generated model of its result; by hand are only what adds behaviour.
//
// It adds what the generated code lacks:
//
//   - every bound the spec states checked before any I/O (*ValidationError,
//     ErrInvalidArgument): agent IDs 101-59999 by default, WithWideAgentIDs
//     for the 2025 range 101-999999;
//   - every reply checked: a retcode other than "0" is an *APIError that
//     matches sentinels (ErrNotSignedIn, ErrAgentOperation, ErrCallState, ...)
//     with errors.Is; a non-2xx status, non-JSON, empty, truncated, oversized
//     or non-UTF-8 reply is a *ReplyError (ErrBadReply) keeping the status and
//     at most 512 bytes of body;
//   - the Guid session: SignIn returns a Session that takes the Guid from
//     every Set-GUID header (JSESSIONID= stripped), sends it as Guid, and keeps
//     cookies per session; a Session never prints its Guid;
//   - Poll, a long-poll loop with jittered backoff that ends on 100-006,
//     PushHandler for gateways that push events instead, and Route, the one
//     way events from elsewhere reach a session;
//   - SessionState, Restore and WithStateHook, for sessions that outlive a
//     process, and WithBackupURL for a second gateway;
//   - SnatchPickup and PickUp, the headline operation and a helper that
//     waits for the picked-up call to connect; CheckPickUp asks the gateway
//     for its prerequisites first.
//
// No request other than the event poll is ever repeated (with
// WithBackupURL, a sign-in, poll or heartbeat the primary did not answer is
// also sent once to the backup): call control has no idempotency key, so a
// PUT that times out may or may not have acted, and sending it again could
// act twice.
//
// Security defaults: TLS certificates are verified (TLS 1.2 or later), the
// transport speaks HTTP/1.1 only and cannot replay a request, every call
// has a timeout (10 s; 40 s for the event poll) that bounds the whole
// reply, redirects are not followed, and an error field that holds a Guid,
// password, token or cookie value is withheld whole (Withheld).
package wrapper
