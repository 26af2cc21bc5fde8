package wrapper

import "net/http"

// TransportOf lets the tests reach the transport a client built, to point
// its TLS roots at a test server's certificate.
func TransportOf(c *Client) http.RoundTripper { return c.httpClient.Transport }

// Waiting reports whether a waiter (PickUp, Await, Confirm) is subscribed
// to the session's events.
func Waiting(s *Session) bool { return s.hub.Waiters().Any() }
