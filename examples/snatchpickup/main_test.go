package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func runArgs(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestEmbeddedDemo(t *testing.T) {
	code, out, errOut := runArgs(t)
	require.Equal(t, exitOK, code, "stderr: %s", errOut)
	// The picker's timeline, in the order the vendor documents.
	var picker []string
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "EVENT" && f[2] == "agent=20002" {
			picker = append(picker, f[1])
		}
	}
	require.Equal(t, []string{
		"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Talking",
		"AgentEvent_Incoming_CallInfo", "AgentMediaEvent_Record", "AgentOther_PhoneRelease",
	}, picker)
	assert.Contains(t, out, "SUMMARY agent 20002 picked up call")
	assert.Contains(t, out, "SIGNED OUT agent 20002")
	assert.Contains(t, out, "SIGNED OUT agent 20001")
	assert.NotContains(t, out, agwtest.DemoPassword)
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
		"dest out of range":   {with("-dest", "60000"), "-dest 60000: must be an agent ID 101-59999"},
		"agent out of range":  {with("-agent", "100"), "-agent 100: must be an agent ID 101-59999"},
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
	require.Contains(t, errOut, "SnatchPickup refused: retcode 100-007, agent operation failed")
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
