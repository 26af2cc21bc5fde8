// Package wrapper is the client for the Huawei CEC agent gateway. Every
// operation of the spec is a method generated from it (operations.gen.go:
// on *Session when its path names the agent, else on *Client), its inputs
// checked against the spec's bounds before any I/O (*ValidationError).
// By hand are only what the spec cannot say:
//
//   - the Guid session: SignIn returns a Session that takes the Guid from
//     every Set-GUID header, sends it as Guid, keeps cookies per session,
//     never prints it, and can be saved and restored (State, Restore,
//     WithStateHook);
//   - replies judged by package reply: a retcode other than "0" is an
//     *APIError matching sentinels such as ErrNotSignedIn; an unreadable
//     reply is a *ReplyError keeping the status and at most 512 bytes;
//   - Poll, a long poll with jittered backoff, and Deliver for events that
//     arrive otherwise (package fleet routes push and all-agent events);
//   - PickUp, the headline helper: SnatchPickup, then wait until the call
//     connects; CheckPickUp asks for its prerequisites first.
//
// The transport comes from package transport: TLS verified, HTTP/1.1 only,
// no redirect, a timeout on every call. No request but the event poll is
// ever repeated (with WithBackupURL, a sign-in, poll or heartbeat the
// primary did not answer also goes once to the backup): call control has
// no idempotency key, so a PUT sent twice could act twice. An error field
// that holds a Guid, password, token or cookie is withheld whole.
package wrapper
