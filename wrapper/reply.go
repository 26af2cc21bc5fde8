package wrapper

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"unicode/utf8"

	"github.com/segmentio/encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// Call says whose reply is read: it names the reply in errors and knows the
// secrets those errors must not show.
type replyOwner struct {
	Op      string // the operation ID, e.g. "SnatchPickup"
	AgentID int    // the agent in the request path, 0 if none
	// SentGuid says the request carried a Guid: a 000-003 reply then means
	// the Guid was rejected (ErrNotSignedIn).
	SentGuid bool
	// Secrets, if set, returns every secret the exchange touched (the Guid,
	// a password, cookie values). It is called only to build an error.
	Secrets func() []string
}

// Reply is a reply read into memory, not yet decoded. Release it when done.
type wireReply struct {
	call        replyOwner
	status      int
	contentType string
	body        *bytes.Buffer
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Read reads at most limit bytes of resp's body under ctx, and closes it.
// Every way a reply can be unreadable before any JSON is decoded is a
// *ReplyError: a 1xx reply (a 101's body is the raw connection, which no
// deadline bounds), a body over limit, a failed read.
func readReply(ctx context.Context, call replyOwner, resp *http.Response, limit int64) (wireReply, error) {
	r := wireReply{call: call, status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), body: bufPool.Get().(*bytes.Buffer)}
	var err error
	if resp.StatusCode >= 200 {
		_, err = r.body.ReadFrom(io.LimitReader(resp.Body, limit+1))
		if err != nil && ctx.Err() != nil {
			err = ctx.Err()
		}
	}
	_ = resp.Body.Close()
	var fail *ReplyError
	switch {
	case resp.StatusCode < 200:
		fail = r.statusFirst(r.fail("not a final reply", nil))
	case int64(r.body.Len()) > limit:
		fail = r.statusFirst(r.fail("body exceeds the reply limit", nil))
	case err != nil:
		fail = r.statusFirst(r.fail("reading body", err))
	}
	if fail != nil {
		r.Release()
		return wireReply{}, fail
	}
	return r, nil
}

// Status is the reply's HTTP status.
func (r *wireReply) Status() int { return r.status }

// Release returns the reply's buffer to the pool; the Reply is then empty.
func (r *wireReply) Release() {
	if r.body != nil && r.body.Cap() <= 64<<10 { // do not pin huge replies
		r.body.Reset()
		bufPool.Put(r.body)
	}
	r.body = nil
}

// Envelope decodes the reply into its envelope, or into the error it stands
// for: *ReplyError when unreadable, *APIError when retcode is not "0".
func (r *wireReply) Envelope() (generated.Envelope, error) {
	var env generated.Envelope
	if err := r.check(); err != nil {
		return env, r.statusFirst(err)
	}
	err := json.Unmarshal(r.body.Bytes(), &env)
	return env, r.judge(err, string(env.Retcode), deref(env.Message))
}

func (r *wireReply) forms() redact.Forms {
	if r.call.Secrets == nil {
		return nil
	}
	return redact.Of(r.call.Secrets()...)
}

func (r *wireReply) fail(reason string, err error) *ReplyError {
	x := r.forms()
	body := x.Body(r.body.Bytes())
	errX := x
	if string(body) == redact.Withheld {
		errX = redact.Forms{""} // a decoding error can quote the body: withhold it too
	}
	return &ReplyError{Op: r.call.Op, AgentID: r.call.AgentID, HTTPStatus: r.status, ContentType: redact.Clip(x.Field(r.contentType), 64),
		Reason: reason, Body: body, Err: errX.Err(err, "error")}
}

// check validates what must hold before decoding: a JSON content type in
// UTF-8 and a non-empty UTF-8 body nested at most maxDepth deep. A non-2xx status is judged later, after
// trying to read an envelope from it.
func (r *wireReply) check() *ReplyError {
	if reason := contentTypeProblem(r.contentType); reason != "" {
		if r.forms().In(r.contentType) { // the reason may quote it, cut short
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
	if tooDeep(b) { // checked once: what decodes a part of the body is bounded too
		return r.fail(depthReason, nil)
	}
	return nil
}

func (r *wireReply) ok() bool { return r.status >= 200 && r.status < 300 }

// judge maps a parsed envelope to the error it stands for, the same for
// every reply shape.
func (r *wireReply) judge(parseErr error, retcode, message string) error {
	switch {
	case parseErr != nil:
		return r.statusFirst(r.fail("malformed JSON envelope", parseErr))
	case retcode == "": // absent or null: json leaves the field empty
		return r.statusFirst(r.fail("envelope has no retcode", nil))
	case retcode != "0":
		x := r.forms()
		if !retCodeShaped(retcode) { // a documented code is vocabulary, not an echo
			retcode = redact.Clip(x.Field(retcode), 32)
		}
		return &APIError{Op: r.call.Op, AgentID: r.call.AgentID, HTTPStatus: r.status, RetCode: retcode,
			Message: redact.Clip(x.Field(message), 200), Body: x.Body(r.body.Bytes()), sentGuid: r.call.SentGuid}
	case !r.ok():
		return r.fail("HTTP status "+http.StatusText(r.status), nil)
	}
	return nil
}

// statusFirst names a bad status as the reason when the body was also
// unreadable: "HTTP 503" says more than "content type text/html".
func (r *wireReply) statusFirst(err *ReplyError) *ReplyError {
	if !r.ok() {
		err.Reason = "HTTP status " + http.StatusText(r.status) + " (" + err.Reason + ")"
	}
	return err
}

// retCodeShaped reports whether code looks like a documented retcode,
// "ddd-ddd".
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

// ReadReply reads a reply of the bare generated client (generated.Client)
// as the Session's methods read theirs: at most DefaultMaxReplyBytes of it,
// under ctx, closing its body; it returns the envelope, or the error it
// stands for: a *ReplyError when unreadable, an *APIError when its retcode
// is not "0". op and agentID name the call in errors.
func ReadReply(ctx context.Context, op string, agentID int, resp *http.Response) (generated.Envelope, error) {
	r, err := readReply(ctx, replyOwner{Op: op, AgentID: agentID}, resp, DefaultMaxReplyBytes)
	if err != nil {
		return generated.Envelope{}, err
	}
	defer r.Release()
	return r.Envelope()
}
