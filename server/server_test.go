package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// stub signs in by echoing the body it decoded, fails SignOut and leaves
// the rest unimplemented.
type stub struct {
	generated.Unimplemented
	got chan *generated.SignInJSONRequestBody
}

func (s stub) SignIn(_ context.Context, req generated.SignInRequestObject) (generated.SignInResponseObject, error) {
	s.got <- req.Body
	guid := "JSESSIONID=abc"
	var reply generated.SignInReplyJSONResponse
	reply.Body.Retcode = "0"
	reply.Headers.SetGUID = &guid
	return generated.SignIn200JSONResponse{SignInReplyJSONResponse: reply}, nil
}

func (stub) SignOut(context.Context, generated.SignOutRequestObject) (generated.SignOutResponseObject, error) {
	return nil, errors.New("boom")
}

type reply struct {
	status      int
	contentType string
	header      http.Header
	env         struct{ Retcode, Message string }
}

func newStub(t *testing.T, opts ...server.Option) (*httptest.Server, chan *generated.SignInJSONRequestBody) {
	got := make(chan *generated.SignInJSONRequestBody, 1)
	return newServer(t, stub{got: got}, opts...), got
}

func newServer(t *testing.T, impl generated.StrictServerInterface, opts ...server.Option) *httptest.Server {
	ts := httptest.NewServer(server.NewHandler(impl, opts...))
	t.Cleanup(ts.Close)
	return ts
}

func bodyReader(body string) io.Reader {
	if body == "" {
		return nil
	}
	return strings.NewReader(body)
}

func call(t *testing.T, ts *httptest.Server, method, path, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, bodyReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	req.Header.Set("Guid", "g")
	res, err := ts.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	return readReply(t, res)
}

func readReply(t *testing.T, res *http.Response) reply {
	t.Helper()
	r := reply{status: res.StatusCode, contentType: res.Header.Get("Content-Type"), header: res.Header}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&r.env))
	return r
}

const signInPath = generated.BasePath + "/onlineagent/20001"

func TestRefusalsAnswerTheEnvelope(t *testing.T) {
	ts, _ := newStub(t)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		retcode, message         string
	}{
		{"wrong method", http.MethodGet, signInPath, "", 200, "000-001", "method not allowed"},
		{"unknown path", http.MethodGet, generated.BasePath + "/nosuch/1", "", 404, "000-002", "no such resource"},
		{"outside the base path", http.MethodGet, "/elsewhere", "", 404, "000-002", "no such resource"},
		{"bad parameter", http.MethodPut, generated.BasePath + "/onlineagent/7", `{"password":"p","phonenum":"1"}`, 200, "000-002", "invalid parameter agentid"},
		{"agent ID too wide", http.MethodPut, generated.BasePath + "/onlineagent/999999", `{"password":"p","phonenum":"1"}`, 200, "000-002", "invalid parameter agentid"},
		{"bad body", http.MethodPut, signInPath, `{"password":"p"}`, 200, "000-002", "invalid request body"},
		{"malformed body", http.MethodPut, signInPath, `{"password":`, 200, "000-002", "invalid request body"},
		{"strict handler error", http.MethodDelete, generated.BasePath + "/onlineagent/20001/logout", "", 200, "100-007", "internal error"},
		{"unimplemented", http.MethodPut, generated.BasePath + "/voicecall/20001/answer", "", 200, "100-007", "not implemented: Answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := call(t, ts, tc.method, tc.path, tc.body)
			assert.Equal(t, tc.status, r.status)
			assert.Equal(t, server.ContentType, r.contentType)
			assert.Equal(t, tc.retcode, r.env.Retcode)
			assert.Contains(t, r.env.Message, tc.message)
		})
	}
}

func TestWideAgentIDs(t *testing.T) {
	ts, got := newStub(t, server.WithWideAgentIDs())
	r := call(t, ts, http.MethodPut, generated.BasePath+"/onlineagent/999999", `{"password":"p","phonenum":"1"}`)
	assert.Equal(t, "0", r.env.Retcode, r.env.Message)
	<-got
	r = call(t, ts, http.MethodPut, generated.BasePath+"/voicecall/999999/snatchpickup?destWorkNo=1000000", "")
	assert.Equal(t, "000-002", r.env.Retcode)
	assert.Contains(t, r.env.Message, "invalid parameter destWorkNo")
}

func TestMiddlewareAndHooks(t *testing.T) {
	var ops, refused []string
	var wrapped int
	ts, got := newStub(t,
		server.WithStrictMiddleware(func(f generated.StrictHandlerFunc, op string) generated.StrictHandlerFunc {
			ops = append(ops, op)
			return f
		}),
		server.WithMiddleware(func(h http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { wrapped++; h.ServeHTTP(w, r) })
		}),
		server.WithRefusalHook(func(_ context.Context, r server.Refusal) {
			require.NotEmpty(t, r.Rule)
			refused = append(refused, r.Operation)
		}))
	call(t, ts, http.MethodPut, signInPath, `{"password":"p","phonenum":"1"}`)
	<-got
	call(t, ts, http.MethodPut, signInPath, `{}`)
	call(t, ts, http.MethodGet, "/nosuch", "")
	assert.Equal(t, 3, wrapped)
	assert.Equal(t, []string{"SignIn"}, ops, "only the valid request reaches an operation")
	assert.Equal(t, []string{"SignIn", ""}, refused)
}

// TestSetGUIDSpelling reads the raw reply: net/http would write Go's
// canonical "Set-Guid" unless the kit keeps the vendor's spelling.
func TestSetGUIDSpelling(t *testing.T) {
	ts, got := newStub(t)
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	body := `{"password":"p","phonenum":"1"}`
	_, err = io.WriteString(conn, "PUT "+signInPath+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"+
		"Content-Type: application/json\r\nContent-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
	require.NoError(t, err)
	raw, err := io.ReadAll(bufio.NewReader(conn))
	require.NoError(t, err)
	<-got
	assert.Contains(t, string(raw), "\r\nSet-GUID: JSESSIONID=abc\r\n")
	assert.NotContains(t, string(raw), "Set-Guid")
	assert.Contains(t, string(raw), "\r\nContent-Type: application/json;charset=UTF-8\r\n")
}
