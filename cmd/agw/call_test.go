package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/openapi"
)

func TestCallListsEveryOperation(t *testing.T) {
	spec, err := openapi.Load()
	require.NoError(t, err)
	var want []string
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			want = append(want, op.OperationID)
		}
	}
	code, out, _ := agw(t, "call", "--list")
	require.Equal(t, exitOK, code)
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		name, summary, _ := strings.Cut(line, " ")
		assert.NotEmpty(t, strings.TrimSpace(summary), "%s has no summary", name)
		got = append(got, name)
	}
	sort.Strings(want)
	sort.Strings(got)
	assert.Equal(t, want, got)
}

// Every operation's flags register and its help prints.
func TestCallHelpOfEveryOperation(t *testing.T) {
	for _, op := range operations {
		code, out, _ := agw(t, "call", op.Name, "-h")
		require.Equal(t, exitOK, code, op.Name)
		require.Contains(t, out, "usage: agw call "+op.Name, op.Name)
		for _, f := range op.Flags {
			require.Contains(t, out, "  -"+f.Name+" ", op.Name)
		}
	}
	_, out, _ := agw(t, "call", "SnatchPickup", "--help")
	assert.Contains(t, out, "-destWorkNo int (required)")
	_, out, _ = agw(t, "call", "Rest", "-h")
	assert.Contains(t, out, "-prolong bool")
}

func TestCallSayBusy(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	code, out, errOut := agw(t, append([]string{"call", "SayBusy"}, signInArgs(f, 20001)...)...)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "{}\n", out)
	assert.Empty(t, errOut)
	assert.Equal(t, 1, f.Requests("SayBusy"))
	assert.Equal(t, agwtest.StateSignedOut, f.AgentState(20001), "signed out at the end")
	noSecret(t, "", out, errOut)
}

func TestCallPrintsTheResult(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	code, out, errOut := agw(t, append([]string{"call", "GetAgentStatus"}, signInArgs(f, 20001)...)...)
	require.Equal(t, exitOK, code, errOut)
	var st struct{ AgentState int }
	require.NoError(t, json.Unmarshal([]byte(out), &st), out)
	assert.Equal(t, 4, st.AgentState, "idle")
}

func TestCallRefusedByTheGateway(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	// Agent 20002 is not signed in, so nothing rings there.
	code, out, errOut := agw(t, append([]string{"call", "SnatchPickup", "-destWorkNo", "20002"}, signInArgs(f, 20001)...)...)
	assert.Equal(t, exitFailed, code)
	assert.Empty(t, out)
	assert.Regexp(t, `^agw call SnatchPickup: .*retcode 100-007 \(.+\)`, errOut)
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
	assert.Equal(t, agwtest.StateSignedOut, f.AgentState(20001), "signed out after the failure")
	noSecret(t, "", out, errOut)
}

func TestCallBadInputSendsNothing(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	dir := t.TempDir()
	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"not an integer":  {[]string{"SnatchPickup", "-destWorkNo", "x"}, "not an integer"},
		"out of bounds":   {[]string{"SnatchPickup", "-destWorkNo", "5"}, "invalid destWorkNo 5"},
		"missing":         {[]string{"SnatchPickup"}, "missing -destWorkNo"},
		"unknown flag":    {[]string{"SayBusy", "-nope", "1"}, "flag provided but not defined: -nope"},
		"stray argument":  {[]string{"SayBusy", "now"}, "unexpected arguments: now"},
		"unknown op":      {[]string{"Nope"}, `unknown operation "Nope"`},
		"enum":            {[]string{"PlayVoiceToConf", "-playMode", "3", "-playType", "0", "-voicePath", "x"}, "invalid playMode"},
		"inline secret":   {[]string{"Handshake", "-service_token", "tok123"}, "-service_token is a secret"},
		"body not JSON":   {[]string{"AdjustSkill", "-workNo", "20001", "-body", "[1"}, "not a JSON object"},
		"body bad field":  {[]string{"AdjustSkill", "-workNo", "20001", "-body", `{"skills":[1],"nope":1}`}, `unknown field "nope"`},
		"body wrong type": {[]string{"AdjustSkill", "-body", `{"skills":"1","workNo":"20001"}`}, "-body"},
		"no guid file":    {[]string{"SignIn"}, "missing -guid-file"},
		"guid file taken": {[]string{"SignIn", "-guid-file", dir}, "-guid-file"},
		"no password":     {[]string{"SayBusy", "-password-file", filepath.Join(dir, "none")}, "-password-file"},
	} {
		t.Run(name, func(t *testing.T) {
			args := append(append([]string{"call"}, tc.args...), signInArgs(f, 20001)...)
			code, out, errOut := agw(t, args...)
			assert.Equal(t, exitUsage, code)
			assert.Contains(t, errOut, tc.want)
			assert.NotContains(t, errOut, "tok123")
			assert.Empty(t, out)
			assert.Zero(t, f.requests.Load(), "a request reached the gateway")
		})
	}
	code, _, errOut := agw(t, "call", "SayBusy", "-agent", "20001")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "missing -base-url")
	assert.Zero(t, f.requests.Load())
}

// A query parameter: agent 20001 picks up the call ringing at 20002.
func TestCallSnatchPickup(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	_, err := f.SignIn(20002) // a test hook: the desk of the ringing agent
	require.NoError(t, err)
	callID, err := f.Ring(20002, "13800000000")
	require.NoError(t, err)
	code, out, errOut := agw(t, append([]string{"call", "SnatchPickup", "-destWorkNo", "20002"}, signInArgs(f, 20001)...)...)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "{}\n", out)
	assert.Equal(t, 1, f.Requests("SnatchPickup"))
	_, ringing := f.Call(callID)
	assert.False(t, ringing, "the force sign-out released the picked-up call")
}

// A body from flags: Callout prints the call ID it returns.
func TestCallBodyFromFlags(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	code, out, errOut := agw(t, append([]string{"call", "Callout", "-called", "13800000001"}, signInArgs(f, 20001)...)...)
	require.Equal(t, exitOK, code, errOut)
	var callID string
	require.NoError(t, json.Unmarshal([]byte(out), &callID), out)
	assert.NotEmpty(t, callID)
	assert.Equal(t, 1, f.Requests("Callout"))
}

// A body with nested content: -body gives it, a flag sets a field on top.
func TestCallBodyFromJSON(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	_, err := f.SignIn(20001) // a test hook: the inspected agent's desk
	require.NoError(t, err)
	body := filepath.Join(t.TempDir(), "body.json")
	require.NoError(t, os.WriteFile(body, []byte(`{"skills":[1],"workNo":"1"}`), 0o600))
	args := append([]string{"call", "AdjustSkill", "-body", "@" + body, "-workNo", "20001"}, signInArgs(f, agwtest.DemoInspector().ID)...)
	code, out, errOut := agw(t, args...)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "{}\n", out)
	assert.Equal(t, 1, f.Requests("AdjustSkill"))
}

// SignIn writes the Guid to a new 0600 file and leaves the session on;
// later calls resume it with -guid @file and leave it on; ForceSignOut
// ends it. No output holds the Guid.
func TestCallSignInResumeSignOut(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	file := filepath.Join(t.TempDir(), "guid")
	var outputs []string
	code, out, errOut := agw(t, append([]string{"call", "SignIn", "-guid-file", file}, signInArgs(f, 20003)...)...)
	outputs = append(outputs, out, errOut)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, "{}\n", out)
	st, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	guid, ok := f.Guid(20003)
	require.True(t, ok)
	saved, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, guid, strings.TrimSpace(string(saved)))

	resume := []string{"-base-url", f.URL, "-agent", "20003", "-guid", "@" + file}
	code, out, errOut = agw(t, append([]string{"call", "SayBusy"}, resume...)...)
	outputs = append(outputs, out, errOut)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, agwtest.StateBusy, f.AgentState(20003), "the resumed session stays on")

	t.Setenv("AGW_GUID", guid)
	code, out, errOut = agw(t, "call", "ForceSignOut", "-base-url", f.URL, "-agent", "20003")
	outputs = append(outputs, out, errOut)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, agwtest.StateSignedOut, f.AgentState(20003))
	assert.Equal(t, 1, f.Requests("ForceSignOut"), "no second sign-out")

	code, out, errOut = agw(t, "call", "GetAgentStatus", "-base-url", f.URL, "-agent", "20003")
	outputs = append(outputs, out, errOut)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errOut, "100-006")
	noSecret(t, guid, outputs...)
}

// An operation of the client needs no sign-in.
func TestCallClientOperation(t *testing.T) {
	f := newFake(t)
	code, out, errOut := agw(t, "call", "PollAllAgentEvents", "-base-url", f.URL)
	assert.Equal(t, exitFailed, code, out)
	assert.Contains(t, errOut, "retcode 000-003")
	assert.Zero(t, f.Requests("SignIn"))
}

// A Guid the gateway rotates while resumed goes back to its file.
func TestCallKeepsTheGuidFileCurrent(t *testing.T) {
	f := newFake(t, agwtest.WithDynamicGuid(1))
	old, err := f.SignIn(20003)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "guid")
	require.NoError(t, os.WriteFile(file, []byte(old+"\n"), 0o600))
	require.NoError(t, f.RotateGuid(20003))
	code, out, errOut := agw(t, "call", "PollEvent", "-base-url", f.URL, "-agent", "20003", "-guid", "@"+file)
	require.Equal(t, exitOK, code, errOut)
	now, ok := f.Guid(20003)
	require.True(t, ok)
	require.NotEqual(t, old, now, "the poll reply rotated the Guid")
	saved, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, now, strings.TrimSpace(string(saved)))
	noSecret(t, now, out, errOut)
	noSecret(t, old, out, errOut)
}

// The password comes from -password-file as well as from AGW_PASSWORD.
func TestCallPasswordFile(t *testing.T) {
	t.Setenv("AGW_PASSWORD", "")
	t.Setenv("AGW_GUID", "")
	f := newFake(t)
	file := filepath.Join(t.TempDir(), "pw")
	require.NoError(t, os.WriteFile(file, []byte(agwtest.DemoPassword+"\n"), 0o600))
	code, out, errOut := agw(t, append([]string{"call", "SayFree", "-password-file", file}, signInArgs(f, 20001)...)...)
	require.Equal(t, exitOK, code, errOut)
	noSecret(t, "", out, errOut)

	code, _, errOut = agw(t, append([]string{"call", "SayFree"}, signInArgs(f, 20001)...)...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "missing -password-file or $AGW_PASSWORD")
}
