package wrapper_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestSignInSendsBodyAndTakesGuid(t *testing.T) {
	g := newGateway(t)
	var body map[string]any
	g.handle("PUT /onlineagent/20001", func(w http.ResponseWriter, r *http.Request) {
		assert.Empty(t, r.Header.Get("Guid"), "sign-in sends no Guid")
		assert.Equal(t, "application/json; charset=UTF-8", r.Header.Get("Content-Type"))
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		w.Header().Set("Set-GUID", "JSESSIONID="+testGuid)
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, `{"message":"","retcode":"0","result":{"vdnid":1}}`)
	})
	s, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass, ManualAnswer: true})
	require.NoError(t, err)
	require.Equal(t, map[string]any{"password": testPass, "phonenum": testPhone, "autoanswer": false}, body)
	require.Equal(t, testGuid, s.Guid(), "JSESSIONID= stripped")
	require.Equal(t, agentA, s.AgentID())

	g.reply("PUT /voicecall/20001/snatchpickup", okReply)
	require.NoError(t, s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: agentB}))
	req := g.last()
	require.Equal(t, testGuid, req.Header.Get("Guid"))
	require.Equal(t, "application/json; charset=UTF-8", req.Header.Get("Content-Type"))
	require.Equal(t, http.MethodPut, req.Method)
	require.Equal(t, base+"/voicecall/20001/snatchpickup", req.URL.Path)
	require.Equal(t, "destWorkNo=20002", req.URL.RawQuery)
	require.Zero(t, req.ContentLength, "snatchpickup has no body")
}

func TestSetGUIDForms(t *testing.T) {
	for header, want := range map[string]string{
		"JSESSIONID=abc.AgentGateway1":           "abc.AgentGateway1",
		"  JSESSIONID = abc.AgentGateway1 ":      "abc.AgentGateway1",
		"jsessionid=abc.AgentGateway1; Path=/":   "abc.AgentGateway1",
		"abc.AgentGateway1":                      "abc.AgentGateway1",
		"JSESSIONID=abc.AgentGateway1;HttpOnly;": "abc.AgentGateway1",
	} {
		t.Run(header, func(t *testing.T) {
			g := newGateway(t)
			g.reply("PUT /onlineagent/20001", okReply, "Set-GUID", header)
			s, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
			require.NoError(t, err)
			require.Equal(t, want, s.Guid())
		})
	}
}

// The Guid a poll reply rotates (dynamic authentication) is the one the
// next call sends.
func TestGuidRotationOnPollIsUsedNext(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	const rotated = "new-guid.AgentGateway1"
	g.reply("GET /agentevent/20001", `{"message":"","retcode":"0","event":{"eventType":"AgentOther_InService","workNo":"20001","content":null}}`,
		"Set-GUID", "JSESSIONID="+rotated)
	g.reply("PUT /voicecall/20001/snatchpickup", okReply)

	ctx := testContext(t)
	stop := fmt.Errorf("stop")
	err := s.Poll(ctx, func(wrapper.Event) error { return stop }, wrapper.PollOptions{})
	require.ErrorIs(t, err, stop)
	require.Equal(t, testGuid, g.last().Header.Get("Guid"), "the poll itself used the old Guid")
	require.Equal(t, rotated, s.Guid())

	require.NoError(t, s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB}))
	require.Equal(t, rotated, g.last().Header.Get("Guid"))
}

func TestCookiesAreReplayedPerSession(t *testing.T) {
	g := newGateway(t)
	g.reply("PUT /onlineagent/20001", okReply, "Set-GUID", "JSESSIONID="+testGuid, "Set-Cookie", "loadbalance=node7; Path=/")
	g.reply("PUT /onlineagent/20002", okReply, "Set-GUID", "JSESSIONID=other")
	g.reply("PUT /voicecall/20001/snatchpickup", okReply)
	g.reply("PUT /voicecall/20002/snatchpickup", okReply)
	c := g.client()
	ctx := testContext(t)
	a, err := c.SignIn(ctx, agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.NoError(t, err)
	b, err := c.SignIn(ctx, agentB, wrapper.SignInOptions{Phone: "88002", Password: testPass})
	require.NoError(t, err)

	require.NoError(t, a.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB}))
	cookie, err := g.last().Cookie("loadbalance")
	require.NoError(t, err)
	require.Equal(t, "node7", cookie.Value)

	require.NoError(t, b.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentA}))
	_, err = g.last().Cookie("loadbalance")
	require.ErrorIs(t, err, http.ErrNoCookie, "another agent's affinity cookie is not shared")
}

func TestForceSignIn(t *testing.T) {
	ctx := testContext(t)
	opts := wrapper.SignInOptions{Phone: testPhone, Password: testPass}

	t.Run("not without asking", func(t *testing.T) {
		g := newGateway(t)
		g.reply("PUT /onlineagent/20001", `{"message":"","retcode":"100-002","result":""}`)
		_, err := g.client().SignIn(ctx, agentA, opts)
		require.ErrorIs(t, err, wrapper.ErrAlreadySignedIn)
		require.Equal(t, 1, g.count())
	})
	t.Run("on 100-002 when asked", func(t *testing.T) {
		g := newGateway(t)
		g.reply("PUT /onlineagent/20001", `{"message":"","retcode":"100-002","result":""}`)
		g.reply("PUT /onlineagent/20001/forcelogin", okReply, "Set-GUID", "JSESSIONID="+testGuid)
		o := opts
		o.ForceIfSignedIn = true
		s, err := g.client().SignIn(ctx, agentA, o)
		require.NoError(t, err)
		require.Equal(t, testGuid, s.Guid())
		require.Equal(t, 2, g.count())
	})
	t.Run("not on other failures", func(t *testing.T) {
		g := newGateway(t)
		g.reply("PUT /onlineagent/20001", `{"message":"","retcode":"100-004","result":""}`)
		o := opts
		o.ForceIfSignedIn = true
		_, err := g.client().SignIn(ctx, agentA, o)
		require.ErrorIs(t, err, wrapper.ErrBadCredentials)
		require.Equal(t, 1, g.count())
	})
	t.Run("directly", func(t *testing.T) {
		g := newGateway(t)
		g.reply("PUT /onlineagent/20001/forcelogin", `{"message":"","retcode":"100-015","result":""}`)
		o := opts
		o.Force = true
		_, err := g.client().SignIn(ctx, agentA, o)
		require.ErrorIs(t, err, wrapper.ErrForceSignInDisabled)
	})
}

func TestSignOutAndRefreshGuid(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	ctx := testContext(t)
	g.reply("PUT /onlineagent/20001/updateGuid", `{"message":"","retcode":"0","result":{"guid":"refreshed.AgentGateway0"}}`)
	require.NoError(t, s.UpdateGuid(ctx))
	require.Equal(t, "refreshed.AgentGateway0", s.Guid())

	var sawGuid atomic.Value
	g.handle("DELETE /onlineagent/20001/logout", func(w http.ResponseWriter, r *http.Request) {
		sawGuid.Store(r.Header.Get("Guid"))
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
	})
	require.NoError(t, s.SignOut(ctx))
	require.Equal(t, "refreshed.AgentGateway0", sawGuid.Load())
}

// TestSecretsNeverLeak prints, logs and fails in every way a caller might and
// checks that no Guid, password or cookie value shows.
func TestSecretsNeverLeak(t *testing.T) {
	const cookie = "affinity-cookie-value"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	g := newGateway(t)
	g.reply("PUT /onlineagent/20001", okReply, "Set-GUID", "JSESSIONID="+testGuid, "Set-Cookie", "lb="+cookie)
	// Replies that echo the Guid, as a misbehaving proxy might.
	g.reply("PUT /voicecall/20001/snatchpickup", `{"message":"bad guid `+testGuid+`","retcode":"100-006","result":""}`)
	g.handle("DELETE /voicecall/20001/release", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = io.WriteString(w, "<html>upstream said Guid="+r.Header.Get("Guid")+"</html>")
	})

	opts := wrapper.SignInOptions{Phone: testPhone, Password: testPass}
	c := g.client(wrapper.WithLogger(logger))
	ctx := testContext(t)
	s, err := c.SignIn(ctx, agentA, opts)
	require.NoError(t, err)
	err1 := s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB})
	require.ErrorIs(t, err1, wrapper.ErrNotSignedIn)
	err2 := s.Release(ctx)
	require.ErrorIs(t, err2, wrapper.ErrBadReply)

	logger.Info("values", "session", s, "opts", opts, "err", err1)
	var printed bytes.Buffer
	// reflect.Value prints the Session struct itself, as a careless %v of a
	// copied Session would.
	for _, v := range []any{s, reflect.ValueOf(s).Elem(), opts, &opts, err1, err2, c} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			fmt.Fprintf(&printed, verb+"\n", v)
		}
	}
	js, err := json.Marshal(opts)
	require.NoError(t, err)
	printed.Write(js)

	var apiErr *wrapper.APIError
	require.ErrorAs(t, err1, &apiErr)
	var replyErr *wrapper.ReplyError
	require.ErrorAs(t, err2, &replyErr)
	for name, out := range map[string]string{
		"logs": logs.String(), "printed": printed.String(),
		"APIError.Body": string(apiErr.Body), "APIError.Message": apiErr.Message, "ReplyError.Body": string(replyErr.Body),
	} {
		for _, secret := range []string{testGuid, testPass, cookie, fmt.Sprintf("%x", testGuid), fmt.Sprintf("%x", testPass)} {
			assert.NotContains(t, out, secret, "%s leaks a secret", name)
		}
	}
	assert.Contains(t, logs.String(), "op=SnatchPickup", "calls are logged")
	assert.Contains(t, logs.String(), "retcode=100-006")
	assert.Equal(t, wrapper.Withheld, string(apiErr.Body))
}

// A reply that rotates the Guid and echoes both the old and the new one
// keeps neither in the error.
func TestRotatingReplyScrubsBothGuids(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	const rotated = "rotated-guid.AgentGateway1"
	g.reply("DELETE /voicecall/20001/release",
		`{"message":"old `+testGuid+` new `+rotated+`","retcode":"100-007","result":""}`,
		"Set-GUID", "JSESSIONID="+rotated)
	err := s.Release(testContext(t))
	var apiErr *wrapper.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, rotated, s.Guid())
	for _, out := range []string{err.Error(), apiErr.Message, string(apiErr.Body)} {
		require.NotContains(t, out, testGuid)
		require.NotContains(t, out, rotated)
	}
}

// A proxy that echoes the sign-in body (as some WAF error pages do) must
// not put the password or the service token into the error.
func TestSignInErrorsKeepCredentialsOut(t *testing.T) {
	for _, tc := range []struct {
		name, contentType string
		status            int
		reply             func(body string) string
	}{
		{"HTML page", "text/html", http.StatusBadGateway, func(body string) string { return "<html>blocked request: " + body + "</html>" }},
		{"envelope message", jsonUTF8, http.StatusOK, func(body string) string {
			return `{"retcode":"000-002","message":` + strconv.Quote("bad body "+body) + `,"result":""}`
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGateway(t)
			g.handle("PUT /onlineagent/20001", func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				w.Header().Set("Content-Type", tc.contentType)
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.reply(string(body)))
			})
			const token = "pushT0ken42"
			_, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass,
				PushURL: "https://desk.example/cb", ServiceToken: token})
			require.Error(t, err)
			var shown strings.Builder
			fmt.Fprintf(&shown, "%v %+v", err, err)
			if ae, ok := errors.AsType[*wrapper.APIError](err); ok {
				shown.Write(ae.Body)
				shown.WriteString(ae.Message)
			}
			if re, ok := errors.AsType[*wrapper.ReplyError](err); ok {
				shown.Write(re.Body)
			}
			assert.Contains(t, shown.String(), wrapper.Withheld, "the echo is there, withheld")
			assert.NotContains(t, shown.String(), testPass)
			assert.NotContains(t, shown.String(), token)
		})
	}
}
