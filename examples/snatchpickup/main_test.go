package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// With no flags the command runs against the embedded fake and prints the
// walkthrough in the README, line for line: only the port, the call ID and
// the time taken differ between runs.
func TestEmbeddedDemo(t *testing.T) {
	code, out, errOut := runArgs(t)
	require.Equal(t, exitOK, code, "stderr: %s", errOut)
	assert.Empty(t, errOut)
	assert.NotContains(t, out, agwtest.DemoPassword)

	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(readme), "```\nFAKE GATEWAY ")
	require.True(t, ok, "the README quick start shows the output")
	block, _, _ = strings.Cut("FAKE GATEWAY "+block, "```")
	lines := func(s string) []string {
		for _, re := range []struct{ re, with string }{
			{`127\.0\.0\.1:\d+`, "127.0.0.1:PORT"}, {`\b\d+-\d+\b`, "CALLID"}, {` in [0-9.]+[µmn]?s\n`, " in TIME\n"},
		} {
			s = regexp.MustCompile(re.re).ReplaceAllString(s, re.with)
		}
		return strings.Split(strings.TrimSpace(s), "\n")
	}
	assert.Equal(t, lines(block), lines(out))
	assert.Equal(t, []string{
		"FAKE GATEWAY http://127.0.0.1:PORT: call CALLID from 13800000000 is ringing at agent 20001",
		"SIGNED IN agent 20002",
	}, lines(out)[:2])
	assert.Equal(t, []string{
		"PICKED UP call CALLID from 13800000000 to 88001 in TIME",
		"SIGNED OUT agent 20002",
	}, lines(out)[5:])
}

// countingServer fails the test if any request reaches it.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Error(w, "no", http.StatusTeapot)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestBadFlagsSendNothing(t *testing.T) {
	srv, requests := countingServer(t)
	good := []string{"-base-url", srv.URL, "-agent", "20002", "-phone", "88002", "-password", "pw", "-dest", "20001"}
	with := func(flag, value string) []string {
		args := append([]string(nil), good...)
		for i := 0; i < len(args); i += 2 {
			if args[i] == flag {
				args[i+1] = value
				return args
			}
		}
		return append(args, flag, value)
	}
	for name, tt := range map[string]struct {
		args []string
		want string
	}{
		"dest out of range":   {with("-dest", "60000"), "-dest: agentgateway: invalid agentid 60000: must be an agent ID 101-59999"},
		"agent out of range":  {with("-agent", "100"), "-agent: agentgateway: invalid agentid 100: must be an agent ID 101-59999"},
		"phone not digits":    {with("-phone", "88a02"), "invalid phonenum"},
		"password too long":   {with("-password", strings.Repeat("p", 33)), "invalid password"},
		"bad URL":             {with("-base-url", "gw:8043"), "invalid baseURL"},
		"dest missing":        {with("-dest", "0"), "missing -dest"},
		"bad timeout":         {with("-timeout", "-1s"), "-timeout must be positive"},
		"insecure with ca":    {append(with("-ca", "x.pem"), "-insecure"), "exclude each other"},
		"ca file missing":     {with("-ca", "/nonexistent.pem"), "no such file"},
		"flags without url":   {[]string{"-dest", "20001"}, "need -base-url"},
		"unknown flag":        {append(good, "-bogus"), "flag provided but not defined"},
		"stray argument":      {append(good, "extra"), "unexpected arguments"},
		"wide ids not chosen": {with("-dest", "600000"), "101-59999"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, errOut := runArgs(t, tt.args...)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut, tt.want)
			assert.NotContains(t, errOut, strings.Repeat("p", 33), "no password in output")
		})
	}
	assert.Zero(t, requests.Load(), "bad flags must not send a request")
}

func TestPickupFailureAgainstFake(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(200 * time.Millisecond))
	defer srv.Close()
	require.NoError(t, agwtest.Demo(srv.Gateway))
	// Nothing rings at 20001: the gateway refuses with 100-007.
	code, out, errOut := runArgs(t, "-base-url", srv.URL(), "-agent", "20002", "-phone", "88002",
		"-password", agwtest.DemoPassword, "-dest", "20001", "-timeout", "5s")
	require.Equal(t, exitFailed, code)
	require.Contains(t, errOut, "snatchpickup: agentgateway: SnatchPickup agent 20002: retcode 100-007 (the agent operation failed (platform resource unreachable or internal error))")
	require.Equal(t, 1, strings.Count(strings.TrimSpace(errOut), "\n")+1, "one clear line: %q", errOut)
	require.Contains(t, out, "SIGNED OUT agent 20002")
	require.Equal(t, agwtest.StateSignedOut, srv.AgentState(20002))
}

func TestPickupSuccessAgainstFake(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(200 * time.Millisecond))
	defer srv.Close()
	require.NoError(t, agwtest.Demo(srv.Gateway))
	// 20001 must be signed in to ring; sign it in through the fake's API.
	agents := agwtest.DemoAgents()
	signIn(t, srv, agents[0])
	_, err := srv.Ring(20001, "13900000000")
	require.NoError(t, err)

	t.Setenv("AGW_PASSWORD", agwtest.DemoPassword)
	code, out, errOut := runArgs(t, "-base-url", srv.URL(), "-agent", "20002", "-phone", "88002", "-dest", "20001")
	require.Equal(t, exitOK, code, errOut)
	require.Contains(t, out, "EVENT AgentOther_PhoneAlerting agent=20002")
	require.Contains(t, out, "PICKED UP call")
	require.Contains(t, out, "from 13900000000")
	require.Equal(t, 1, srv.Requests("SnatchPickup"))
	require.Equal(t, agwtest.StateSignedOut, srv.AgentState(20002), "signed out after success too")
}

func signIn(t *testing.T, srv *agwtest.Server, a agwtest.Agent) {
	t.Helper()
	body := strings.NewReader(`{"password":"` + a.Password + `","phonenum":"` + a.Phone + `"}`)
	req, err := http.NewRequest(http.MethodPut, srv.BaseURL()+"/onlineagent/20001", body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, agwtest.StateIdle, srv.AgentState(a.ID))
}

const okEnvelope = `{"message":"","retcode":"0","result":{}}`

// A sign-in the gateway answers 200 with a Guid but an unreadable body may
// have signed the agent in: the command signs it out before it exits.
func TestSignInWithUnknownOutcomeSignsOut(t *testing.T) {
	var signedOut atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/onlineagent/20002"):
			w.Header().Set("Set-GUID", "JSESSIONID=unknown-outcome.AgentGateway0")
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>signed in</html>")
		case r.Method == http.MethodDelete && strings.HasSuffix(r.URL.Path, "/onlineagent/20002/forcelogout"):
			signedOut.Store(r.Header.Get("Guid"))
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, okEnvelope)
		default:
			http.Error(w, "unexpected", http.StatusTeapot)
		}
	}))
	defer srv.Close()
	code, out, errOut := runArgs(t, "-base-url", srv.URL, "-agent", "20002", "-phone", "88002", "-password", "pw", "-dest", "20001")
	require.Equal(t, exitFailed, code)
	assert.Contains(t, errOut, "the agent may be signed in")
	assert.Contains(t, out, "SIGNED OUT agent 20002")
	assert.Equal(t, "unknown-outcome.AgentGateway0", signedOut.Load())
}

// A gateway that echoes the password, the Guid and the affinity cookie
// wherever it can: in an event, in a malformed header line, in an error
// page. None of them reaches the command's output.
func TestHostileGatewayLeaksNothing(t *testing.T) {
	const (
		guid   = "d41d8cd98f00b204e9800998ecf8427e.AgentGateway2"
		cookie = "nslb-7f3a9e0c"
		pass   = `p<&"w>d\Passw0rd`
	)
	var polls atomic.Int32
	printed := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		echo := string(body) + " " + r.Header.Get("Guid") + " " + r.Header.Get("Cookie")
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/onlineagent/20002"):
			w.Header().Set("Set-GUID", "JSESSIONID="+guid)
			w.Header().Set("Set-Cookie", "lb="+cookie+"; Path=/")
			_, _ = io.WriteString(w, okEnvelope)
		case strings.Contains(r.URL.Path, "/agentevent/"):
			switch polls.Add(1) {
			case 1: // the cookie (known to the library only), then the Guid and password
				cookieEcho, _ := json.Marshal(map[string]string{"echo": r.Header.Get("Cookie")})
				echoed, _ := json.Marshal(map[string]string{"echo": echo, "password": pass})
				_, _ = fmt.Fprintf(w, `{"retcode":"0","event":[{"eventType":"AgentOther_InService","workNo":"20002","content":%s},`+
					`{"eventType":"AgentOther_InService","workNo":"20002","content":%s}]}`, cookieEcho, echoed)
			case 2:
				close(printed) // the first reply was handled
				fallthrough
			default:
				<-r.Context().Done()
			}
		case strings.HasSuffix(r.URL.Path, "/snatchpickup"):
			select {
			case <-printed:
			case <-r.Context().Done():
			}
			conn, buf, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nX-Echo: " + echo + "\x01\r\nContent-Length: 0\r\n\r\n")
				_ = buf.Flush()
				_ = conn.Close()
			}
		default: // the sign-out
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, "<html>"+echo+"</html>")
		}
	}))
	defer srv.Close()
	code, out, errOut := runArgs(t, "-base-url", srv.URL, "-agent", "20002", "-phone", "88002", "-password", pass, "-dest", "20001")
	require.Equal(t, exitFailed, code)
	require.Equal(t, 2, strings.Count(out, "EVENT "+wrapper.Withheld), out)
	require.Contains(t, out, "SIGN-OUT FAILED agent 20002")
	for _, secret := range []string{guid, cookie, pass} {
		q, _ := json.Marshal(secret)
		for _, form := range []string{secret, string(q[1 : len(q)-1]), url.QueryEscape(secret)} {
			assert.NotContains(t, out+errOut, form)
		}
	}
}
