// Package wrapper is the client for the Huawei CEC agent gateway. Every
// operation of the spec is a method generated from it (operations.gen.go:
// on *Session when its path names the agent, else on *Client), its inputs
// checked against the spec's bounds before any I/O (*ValidationError), its
// request sent with TLS verified, over HTTP/1.1 only, without following a
// redirect, under a timeout, never twice but for the event poll, and its
// reply judged (*APIError, *ReplyError, read bounded in size and depth). By hand are only what the
// spec cannot say: the Guid session (SignIn, State, Restore), Poll and
// Deliver for events (package fleet routes them for many agents), and
// PickUp, the headline helper: SnatchPickup, then wait until the call
// connects. No error shows a Guid, password, token or cookie.
package wrapper
