package wrapper_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// escapeEach escapes every byte of s with format (%%%02x, \\u%04x): a
// peer's encoder may escape what the client did not.
func escapeEach(s, format string) string {
	var b strings.Builder
	for i := range len(s) {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// tokenEchoes are header lines a proxy could echo the push service token
// in, alone or with other text, each made malformed by a control byte so
// that net/http quotes the line in its error.
var tokenEchoes = map[string]func(token string) string{
	"alone":           func(tok string) string { return tok },
	"with text":       func(tok string) string { return "service_token=" + tok + "; rejected" },
	"percent-escaped": func(tok string) string { return "t=" + escapeEach(tok, "%%%02x") },
	"JSON-escaped":    func(tok string) string { return `{"t":"` + escapeEach(tok, `\u%04x`) + `"}` },
}

// echoTokenServer signs agent 20001 in with a Guid, then answers every
// other request with a malformed header line holding only what echo makes
// of the request's service_token.
func echoTokenServer(t *testing.T, echo func(string) string) *rawServer {
	return newRawServer(t, func(c net.Conn, br *bufio.Reader) {
		for {
			r, ok := readRequest(br)
			if !ok {
				return
			}
			if r.URL.Path == base+"/onlineagent/20001" && r.Method == http.MethodPut {
				writeReply(c, "Set-GUID: JSESSIONID="+hostileGuid+"\r\n", okReply)
				continue
			}
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nX-Echo: "+echo(r.Header.Get("service_token"))+"\x01\r\nContent-Length: 0\r\n\r\n")
			return
		}
	})
}

// The push service token is a secret as the Guid is: a proxy that echoes
// it alone in a malformed header line, which net/http quotes in its error,
// shows it in no error of Handshake or KeepAlive and in no debug log line.
func TestMalformedHeaderEchoOfTokenIsWithheld(t *testing.T) {
	for name, echo := range tokenEchoes {
		t.Run(name, func(t *testing.T) {
			logger, logs := debugLogger()
			c, err := wrapper.NewClient(echoTokenServer(t, echo).URL(), wrapper.WithLogger(logger))
			require.NoError(t, err)
			ctx := testContext(t)
			s, err := c.SignIn(ctx, agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass,
				PushURL: "https://desk.example/cb", ServiceToken: hostileToken})
			require.NoError(t, err)

			// One session knows the token from its sign-in, one only from the call.
			resumed, err := c.Resume(agentA, hostileGuid)
			require.NoError(t, err)
			var errs []error
			for _, s := range []*wrapper.Session{s, resumed} {
				errs = append(errs, s.Handshake(ctx, &generated.HandshakeParams{ServiceToken: ptr(hostileToken)}))
				kaCtx, cancel := context.WithCancel(ctx)
				var kaErr error
				_ = s.KeepAlive(kaCtx, hostileToken, time.Millisecond, func(err error) { kaErr = err; cancel() })
				cancel()
				errs = append(errs, kaErr)
			}
			for _, err := range errs {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "transport error "+wrapper.Withheld)
				assertNoSecret(t, shown(err), hostileToken, hostileGuid)
			}
			assert.Contains(t, logs.String(), "Handshake", "the calls were logged")
			assertNoSecret(t, logs.String(), hostileToken, hostileGuid)
		})
	}
}

// A session signed in with a token withholds it from every call's errors,
// as it does the Guid, and from what Withhold is given.
func TestSignedInTokenIsWithheld(t *testing.T) {
	g := newGateway(t)
	g.reply("PUT /onlineagent/20001", okReply, "Set-GUID", "JSESSIONID="+testGuid)
	g.reply("PUT /voicecall/20001/snatchpickup", `{"message":"token `+hostileToken+` expired","retcode":"`+generated.RetCodeOperationFailed+`","result":""}`)
	logger, logs := debugLogger()
	ctx := testContext(t)
	s, err := g.client(wrapper.WithLogger(logger)).SignIn(ctx, agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass,
		PushURL: "https://desk.example/cb", ServiceToken: hostileToken})
	require.NoError(t, err)
	err = s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB})
	ae, ok := errors.AsType[*wrapper.APIError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, generated.RetCodeOperationFailed, ae.RetCode)
	assert.Equal(t, wrapper.Withheld, ae.Message)
	assert.Equal(t, wrapper.Withheld, s.Withhold(`{"t":"`+hostileToken+`"}`))
	assertNoSecret(t, shown(err)+logs.String(), hostileToken)
}
