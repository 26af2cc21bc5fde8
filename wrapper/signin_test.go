package wrapper_test

import (
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// A 2xx sign-in whose outcome SignIn cannot confirm returns a
// *SignInError; when the reply set a Guid, its Session signs the agent out.
func TestSignInWithUnknownOutcome(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reply   func(w http.ResponseWriter)
		session bool
	}{
		{"Set-GUID, truncated JSON", func(w http.ResponseWriter) {
			w.Header().Set("Set-GUID", "JSESSIONID="+testGuid)
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, `{"message":"","retc`)
		}, true},
		{"Set-GUID, HTML page", func(w http.ResponseWriter) {
			w.Header().Set("Set-GUID", "JSESSIONID="+testGuid)
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>welcome</html>")
		}, true},
		{"Set-GUID, body cut", func(w http.ResponseWriter) {
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nSet-GUID: JSESSIONID=" + testGuid +
					"\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"message\":\"")
				_ = buf.Flush()
				_ = conn.Close()
			}
		}, true},
		{"retcode 0, no Set-GUID", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, okReply)
		}, false},
		{"retcode 0, empty Set-GUID", func(w http.ResponseWriter) {
			w.Header().Set("Set-GUID", "JSESSIONID=")
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, okReply)
		}, false},
		{"retcode 0, unusable Set-GUID", func(w http.ResponseWriter) {
			w.Header().Set("Set-GUID", "JSESSIONID=two words")
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, okReply)
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGateway(t)
			g.handle("PUT /onlineagent/20001", func(w http.ResponseWriter, _ *http.Request) { tc.reply(w) })
			g.reply("DELETE /onlineagent/20001/forcelogout", okReply)
			s, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
			require.Nil(t, s, "no session without a confirmed sign-in")
			sie, ok := errors.AsType[*wrapper.SignInError](err)
			require.True(t, ok, "%v", err)
			assert.Contains(t, err.Error(), "the agent may be signed in")
			if !tc.session {
				require.Nil(t, sie.Session)
				assert.ErrorIs(t, err, wrapper.ErrBadReply)
				return
			}
			require.NotNil(t, sie.Session)
			require.NoError(t, sie.Session.ForceSignOut(testContext(t)))
			assert.Equal(t, testGuid, g.last().Header.Get("Guid"), "the sign-out carries the Guid the reply set")
		})
	}
}

// A refusal, or a reply that is not 2xx, is the plain error: no session
// was made.
func TestSignInRefusalIsNotUnknown(t *testing.T) {
	for name, reply := range map[string]func(w http.ResponseWriter){
		"100-004 with Set-GUID": func(w http.ResponseWriter) {
			w.Header().Set("Set-GUID", "JSESSIONID="+testGuid)
			w.Header().Set("Content-Type", jsonUTF8)
			_, _ = io.WriteString(w, `{"message":"","retcode":"100-004"}`)
		},
		"503 page": func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusServiceUnavailable)
		},
	} {
		t.Run(name, func(t *testing.T) {
			g := newGateway(t)
			g.handle("PUT /onlineagent/20001", func(w http.ResponseWriter, _ *http.Request) { reply(w) })
			_, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
			require.Error(t, err)
			_, unknown := errors.AsType[*wrapper.SignInError](err)
			assert.False(t, unknown)
		})
	}
}
