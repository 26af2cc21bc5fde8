package wrapper_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// forms are the ways the client sends a secret: raw, JSON-escaped (with
// and without HTML escapes), query- and path-escaped.
func forms(secret string) []string {
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(secret)
	q, _ := json.Marshal(secret)
	return []string{secret, string(q[1 : len(q)-1]), strings.TrimSpace(plain.String())[1 : len(strings.TrimSpace(plain.String()))-1],
		url.QueryEscape(secret), url.PathEscape(secret)}
}

// shown is everything a caller may print of err: its text in every verb
// and the fields of the package's error types.
func shown(err error) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v\n%+v\n%#v\n%q\n", err, err, err, err)
	if ae, ok := errors.AsType[*wrapper.APIError](err); ok {
		fmt.Fprintf(&b, "%s %s %s\n", ae.RetCode, ae.Message, ae.Body)
	}
	if re, ok := errors.AsType[*wrapper.ReplyError](err); ok {
		fmt.Fprintf(&b, "%s %s %s\n", re.ContentType, re.Reason, re.Body)
		if re.Err != nil {
			fmt.Fprintf(&b, "%#v\n", re.Err)
		}
	}
	return b.String()
}

func assertNoSecret(t *testing.T, out string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, f := range forms(s) {
			assert.NotContains(t, out, f, "a form of a secret shows")
		}
	}
	assert.NotContains(t, out, "REDACTED", "no mask that shows where a secret was")
}

const (
	hostileGuid  = "9c1e0f7a2b3d4c5e6f708192a3b4c5d6.AgentGateway3"
	hostileToken = "pushT0ken42abc"
	hostileCook  = "nslb-affinity-7f3a9e"
	hostilePass  = `p<&"w>d\Passw0rd`
)

// debugLogger records every slog record the client writes.
func debugLogger() (*slog.Logger, *bytes.Buffer) {
	var logs bytes.Buffer
	return slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), &logs
}

// The gateway's own message, with the password inside it: the message is
// withheld whole, so nothing tells where the password matched.
func TestSecretInMessageIsWithheldWhole(t *testing.T) {
	g := newGateway(t)
	g.reply("PUT /onlineagent/20001", `{"message":"wrong agent ID or password","retcode":"100-004","result":""}`)
	_, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: "or"})
	require.ErrorIs(t, err, wrapper.ErrBadCredentials)
	ae, ok := errors.AsType[*wrapper.APIError](err)
	require.True(t, ok)
	assert.Equal(t, "100-004", ae.RetCode, "a retcode is kept")
	assert.Equal(t, wrapper.Withheld, ae.Message)
	assert.Equal(t, wrapper.Withheld, string(ae.Body))
	assert.True(t, strings.HasSuffix(err.Error(), `: "`+wrapper.Withheld+`"`), err.Error())
	assert.NotContains(t, shown(err), "REDACTED")
}

// Echoes in every field of a reply: the field is withheld, the rest of
// the error (status, retcode, shape) stays.
func TestEchoedSecretsAreWithheld(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply func(w http.ResponseWriter, r *http.Request)
		check func(t *testing.T, err error)
	}{
		{"content type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; x="+r.Header.Get("Guid"))
			_, _ = io.WriteString(w, okReply)
		}, func(t *testing.T, err error) {
			re, _ := errors.AsType[*wrapper.ReplyError](err)
			require.NotNil(t, re)
			assert.Equal(t, wrapper.Withheld, re.ContentType)
			assert.Equal(t, "content type is not UTF-8 JSON", re.Reason, "the shape stays")
		}},
		{"charset", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json; charset="+r.Header.Get("Guid"))
			_, _ = io.WriteString(w, okReply)
		}, func(t *testing.T, err error) {
			re, _ := errors.AsType[*wrapper.ReplyError](err)
			require.NotNil(t, re)
			assert.Equal(t, wrapper.Withheld, re.ContentType)
			assert.Equal(t, "content type is not UTF-8 JSON", re.Reason)
		}},
		{"retcode", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, `{"retcode":"`+r.Header.Get("Guid")+`","message":"x"}`)
		}, func(t *testing.T, err error) {
			ae, _ := errors.AsType[*wrapper.APIError](err)
			require.NotNil(t, ae)
			assert.Equal(t, wrapper.Withheld, ae.RetCode)
			assert.Equal(t, "x", ae.Message, "other fields stay")
		}},
		{"cookie in an error page", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>request had Cookie: "+r.Header.Get("Cookie")+"</html>")
		}, func(t *testing.T, err error) {
			re, _ := errors.AsType[*wrapper.ReplyError](err)
			require.NotNil(t, re)
			assert.Equal(t, http.StatusBadGateway, re.HTTPStatus)
			assert.Equal(t, wrapper.Withheld, string(re.Body))
		}},
		{"cookie set and echoed by the same reply", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Set-Cookie", "lb2=fresh-"+hostileCook)
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, `{"retcode":"100-007","message":"sticky fresh-`+hostileCook+`"}`)
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, wrapper.ErrAgentOperation) }},
		{"Guid split by the cut at 512 bytes", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, strings.Repeat("x", 500)+r.Header.Get("Guid"))
		}, func(t *testing.T, err error) {
			re, _ := errors.AsType[*wrapper.ReplyError](err)
			require.NotNil(t, re)
			assert.Equal(t, wrapper.Withheld, string(re.Body))
		}},
		{"Guid in malformed JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, `{"retcode":"0","message":`+r.Header.Get("Guid")+`}`)
		}, func(t *testing.T, err error) {
			re, _ := errors.AsType[*wrapper.ReplyError](err)
			require.NotNil(t, re)
			require.Error(t, re.Err)
			assert.Contains(t, re.Err.Error(), wrapper.Withheld, "a decoding error can quote the body")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logger, logs := debugLogger()
			g := newGateway(t)
			g.reply("PUT /onlineagent/20001", okReply, "Set-GUID", "JSESSIONID="+hostileGuid, "Set-Cookie", "lb="+hostileCook+"; Path=/")
			g.handle("PUT /voicecall/20001/snatchpickup", tc.reply)
			s, err := g.client(wrapper.WithLogger(logger)).SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
			require.NoError(t, err)
			err = s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: agentB})
			require.Error(t, err)
			tc.check(t, err)
			assertNoSecret(t, shown(err)+logs.String(), hostileGuid, hostileCook, testPass)
		})
	}
}

// A sign-in echoed back in the forms the client sent it in (JSON with
// encoding/json's escapes), in plain JSON, and URL-encoded.
func TestEchoedPasswordFormsAreWithheld(t *testing.T) {
	for name, echo := range map[string]func(body []byte) string{
		"the request body":   func(body []byte) string { return string(body) },
		"JSON without HTML":  func([]byte) string { return forms(hostilePass)[2] },
		"query-escaped":      func([]byte) string { return url.QueryEscape(hostilePass) },
		"service token only": func([]byte) string { return "token=" + hostileToken },
	} {
		t.Run(name, func(t *testing.T) {
			logger, logs := debugLogger()
			g := newGateway(t)
			g.handle("PUT /onlineagent/20001", func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusForbidden)
				_, _ = io.WriteString(w, "<html>WAF blocked: "+echo(body)+"</html>")
			})
			_, err := g.client(wrapper.WithLogger(logger)).SignIn(testContext(t), agentA, wrapper.SignInOptions{
				Phone: testPhone, Password: hostilePass, PushURL: "https://desk.example/cb", ServiceToken: hostileToken})
			re, ok := errors.AsType[*wrapper.ReplyError](err)
			require.True(t, ok, "%v", err)
			assert.Equal(t, http.StatusForbidden, re.HTTPStatus)
			assert.Equal(t, wrapper.Withheld, string(re.Body))
			assertNoSecret(t, shown(err)+logs.String(), hostilePass, hostileToken)
		})
	}
}

// net/http quotes a malformed reply header line whole in its error: one
// that echoes a secret next to a control byte must not reach the error or
// the log.
func TestMalformedHeaderEchoIsWithheld(t *testing.T) {
	srv := newRawServer(t, func(c net.Conn, br *bufio.Reader) {
		for {
			r, ok := readRequest(br)
			if !ok {
				return
			}
			if r.URL.Path == base+"/onlineagent/20001" && r.Method == http.MethodPut {
				writeReply(c, "Set-GUID: JSESSIONID="+hostileGuid+"\r\nSet-Cookie: lb="+hostileCook+"; Path=/\r\n", okReply)
				continue
			}
			echo := r.Header.Get("Guid") + " " + r.Header.Get("Service_token") + " " + r.Header.Get("Cookie")
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nX-Echo: "+echo+"\x01\r\nContent-Length: 0\r\n\r\n")
			return
		}
	})
	logger, logs := debugLogger()
	c, err := wrapper.NewClient(srv.URL(), wrapper.WithLogger(logger))
	require.NoError(t, err)
	ctx := testContext(t)
	s, err := c.SignIn(ctx, agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.NoError(t, err)
	for _, err := range []error{s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB}), s.Handshake(ctx, &generated.HandshakeParams{ServiceToken: ptr(hostileToken)})} {
		require.Error(t, err)
		assert.Contains(t, err.Error(), "transport error "+wrapper.Withheld)
		_, isURLError := errors.AsType[*url.Error](err)
		assert.False(t, isURLError, "the original error is not kept")
		assertNoSecret(t, shown(err), hostileGuid, hostileCook, hostileToken)
	}
	assertNoSecret(t, logs.String(), hostileGuid, hostileCook, hostileToken)
}

// timeoutError is a transport error that names the Guid and is a timeout.
type timeoutError struct{ guid string }

func (e timeoutError) Error() string   { return "proxy timed out on Guid " + e.guid }
func (e timeoutError) Timeout() bool   { return true }
func (e timeoutError) Temporary() bool { return true }
func (e timeoutError) Unwrap() error   { return context.DeadlineExceeded }

// A withheld transport error keeps what callers test for.
// TestWithheldText: the marker's doc comment gives its text.
func TestWithheldText(t *testing.T) {
	assert.Equal(t, "[withheld: contained a secret]", wrapper.Withheld)
}

func TestWithheldErrorKeepsItsKind(t *testing.T) {
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) { return nil, timeoutError{r.Header.Get("Guid")} })
	c, err := wrapper.NewClient("http://gw.invalid", wrapper.WithTransport(rt))
	require.NoError(t, err)
	s, err := c.Resume(agentA, hostileGuid)
	require.NoError(t, err)
	err = s.Release(testContext(t))
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	ne, ok := errors.AsType[net.Error](err)
	require.True(t, ok)
	assert.True(t, ne.Timeout())
	_, kept := errors.AsType[timeoutError](err)
	assert.False(t, kept)
	assertNoSecret(t, shown(err), hostileGuid)
}

// Session.Withhold applies the same rule to what a caller prints.
func TestSessionWithhold(t *testing.T) {
	g := newGateway(t)
	g.reply("PUT /onlineagent/20001", okReply, "Set-GUID", "JSESSIONID="+hostileGuid, "Set-Cookie", "lb="+hostileCook+"; Path=/")
	s, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.NoError(t, err)
	assert.Equal(t, wrapper.Withheld, s.Withhold(`{"note":"`+hostileCook+`"}`))
	assert.Equal(t, wrapper.Withheld, s.Withhold(url.PathEscape(hostileGuid)))
	assert.Equal(t, `{"callid":"1-1"}`, s.Withhold(`{"callid":"1-1"}`))
}
