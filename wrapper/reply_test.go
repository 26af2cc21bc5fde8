package wrapper

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

const (
	jsonUTF8 = "application/json;charset=UTF-8"
	limit    = 1 << 10
)

func response(status int, contentType, body string) *http.Response {
	h := http.Header{}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader(body))}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// envelope reads resp in full and decodes its envelope.
func envelope(t *testing.T, call replyOwner, resp *http.Response) error {
	r, err := readReply(testCtx(t), call, resp, limit)
	if err != nil {
		return err
	}
	defer r.Release()
	_, err = r.Envelope()
	return err
}

func TestEnvelopeSuccess(t *testing.T) {
	resp := response(200, jsonUTF8, `{"message":"success","retcode":"0","result":{"state":4}}`)
	r, err := readReply(testCtx(t), replyOwner{Op: "GetAgentStatus"}, resp, limit)
	require.NoError(t, err)
	env, err := r.Envelope()
	require.NoError(t, err)
	assert.Equal(t, "0", string(env.Retcode))
	assert.Equal(t, "success", *env.Message)
	assert.JSONEq(t, `{"state":4}`, string(env.Result))
	assert.Equal(t, 200, r.Status())
	r.Release()
	r.Release() // twice is harmless
}

func TestEnvelopeAPIError(t *testing.T) {
	for _, tc := range []struct {
		status   int
		retcode  string
		sentGuid bool
		is, not  []error
	}{
		{200, "100-007", false, []error{ErrAgentOperation}, []error{ErrBadReply, ErrNotSignedIn}},
		{200, "000-002", false, []error{ErrInvalidParam}, []error{ErrNoRight}},
		{200, "100-002", false, []error{ErrAlreadySignedIn}, nil},
		{200, "100-004", false, []error{ErrBadCredentials}, nil},
		{200, "100-006", false, []error{ErrNotSignedIn}, nil},
		{200, "100-015", false, []error{ErrForceSignInDisabled}, nil},
		{200, "200-004", false, []error{ErrCallState}, []error{ErrAgentOperation}},
		// 000-003 means a rejected Guid only on a call that sent one.
		{200, "000-003", true, []error{ErrNoRight, ErrNotSignedIn}, nil},
		{200, "000-003", false, []error{ErrNoRight}, []error{ErrNotSignedIn}},
		// A readable envelope on an error status is still the gateway's answer.
		{500, "100-006", false, []error{ErrNotSignedIn}, []error{ErrBadReply}},
		{200, "999-999", false, nil, []error{ErrCallState, ErrBadReply}},
	} {
		name := fmt.Sprintf("%s/%d/guid=%v", tc.retcode, tc.status, tc.sentGuid)
		t.Run(name, func(t *testing.T) {
			body := `{"message":"gateway says no","retcode":"` + tc.retcode + `"}`
			call := replyOwner{Op: "SayFree", AgentID: 20001, SentGuid: tc.sentGuid}
			err := envelope(t, call, response(tc.status, jsonUTF8, body))
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.retcode, apiErr.RetCode)
			assert.Equal(t, "gateway says no", apiErr.Message)
			assert.Equal(t, tc.status, apiErr.HTTPStatus)
			assert.Equal(t, "SayFree", apiErr.Op)
			assert.Equal(t, 20001, apiErr.AgentID)
			assert.Equal(t, body, string(apiErr.Body))
			for _, s := range tc.is {
				assert.ErrorIs(t, err, s)
			}
			for _, s := range tc.not {
				assert.NotErrorIs(t, err, s)
			}
			assert.Contains(t, err.Error(), "SayFree agent 20001: retcode "+tc.retcode)
			if text := RetCodeText(tc.retcode); text != "" {
				assert.Contains(t, err.Error(), "("+text+")")
			}
			if tc.status != 200 {
				assert.Contains(t, err.Error(), "[HTTP 500]")
			}
		})
	}
}

func TestEnvelopeReplyError(t *testing.T) {
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		reason      string // the start of Reason
		wrapsErr    bool
	}{
		{"HTML error page", 502, "text/html", "<html><body>Bad Gateway</body></html>", "HTTP status Bad Gateway (content type text/html is not JSON)", false},
		{"success on an error status", 503, jsonUTF8, `{"retcode":"0"}`, "HTTP status Service Unavailable", false},
		{"empty", 200, jsonUTF8, "", "empty body", false},
		{"blank", 200, jsonUTF8, " \r\n\t", "empty body", false},
		{"not UTF-8", 200, jsonUTF8, "{\"retcode\":\"0\",\"message\":\"\xc4\xe3\"}", "body is not UTF-8", false},
		{"GBK charset", 200, "application/json; charset=GBK", `{"retcode":"0"}`, "charset GBK is not UTF-8", false},
		{"quoted charset", 200, `application/json; charset="latin1"`, `{"retcode":"0"}`, "charset latin1 is not UTF-8", false},
		{"text/plain", 200, "text/plain", `{"retcode":"0"}`, "content type text/plain is not JSON", false},
		{"no retcode", 200, jsonUTF8, `{"message":"ok"}`, "envelope has no retcode", false},
		{"null retcode", 200, jsonUTF8, `{"retcode":null}`, "envelope has no retcode", false},
		{"truncated", 200, jsonUTF8, `{"retcode":"0","mess`, "malformed JSON envelope", true},
		{"array", 200, jsonUTF8, `[]`, "malformed JSON envelope", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := envelope(t, replyOwner{Op: "SayBusy"}, response(tc.status, tc.contentType, tc.body))
			var re *ReplyError
			require.ErrorAs(t, err, &re)
			assert.ErrorIs(t, err, ErrBadReply)
			assert.True(t, strings.HasPrefix(re.Reason, tc.reason), "reason %q", re.Reason)
			assert.Equal(t, tc.status, re.HTTPStatus)
			assert.Equal(t, tc.contentType, re.ContentType)
			assert.Equal(t, tc.body, string(re.Body))
			assert.Equal(t, tc.wrapsErr, re.Err != nil, "decoding error: %v", re.Err)
			assert.Equal(t, re.Err, errors.Unwrap(err))
		})
	}
}

func TestEnvelopeNoContentType(t *testing.T) {
	// Some gateway builds omit it: the body decides.
	require.NoError(t, envelope(t, replyOwner{}, response(200, "", `{"retcode":"0"}`)))
	require.NoError(t, envelope(t, replyOwner{}, response(200, "application/problem+json", `{"retcode":"0"}`)))
}

func TestReplyErrorBodyBounded(t *testing.T) {
	page := "<html>" + strings.Repeat("x", 900) + "</html>"
	err := envelope(t, replyOwner{Op: "Work"}, response(500, "text/html", page))
	var re *ReplyError
	require.ErrorAs(t, err, &re)
	assert.True(t, strings.HasPrefix(re.Reason, "HTTP status Internal Server Error"), re.Reason)
	assert.Equal(t, page[:512], string(re.Body))

	msg := strings.Repeat("m", 900)
	err = envelope(t, replyOwner{Op: "Work"}, response(200, jsonUTF8, `{"retcode":"100-007","message":"`+msg+`"}`))
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Len(t, apiErr.Body, 512)
	assert.Equal(t, msg[:200]+"...", apiErr.Message, "the message is shortened too")
}

func TestReadLimit(t *testing.T) {
	ok := `{"retcode":"0"}`
	r, err := readReply(testCtx(t), replyOwner{}, response(200, jsonUTF8, ok), int64(len(ok)))
	require.NoError(t, err, "exactly at the limit")
	r.Release()

	_, err = readReply(testCtx(t), replyOwner{Op: "PollEvent"}, response(200, jsonUTF8, ok+" "), int64(len(ok)))
	var re *ReplyError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "body exceeds the reply limit", re.Reason)
	assert.Equal(t, ok+" ", string(re.Body))
}

// body records how a reply body was used.
type body struct {
	read   io.Reader
	reads  int
	closed bool
}

func (b *body) Read(p []byte) (int, error) { b.reads++; return b.read.Read(p) }
func (b *body) Close() error               { b.closed = true; return nil }

func TestReadInformational(t *testing.T) {
	// A 101's body is the raw connection: it must be closed, never read.
	b := &body{read: strings.NewReader(`{"retcode":"0"}`)}
	resp := &http.Response{StatusCode: 101, Header: http.Header{"Content-Type": {jsonUTF8}}, Body: b}
	_, err := readReply(testCtx(t), replyOwner{Op: "Heartbeat"}, resp, limit)
	var re *ReplyError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "HTTP status Switching Protocols (not a final reply)", re.Reason)
	assert.Equal(t, 101, re.HTTPStatus)
	assert.Zero(t, b.reads)
	assert.True(t, b.closed)
}

func TestReadFailure(t *testing.T) {
	broken := errors.New("connection reset")
	b := &body{read: io.MultiReader(strings.NewReader(`{"ret`), iotestErr{broken})}
	_, err := readReply(testCtx(t), replyOwner{Op: "Rest"}, &http.Response{StatusCode: 200, Header: http.Header{}, Body: b}, limit)
	var re *ReplyError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "reading body", re.Reason)
	assert.ErrorIs(t, err, broken)
	assert.True(t, b.closed)

	// Once the caller gave up, the context's error is the cause.
	ctx, cancel := context.WithCancel(testCtx(t))
	cancel()
	b = &body{read: iotestErr{broken}}
	_, err = readReply(ctx, replyOwner{}, &http.Response{StatusCode: 200, Header: http.Header{}, Body: b}, limit)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorIs(t, err, ErrBadReply)
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

// secret needs escaping in JSON and in a query.
const secret = `Pa"ss<w0rd>&x y`

func TestSecretsNeverShown(t *testing.T) {
	jsonForm := `Pa\"ss\u003cw0rd\u003e\u0026x y`
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
	}{
		{"message raw", jsonUTF8, `{"retcode":"100-004","message":"bad ` + `Pa\"ss<w0rd>&x y` + `"}`, 200},
		{"message escaped", jsonUTF8, `{"retcode":"100-004","message":"` + jsonForm + `"}`, 200},
		{"retcode", jsonUTF8, `{"retcode":"` + jsonForm + `"}`, 200},
		{"HTML body raw", "text/html", "<p>" + secret + "</p>", 500},
		{"HTML body query-escaped", "text/html", "<a href='/x?p=Pa%22ss%3Cw0rd%3E%26x+y'>", 500},
		// The decoder quotes the rest of the body, escaped once more.
		{"decoding error quoting it", jsonUTF8, `{"retcode":["` + jsonForm + `"]}`, 200},
		{"decoding error quoting it raw", jsonUTF8, `{"retcode":"0","message":` + secret + `}`, 200},
		{"in content type", "text/html; token=" + secret, "<p>hi</p>", 200},
		{"as content type", secret, `{"retcode":"0"}`, 200},
		{"in charset", "application/json; charset=" + secret, `{"retcode":"0"}`, 200},
		{"empty body, secret in type", "application/json; t=" + jsonForm, "", 200},
		// Escapes Go's encoder does not write, which other encoders do.
		{"message escaped otherwise", jsonUTF8, `{"retcode":"100-004","message":"Pa\u0022ss\u003Cw0rd\u003E\u0026x\u0020y"}`, 200},
		{"HTML body lower-case percent-escaped", "text/html", "<a href='/x?p=Pa%22ss%3cw0rd%3e%26x%20y'>", 500},
		{"bad status, escaped in the body", jsonUTF8, `{"retcode":"0","message":"Pa\u0022ss\u003cw0rd\u003e\u0026x y"}`, 503},
	} {
		t.Run(tc.name, func(t *testing.T) {
			secrets := func() []string { return []string{"unused-guid", secret} }
			err := envelope(t, replyOwner{Op: "SignIn", Secrets: secrets}, response(tc.status, tc.contentType, tc.body))
			require.Error(t, err)
			fields := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%v", err)}
			var apiErr *APIError
			var re *ReplyError
			switch {
			case errors.As(err, &apiErr):
				fields = append(fields, apiErr.Message, string(apiErr.Body), apiErr.RetCode)
			case errors.As(err, &re):
				fields = append(fields, re.Reason, re.ContentType, string(re.Body))
				if re.Err != nil {
					fields = append(fields, re.Err.Error())
				}
			default:
				t.Fatalf("untyped error %T", err)
			}
			for _, f := range fields {
				for _, form := range []string{secret, jsonForm, `Pa\"ss<w0rd>&x y`, "Pa%22ss%3Cw0rd%3E%26x+y", "w0rd"} {
					assert.NotContains(t, f, form)
				}
			}
			assert.Contains(t, strings.Join(fields, "\n"), redact.Withheld, "a field was withheld whole")
		})
	}
}

func TestSecretsNotCalledOnSuccess(t *testing.T) {
	call := replyOwner{Secrets: func() []string { t.Error("Secrets called without an error"); return nil }}
	require.NoError(t, envelope(t, call, response(200, jsonUTF8, `{"retcode":"0"}`)))
}
