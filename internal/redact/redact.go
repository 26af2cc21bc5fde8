// Package redact keeps secrets out of error values: a field of an error that
// holds a secret in any form the client sent or received it is withheld whole.
package redact

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Withheld replaces a whole field (a message, a body, a content type, a
// transport error's text) that contained a secret: masking just the secret
// would show where it was and how long.
const Withheld = "[withheld: contained a secret]"

// MaxBody bounds the reply bytes an error keeps.
const MaxBody = 512

// Forms are the forms in which secrets travel: raw, JSON-escaped (with and
// without encoding/json's HTML escapes), query- and path-escaped.
type Forms []string

var unescapeHTML = strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")

// Of returns the forms of the non-empty values.
func Of(values ...string) Forms {
	var x Forms
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

// In reports whether s holds any form.
func (x Forms) In(s string) bool {
	for _, f := range x {
		if strings.Contains(s, f) {
			return true
		}
	}
	return false
}

// Field returns s, or Withheld if s holds a secret.
func (x Forms) Field(s string) string {
	if x.In(s) {
		return Withheld
	}
	return s
}

// Body is the start of b for an error: a copy of at most MaxBody bytes, or
// Withheld if b holds a secret anywhere (checked before the cut, which could
// otherwise keep part of one).
func (x Forms) Body(b []byte) []byte {
	switch {
	case len(b) == 0:
		return nil
	case x.In(string(b)):
		return []byte(Withheld)
	}
	return bytes.Clone(b[:min(len(b), MaxBody)])
}

// Err returns err, or, if its text shows a secret, an error named what
// that keeps none of it but still matches the context's error (errors.Is)
// and tells a timeout (net.Error).
func (x Forms) Err(err error, what string) error {
	if err == nil || !x.In(err.Error()) {
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
// quotes a malformed header line whole). The original is not kept, not even
// for Unwrap.
type withheldError struct {
	what    string
	ctxErr  error
	timeout bool
}

func (e *withheldError) Error() string   { return e.what + " " + Withheld }
func (e *withheldError) Unwrap() error   { return e.ctxErr }
func (e *withheldError) Timeout() bool   { return e.timeout }
func (e *withheldError) Temporary() bool { return false }

// Clip bounds a string kept in an error without splitting a rune.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
