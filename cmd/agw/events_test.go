package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// startEvents runs agw events in the background until it has signed in
// or resumed. cancel interrupts it; wait returns its exit status once it
// has ended.
func startEvents(t *testing.T, args ...string) (stdout, stderr *syncBuffer, cancel context.CancelFunc, wait func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = newSyncBuffer(), newSyncBuffer()
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"events"}, args...), stdout, stderr) }()
	code, ended := -1, false
	wait = func() int {
		if !ended {
			select {
			case code = <-done:
				ended = true
			case <-time.After(testTimeout):
				t.Fatalf("agw events did not end; stderr:\n%s", stderr.String())
			}
		}
		return code
	}
	t.Cleanup(func() { cancel(); wait() })
	stderr.waitFor(t, "its events follow")
	return stdout, stderr, cancel, wait
}

func TestEventsPrintsACallAndSignsOut(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	stdout, stderr, cancel, wait := startEvents(t, signInArgs(f, 20001)...)
	_, err := f.Ring(20001, "13800000000")
	require.NoError(t, err)
	stdout.waitFor(t, "AgentEvent_Ringing agent=20001")
	cancel()
	require.Equal(t, exitOK, wait(), stderr.String())
	assert.Equal(t, agwtest.StateSignedOut, f.AgentState(20001), "signed out on the way out")
	assert.Equal(t, 1, f.Requests("ForceSignOut"))
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		assert.Regexp(t, `^\d\d:\d\d:\d\d\.\d{3} \S+ agent=20001 `, line)
	}
	noSecret(t, "", stdout.String(), stderr.String())
}

func TestEventsJSONLines(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	stdout, stderr, cancel, wait := startEvents(t, append(signInArgs(f, 20002), "--json")...)
	_, err := f.Ring(20002, "13800000000")
	require.NoError(t, err)
	stdout.waitFor(t, `"eventType":"AgentEvent_Ringing"`)
	cancel()
	require.Equal(t, exitOK, wait(), stderr.String())
	var types []string
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var ev eventLine
		require.NoError(t, json.Unmarshal([]byte(line), &ev), line)
		assert.NotEmpty(t, ev.Time)
		assert.Equal(t, "20002", ev.Agent)
		types = append(types, ev.EventType)
	}
	assert.Contains(t, types, "AgentEvent_Ringing")
	noSecret(t, "", stdout.String(), stderr.String())
}

// A resumed session reports the restore as a gap, and stays on.
func TestEventsResumedReportsTheGap(t *testing.T) {
	f := newFake(t)
	guid, err := f.SignIn(20003)
	require.NoError(t, err)
	t.Setenv("AGW_GUID", guid)
	stdout, stderr, cancel, wait := startEvents(t, "-base-url", f.URL, "-agent", "20003")
	stdout.waitFor(t, "GAP agent=20003 reason=restored")
	cancel()
	require.Equal(t, exitOK, wait(), stderr.String())
	assert.NotEqual(t, agwtest.StateSignedOut, f.AgentState(20003), "a resumed session stays on")
	assert.Zero(t, f.Requests("ForceSignOut"))
	noSecret(t, guid, stdout.String(), stderr.String())
}

// The session ending at the gateway ends the command.
func TestEventsEndWithTheSession(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	stdout, stderr, _, wait := startEvents(t, signInArgs(f, 20004)...)
	require.NoError(t, f.SignOut(20004)) // a test hook: signed out elsewhere
	assert.Equal(t, exitFailed, wait(), stderr.String())
	assert.Contains(t, stderr.String(), "100-006")
	assert.Zero(t, f.Requests("ForceSignOut"), "no sign-out of an ended session")
	noSecret(t, "", stdout.String(), stderr.String())
}

func TestEventsBadFlags(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	for _, args := range [][]string{
		{"-base-url", f.URL},                   // no agent
		{"-agent", "20001", "-phone", "88001"}, // no base URL
		{"-base-url", f.URL, "-agent", "5", "-phone", "88001"},
		{"-base-url", f.URL, "-agent", "20001"}, // no phone
		{"-base-url", f.URL, "-agent", "20001", "-phone", "88001", "extra"},
	} {
		code, _, errOut := agw(t, append([]string{"events"}, args...)...)
		assert.Equal(t, exitUsage, code, "%q: %s", args, errOut)
	}
	assert.Zero(t, f.requests.Load())
}
