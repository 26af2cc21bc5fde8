package fakeserve

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestParseFlags(t *testing.T) {
	o, err := ParseFlags("fakegateway", nil, io.Discard)
	require.NoError(t, err)
	want := Options{Addr: "127.0.0.1:8043", GuidEvery: 10, Seed: "demo", PollWait: 10 * time.Second, Idle: 2 * time.Minute}
	assert.Equal(t, want, o, "defaults")

	o, err = ParseFlags("fakegateway", []string{"-addr", "[::1]:0", "-dynamic-guid", "-guid-every", "3", "-seed", "none", "-poll-wait", "250ms", "-idle-signout", "0"}, io.Discard)
	require.NoError(t, err)
	want = Options{Addr: "[::1]:0", Dynamic: true, GuidEvery: 3, Seed: "none", PollWait: 250 * time.Millisecond}
	assert.Equal(t, want, o, "parsed")
	o, err = ParseFlags("fakegateway", []string{"-addr", "localhost:9"}, io.Discard)
	if assert.NoError(t, err, "localhost refused") {
		assert.Equal(t, "localhost:9", o.Addr)
	}

	for _, args := range [][]string{
		{"-seed", "everyone"},
		{"-addr", "0.0.0.0:8043"},
		{"-addr", ":8043"},
		{"-addr", "192.0.2.1:8043"},
		{"-addr", "127.0.0.1"},
		{"-guid-every", "0"},
		{"-poll-wait", "-1s"},
		{"-poll-wait", "soon"},
		{"-idle-signout", "-1m"},
		{"-nope"},
		{"extra"},
	} {
		_, err := ParseFlags("fakegateway", args, io.Discard)
		assert.Error(t, err, "ParseFlags(%q) accepted", args)
	}
	_, err = ParseFlags("fakegateway", []string{"-h"}, io.Discard)
	assert.ErrorIs(t, err, flag.ErrHelp, "-h")
}

// syncBuffer collects the log written by the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRun starts the command on a free loopback port, signs a demo agent
// in, leaves a poll waiting and shuts down: the poll must end and run
// must return cleanly.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout bytes.Buffer
	var logs syncBuffer
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	pollArrived := make(chan struct{}, 1)
	h := Hooks{
		Ready: func(a net.Addr) { addrs <- a },
		Wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if strings.Contains(r.URL.Path, "/agentevent/") {
					pollArrived <- struct{}{}
				}
				next.ServeHTTP(w, r)
			})
		},
	}
	o := Options{Addr: "127.0.0.1:0", Dynamic: true, GuidEvery: 1, Seed: "demo", PollWait: time.Hour}
	go func() { done <- Run(ctx, o, &stdout, slog.New(slog.NewTextHandler(&logs, nil)), h) }()
	base := awaitServing(t, addrs, done) + "/agentgateway/resource"

	body := `{"password":"` + agwtest.DemoPassword + `","phonenum":"88001"}`
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPut, base+"/onlineagent/20001", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	guid, ok := strings.CutPrefix(res.Header.Get("Set-GUID"), "JSESSIONID=")
	require.True(t, ok, "sign-in answered HTTP %d without a Guid", res.StatusCode)

	// A poll with nothing queued waits for the hour, unless shutdown ends it.
	polled := make(chan string, 1)
	go func() {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/agentevent/20001", nil)
		req.Header.Set("Guid", guid)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			polled <- err.Error()
			return
		}
		defer res.Body.Close()
		var env struct{ Retcode string }
		if err := json.NewDecoder(res.Body).Decode(&env); err != nil {
			polled <- err.Error()
			return
		}
		polled <- env.Retcode
	}()
	<-pollArrived
	cancel()
	require.NoError(t, <-done, "run")
	assert.Equal(t, "0", <-polled, "poll pending at shutdown must get an empty reply")

	out := stdout.String()
	for _, want := range []string{"http://127.0.0.1:", "20001 (phone 88001)", "20005 (phone 88005)", "dynamic Guid",
		`password "` + agwtest.DemoPassword + `"`, "/agwtest/ring?agent=20002"} {
		assert.Contains(t, out, want, "banner")
	}
	log := logs.String()
	for _, want := range []string{"op=SignIn", "op=PollEvent", "msg=stopped"} {
		assert.Contains(t, log, want, "log")
	}
	assert.NotContains(t, log, guid, "log leaks the Guid")
	assert.NotContains(t, log, agwtest.DemoPassword, "log leaks the password")
}

func TestRunRefusesBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	o := Options{Addr: ln.Addr().String(), GuidEvery: 1, Seed: "none", PollWait: time.Second}
	require.Error(t, Run(t.Context(), o, io.Discard, slog.New(slog.DiscardHandler), Hooks{}), "run served on a port already in use")
}

// awaitServing returns the root URL once run serves, failing if it ends
// first.
func awaitServing(t *testing.T, addrs <-chan net.Addr, done <-chan error) string {
	t.Helper()
	select {
	case a := <-addrs:
		return "http://" + a.String()
	case err := <-done:
		require.FailNow(t, "run ended before serving", "%v", err)
	}
	return ""
}

// TestRunServesControlHooks drives the standalone server the way its
// banner suggests: sign the ringing agent in and ring it through the test
// hooks, then pick the call up with the wrapper.
func TestRunServesControlHooks(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	var logs syncBuffer
	o := Options{Addr: "127.0.0.1:0", GuidEvery: 1, Seed: "demo", PollWait: 50 * time.Millisecond, Idle: 2 * time.Minute}
	go func() {
		done <- Run(ctx, o, io.Discard, slog.New(slog.NewTextHandler(&logs, nil)), Hooks{Ready: func(a net.Addr) { addrs <- a }})
	}()
	root := awaitServing(t, addrs, done)
	defer func() {
		cancel()
		assert.NoError(t, <-done, "run")
	}()

	hook := func(path string) map[string]string {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, root+path, nil)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		var out map[string]string
		require.NoError(t, json.NewDecoder(res.Body).Decode(&out), "POST %s: HTTP %d", path, res.StatusCode)
		require.Equal(t, http.StatusOK, res.StatusCode, "POST %s: %v", path, out)
		return out
	}
	guid := hook("/agwtest/signin?agent=20002")["guid"]
	callID := hook("/agwtest/ring?agent=20002")["callid"]

	c, err := wrapper.NewClient(root, wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	s, err := c.SignIn(t.Context(), 20001, wrapper.SignInOptions{Phone: "88001", Password: agwtest.DemoPassword})
	require.NoError(t, err)
	pollCtx, stopPoll := context.WithCancel(t.Context())
	polled, err := s.PollInBackground(pollCtx, func(wrapper.Event) error { return nil }, wrapper.PollOptions{})
	require.NoError(t, err)
	call, err := s.PickUp(t.Context(), 20002)
	stopPoll()
	<-polled
	require.NoError(t, err, "PickUp")
	assert.Equal(t, callID, call.CallID, "picked up call must be the one the hook rang")
	assert.NoError(t, s.ForceSignOut(t.Context()))

	log := logs.String()
	assert.Contains(t, log, "msg=control method=POST path=/agwtest/ring query=\"agent=20002\"", "control requests are not logged")
	assert.NotContains(t, log, guid, "log leaks the Guid the signin hook answered")
}
