package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// endless is a body that never ends, counting what was read of it.
type endless struct{ read atomic.Int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.read.Add(int64(len(p)))
	return len(p), nil
}

func serveInMemory(h http.Handler, req *http.Request) (*httptest.ResponseRecorder, generated.Envelope) {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var env generated.Envelope
	_ = json.Unmarshal(rec.Body.Bytes(), &env)
	return rec, env
}

func wantTooLarge(t *testing.T, rec *httptest.ResponseRecorder, env generated.Envelope, limit string) {
	t.Helper()
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
	assert.Equal(t, generated.RetCodeInvalidParameter, env.Retcode)
	require.NotNil(t, env.Message)
	assert.Equal(t, "request body too large: the limit is "+limit+" bytes", *env.Message)
	assert.Equal(t, "close", rec.Header().Get("Connection"))
	assert.Equal(t, server.ContentType, rec.Header().Get("Content-Type"))
}

// TestBodyLimitByContentLength: a declared length over the limit (1 MiB by
// default) is refused before a byte of the body is read.
func TestBodyLimitByContentLength(t *testing.T) {
	h := server.NewHandler(stub{got: make(chan *generated.SignInJSONRequestBody, 1)})
	for _, path := range []string{signInPath, benchSnatchPath} {
		body := &endless{}
		req := httptest.NewRequest(http.MethodPut, path, body)
		req.ContentLength = server.DefaultMaxBodyBytes + 1
		req.Header.Set("Content-Type", server.ContentType)
		rec, env := serveInMemory(h, req)
		wantTooLarge(t, rec, env, "1048576")
		assert.Zero(t, body.read.Load(), "%s: the body was read", path)
	}
}

// TestBodyLimitWhileReading: a body of unknown length is read up to the
// limit, not further.
func TestBodyLimitWhileReading(t *testing.T) {
	var refused []server.Refusal
	h := server.NewHandler(stub{got: make(chan *generated.SignInJSONRequestBody, 1)},
		server.WithMaxBodyBytes(1000),
		server.WithRefusalHook(func(_ context.Context, r server.Refusal) { refused = append(refused, r) }))
	body := &endless{}
	req := httptest.NewRequest(http.MethodPut, signInPath, body)
	req.ContentLength = -1 // chunked
	req.Header.Set("Content-Type", server.ContentType)
	rec, env := serveInMemory(h, req)
	wantTooLarge(t, rec, env, "1000")
	assert.LessOrEqual(t, body.read.Load(), int64(64<<10), "read far past the limit")
	require.Len(t, refused, 1)
	assert.Equal(t, server.Refusal{Operation: "SignIn", In: "body", Rule: server.RuleTooLarge,
		Reason: "the limit is 1000 bytes", Status: http.StatusRequestEntityTooLarge, RetCode: generated.RetCodeInvalidParameter}, refused[0])
}

// TestBodyLimitEdge: a body of exactly the limit is read; one byte more is
// not, however it is sent.
func TestBodyLimitEdge(t *testing.T) {
	var lengths []int64
	ts, got := newStub(t, server.WithMaxBodyBytes(100), server.WithMiddleware(func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			lengths = append(lengths, r.ContentLength)
			h.ServeHTTP(w, r)
		})
	}))
	valid := `{"password":"p","phonenum":"1"}`
	exact := valid + strings.Repeat(" ", 100-len(valid))
	r := call(t, ts, http.MethodPut, signInPath, exact)
	assert.Equal(t, "0", r.env.Retcode, r.env.Message)
	<-got
	r = call(t, ts, http.MethodPut, signInPath, exact+" ")
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Equal(t, "000-002", r.env.Retcode)

	// The same over the wire without a Content-Length (chunked).
	req, err := http.NewRequest(http.MethodPut, ts.URL+signInPath, io.MultiReader(strings.NewReader(exact), strings.NewReader(" ")))
	require.NoError(t, err)
	req.Header.Set("Content-Type", server.ContentType)
	res, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	assert.Equal(t, []int64{100, 101, -1}, lengths, "the last one was chunked")
}

// TestBodyLimitOverLoopback: a 5 MB body gets its 413 envelope and the
// server closes the connection rather than read the rest.
func TestBodyLimitOverLoopback(t *testing.T) {
	ts, _ := newStub(t)
	big := bytes.Repeat([]byte(" "), 5<<20)
	req, err := http.NewRequest(http.MethodPut, ts.URL+signInPath, bytes.NewReader(big))
	require.NoError(t, err)
	req.Header.Set("Content-Type", server.ContentType)
	res, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	assert.True(t, res.Close, "the server keeps the connection")
	var env generated.Envelope
	require.NoError(t, json.NewDecoder(res.Body).Decode(&env))
	assert.Equal(t, generated.RetCodeInvalidParameter, env.Retcode)
}
