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
	"strconv"
	"strings"
	"unicode/utf16"
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

// maxLayers bounds how many layers of escapes In decodes: a JSON echo in a
// header line net/http quotes (Go-quoted JSON), percent-escapes in it.
const maxLayers = 3

// In reports whether s holds any form, also once s's JSON string escapes
// (any of them: a peer's encoder may escape "/" or "=") and its
// percent-escapes (either case) are decoded, in any order, up to maxLayers
// layers deep.
func (x Forms) In(s string) bool {
	if len(x) == 0 {
		return false
	}
	seen := map[string]bool{s: true}
	texts := []string{s}
	for layer := 0; len(texts) > 0; layer++ {
		var next []string
		for _, text := range texts {
			for _, f := range x {
				if strings.Contains(text, f) {
					return true
				}
			}
			if layer == maxLayers {
				continue
			}
			for _, u := range []string{unescapeJSON(text), unescapePercent(text)} {
				if !seen[u] {
					seen[u] = true
					next = append(next, u)
				}
			}
		}
		texts = next
	}
	return false
}

// unescapeJSON decodes every JSON string escape in s, leaving anything
// else, malformed escapes included, as it is.
func unescapeJSON(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch c := s[i+1]; c {
		case '"', '\\', '/':
			b.WriteByte(c)
		case 'b', 'f', 'n', 'r', 't':
			b.WriteByte(map[byte]byte{'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}[c])
		case 'u':
			r, n := decodeU(s[i:])
			if n == 0 {
				b.WriteByte('\\')
				continue
			}
			b.WriteRune(r)
			i += n - 2
		default:
			b.WriteByte('\\')
			continue
		}
		i++
	}
	return b.String()
}

// decodeU decodes a \uXXXX escape, or a surrogate pair of two, at the
// start of s; n is how many bytes it took, 0 if none.
func decodeU(s string) (r rune, n int) {
	hex := func(s string) (rune, bool) {
		if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(s[2:6], 16, 16)
		return rune(v), err == nil
	}
	r, ok := hex(s)
	if !ok {
		return 0, 0
	}
	if utf16.IsSurrogate(r) {
		if r2, ok := hex(s[6:]); ok {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, 12
			}
		}
	}
	return r, 6
}

// unescapePercent decodes every %XX in s, in either case, leaving malformed
// ones as they are.
func unescapePercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
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
	case len(x) > 0 && x.In(string(b)): // no copy of the body without secrets
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
