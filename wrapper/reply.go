package wrapper

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/segmentio/encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuf() *bytes.Buffer { return bufPool.Get().(*bytes.Buffer) }

func putBuf(b *bytes.Buffer) {
	if b.Cap() > 64<<10 { // do not pin huge replies in the pool
		return
	}
	b.Reset()
	bufPool.Put(b)
}

// rawReply is a reply read into memory, not yet decoded.
type rawReply struct {
	op          string
	agentID     int
	status      int
	contentType string
	body        *bytes.Buffer
	// For withholding secrets from errors: the session (nil when decoding
	// a body given by the caller), the Guid the request carried, its other
	// secrets (a password, a service token) and the reply itself.
	s        *Session
	sentGuid string
	extra    []string
	resp     *http.Response
}

// readReply reads at most the reply limit of resp, under ctx, and closes
// it. It reports every way a reply can be unreadable before any JSON is
// decoded. On error the buffer is already released.
func (s *Session) readReply(ctx context.Context, op, sentGuid string, extra []string, resp *http.Response) (rawReply, error) {
	r := rawReply{op: op, agentID: s.agentID, status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"),
		body: getBuf(), s: s, sentGuid: sentGuid, extra: extra, resp: resp}
	limit := s.c.cfg.maxReply
	var err error
	if resp.StatusCode >= 200 {
		if _, ok := s.hc.Transport.(*http.Transport); !ok {
			// net/http ends a body read when the request's context ends;
			// another transport may not, but closing the body does.
			defer context.AfterFunc(ctx, func() { _ = resp.Body.Close() })()
		}
		_, err = r.body.ReadFrom(io.LimitReader(resp.Body, limit+1))
		if err != nil && ctx.Err() != nil {
			err = ctx.Err()
		}
	}
	_ = resp.Body.Close()
	var fail *ReplyError
	switch {
	case resp.StatusCode < 200:
		// A 101's body is the raw connection, which no deadline bounds.
		fail = r.statusFirst(r.fail("not a final reply", nil))
	case int64(r.body.Len()) > limit:
		fail = r.statusFirst(r.fail("body exceeds the reply limit", nil))
	case err != nil:
		fail = r.statusFirst(r.fail("reading body", err))
	}
	if fail != nil {
		r.release()
		return rawReply{}, fail
	}
	return r, nil
}

func (r *rawReply) release() {
	if r.body != nil {
		putBuf(r.body)
		r.body = nil
	}
}

// forms are the forms of the secrets this reply's errors must not show.
func (r *rawReply) forms() secretForms {
	if r.s == nil {
		return nil
	}
	return r.s.secrets(r.sentGuid, r.extra, r.resp, nil)
}

func (r *rawReply) fail(reason string, err error) *ReplyError {
	x := r.forms()
	body := x.body(r.body.Bytes())
	errX := x
	if string(body) == Withheld {
		errX = secretForms{""} // a decoding error can quote the body: withhold it too
	}
	return &ReplyError{Op: r.op, AgentID: r.agentID, HTTPStatus: r.status, ContentType: shorten(x.field(r.contentType), 64),
		Reason: reason, Body: body, Err: errX.err(err, "error")}
}

// check validates what must hold before decoding: a JSON content type in
// UTF-8 and a non-empty UTF-8 body. A non-2xx status is judged by the
// caller, which first tries to read an envelope from it.
func (r *rawReply) check() *ReplyError {
	if reason := checkContentType(r.contentType); reason != "" {
		if r.forms().in(r.contentType) { // the reason may quote it, cut short
			reason = "content type is not UTF-8 JSON"
		}
		return r.fail(reason, nil)
	}
	b := r.body.Bytes()
	if len(bytes.TrimSpace(b)) == 0 {
		return r.fail("empty body", nil)
	}
	if !utf8.Valid(b) {
		return r.fail("body is not UTF-8", nil)
	}
	return nil
}

func (r *rawReply) ok() bool { return r.status >= 200 && r.status < 300 }

// decodeEnvelope turns a reply into its envelope, or into the error it
// stands for: *ReplyError when unreadable, *APIError when retcode != "0".
func (r *rawReply) decodeEnvelope() (generated.Envelope, error) {
	var env generated.Envelope
	if err := r.check(); err != nil {
		return env, r.statusFirst(err)
	}
	err := json.Unmarshal(r.body.Bytes(), &env)
	return env, r.judge(err, string(env.Retcode), deref(env.Message))
}

// judge maps a parsed envelope to the error it stands for, the same for
// every reply shape.
func (r *rawReply) judge(parseErr error, retcode, message string) error {
	switch {
	case parseErr != nil:
		return r.statusFirst(r.fail("malformed JSON envelope", parseErr))
	case retcode == "": // absent or null: json leaves the field empty
		return r.statusFirst(r.fail("envelope has no retcode", nil))
	case retcode != "0":
		return r.apiError(retcode, message)
	case !r.ok():
		return r.fail("HTTP status "+http.StatusText(r.status), nil)
	}
	return nil
}

// statusFirst names a bad status as the reason when the body was also
// unreadable: "HTTP 503" says more than "content type text/html".
func (r *rawReply) statusFirst(err *ReplyError) *ReplyError {
	if !r.ok() {
		err.Reason = "HTTP status " + http.StatusText(r.status) + " (" + err.Reason + ")"
	}
	return err
}

func (r *rawReply) apiError(code, msg string) *APIError {
	x := r.forms()
	if !retCodeShaped(code) {
		code = shorten(x.field(code), 32)
	}
	return &APIError{
		Op: r.op, AgentID: r.agentID, HTTPStatus: r.status,
		RetCode: code, Message: shorten(x.field(msg), 200), Body: x.body(r.body.Bytes()),
		sentGuid: r.sentGuid != "",
	}
}

// retCodeShaped reports whether code looks like a documented retcode,
// "ddd-ddd": one is kept in errors whatever it contains, as it is the
// vendor's vocabulary, not the server's echo.
func retCodeShaped(code string) bool {
	if len(code) != 7 || code[3] != '-' {
		return false
	}
	for i := range 7 {
		if i != 3 && (code[i] < '0' || code[i] > '9') {
			return false
		}
	}
	return true
}

// checkContentType returns why ct is not a UTF-8 JSON type, or "". A missing
// Content-Type is accepted: some gateway builds omit it.
func checkContentType(ct string) string {
	if ct == "" {
		return ""
	}
	media, params, _ := strings.Cut(ct, ";")
	media = strings.TrimSpace(media)
	if !strings.EqualFold(media, "application/json") && !strings.EqualFold(media, "text/json") &&
		!strings.HasSuffix(strings.ToLower(media), "+json") {
		return "content type " + shorten(media, 64) + " is not JSON"
	}
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "charset") {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if !strings.EqualFold(v, "utf-8") && !strings.EqualFold(v, "utf8") {
			return "charset " + shorten(v, 32) + " is not UTF-8"
		}
	}
	return ""
}
