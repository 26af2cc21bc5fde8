package wrapper

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Withheld replaces a whole field of an error (a message, a body, a
// content type, a retcode, a transport error's text) that contained a
// secret: masking just the secret would show where it was and how long.
const Withheld = "[withheld: contained a secret]"

// secretForms are the forms in which the client sent or received the
// secrets of one exchange: raw, JSON-escaped (with and without
// encoding/json's HTML escapes), query- and path-escaped.
type secretForms []string

var unescapeHTML = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")

func formsOf(values ...string) secretForms {
	var x secretForms
	for _, v := range values {
		if v == "" {
			continue
		}
		q, _ := json.Marshal(v)
		j := string(q[1 : len(q)-1])
		x = append(x, v, j, unescapeHTML.Replace(j), url.QueryEscape(v), url.PathEscape(v))
	}
	return x
}

func (x secretForms) in(s string) bool {
	for _, f := range x {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// field returns s, or Withheld if s contains a secret.
func (x secretForms) field(s string) string {
	if x.in(s) {
		return Withheld
	}
	return s
}

// body is the start of b for an error: a copy of at most maxErrorBody
// bytes, or Withheld if b holds a secret anywhere (checked before the cut,
// which could otherwise keep part of one).
func (x secretForms) body(b []byte) []byte {
	switch {
	case len(b) == 0:
		return nil
	case x.in(string(b)):
		return []byte(Withheld)
	}
	return bytes.Clone(b[:min(len(b), maxErrorBody)])
}

// err returns err, or, if its text shows a secret, a withheldError named
// what that keeps none of it.
func (x secretForms) err(err error, what string) error {
	if err == nil || !x.in(err.Error()) {
		return err
	}
	w := &withheldError{what: what}
	for _, c := range []error{context.DeadlineExceeded, context.Canceled} {
		if errors.Is(err, c) {
			w.ctxErr = c
		}
	}
	var ne net.Error
	w.timeout = errors.As(err, &ne) && ne.Timeout()
	return w
}

// withheldError stands for an error whose text showed a secret (net/http
// quotes a malformed header line whole). The original is not kept, not
// even for Unwrap; what callers test for is: the context's error
// (errors.Is) and whether it timed out (net.Error).
type withheldError struct {
	what    string
	ctxErr  error
	timeout bool
}

func (e *withheldError) Error() string   { return e.what + " " + Withheld }
func (e *withheldError) Unwrap() error   { return e.ctxErr }
func (e *withheldError) Timeout() bool   { return e.timeout }
func (e *withheldError) Temporary() bool { return false }

// Withhold returns text, or Withheld if it holds any form of the session's
// Guid or cookies: for printing what the gateway sent, such as events.
func (s *Session) Withhold(text string) string { return s.secrets("", nil, nil, nil).field(text) }

// secrets gathers the forms of every secret an exchange touched: the Guid
// it sent and the session's Guid now, its other secrets (a password, a
// service token), the Guid and cookies the reply set, and the session's
// cookies for the request's URL (from resp, else reqURL) and the base URL,
// and those State records.
// resp and reqURL may be nil. Only error paths pay for it.
func (s *Session) secrets(sentGuid string, extra []string, resp *http.Response, reqURL *url.URL) secretForms {
	vals := append([]string{sentGuid, s.Guid()}, extra...)
	var cookies []*http.Cookie
	if resp != nil {
		cookies = resp.Cookies()
		if resp.Request != nil {
			reqURL = resp.Request.URL
		}
		for _, v := range resp.Header.Values("Set-Guid") {
			vals = append(vals, v, parseSetGUID(v))
		}
	}
	if jar := s.hc.Jar; jar != nil {
		cookies = append(cookies, jar.Cookies(s.c.baseURL)...)
		if reqURL != nil {
			cookies = append(cookies, jar.Cookies(reqURL)...)
		}
	}
	for _, c := range cookies {
		vals = append(vals, c.Value)
	}
	if cs := s.cookies.Load(); cs != nil { // those of every gateway, as State shows them
		for _, c := range *cs {
			vals = append(vals, c.Value)
		}
	}
	return formsOf(vals...)
}
