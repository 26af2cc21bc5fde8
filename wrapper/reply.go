package wrapper

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"unicode/utf8"

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
	// The Guid the request carried, the session's Guid after the reply (a
	// rotated one) and any other secret the request carried (a password, a
	// service token): all are scrubbed from errors.
	sentGuid, guid string
	secrets        []string
}

// readReply reads at most limit bytes of resp and closes it. It reports
// every way a reply can be unreadable before any JSON is decoded.
// On error the buffer is already released.
func readReply(op string, agentID int, sentGuid, guid string, secrets []string, resp *http.Response, limit int64) (rawReply, error) {
	r := rawReply{op: op, agentID: agentID, status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"),
		body: getBuf(), sentGuid: sentGuid, guid: guid, secrets: secrets}
	_, err := r.body.ReadFrom(io.LimitReader(resp.Body, limit+1))
	_ = resp.Body.Close()
	var fail *ReplyError
	switch {
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

func (r *rawReply) fail(reason string, err error) *ReplyError {
	return &ReplyError{Op: r.op, AgentID: r.agentID, HTTPStatus: r.status, ContentType: shorten(r.contentType, 64),
		Reason: reason, Body: r.errorBody(), Err: err}
}

// errorBody is the start of the body for an error: a copy, the secrets
// scrubbed before it is cut, at most maxErrorBody bytes.
func (r *rawReply) errorBody() []byte {
	if r.body == nil || r.body.Len() == 0 {
		return nil
	}
	b := r.body.Bytes()
	redact := func(secret string) {
		if secret != "" && bytes.Contains(b, []byte(secret)) {
			b = bytes.ReplaceAll(b, []byte(secret), []byte("[REDACTED]"))
		}
	}
	redact(r.sentGuid)
	redact(r.guid)
	for _, secret := range r.secrets {
		redact(secret)
	}
	if len(b) > maxErrorBody {
		b = b[:maxErrorBody]
	}
	return bytes.Clone(b)
}

// check validates what must hold before decoding: a JSON content type in
// UTF-8 and a non-empty UTF-8 body. A non-2xx status is judged by the
// caller, which first tries to read an envelope from it.
func (r *rawReply) check() *ReplyError {
	if reason := checkContentType(r.contentType); reason != "" {
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
	for _, secret := range append([]string{r.sentGuid, r.guid}, r.secrets...) {
		if secret != "" {
			msg = strings.ReplaceAll(msg, secret, "[REDACTED]")
		}
	}
	return &APIError{
		Op: r.op, AgentID: r.agentID, HTTPStatus: r.status,
		RetCode: shorten(code, 32), Message: shorten(msg, 200), Body: r.errorBody(),
		sentGuid: r.sentGuid != "",
	}
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
