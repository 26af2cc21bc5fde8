package main

import (
	"encoding/json"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A line per check: status, check, detail; a hint line may follow.
var doctorLine = regexp.MustCompile(`^(ok|warn|fail|skip) +\S+ +.*$|^ +hint: .+$`)

func TestDoctorHealthyGateway(t *testing.T) {
	usePassword(t)
	f := newFake(t)
	code, out, errOut := agw(t, append([]string{"doctor"}, signInArgs(f, 20005)...)...)
	assert.Equal(t, exitOK, code, "%s%s", out, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.NotEmpty(t, lines)
	for _, line := range lines {
		assert.Regexp(t, doctorLine, line)
		assert.NotRegexp(t, `^fail`, line)
	}
	noSecret(t, "", out, errOut)
}

func TestDoctorUnreachableGatewayFails(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now
	code, out, errOut := agw(t, "doctor", "-base-url", "http://"+addr, "-timeout", "2s")
	assert.Equal(t, exitFailed, code, errOut)
	assert.Regexp(t, `(?m)^fail +\S+ +.+\n +hint: .+$`, out)

	code, out, _ = agw(t, "doctor", "-base-url", "http://"+addr, "-timeout", "2s", "--json")
	assert.Equal(t, exitFailed, code)
	var report struct {
		Overall string
		Results []struct{ Check, Status, Detail, Hint string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &report), out)
	assert.Equal(t, "fail", report.Overall)
	require.NotEmpty(t, report.Results)
	for _, r := range report.Results {
		assert.NotEmpty(t, r.Check)
		assert.Contains(t, []string{"ok", "warn", "fail", "skip"}, r.Status)
	}
}

func TestDoctorBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{}, // no base URL
		{"-base-url", "http://127.0.0.1:1", "more"}, // a stray argument
		{"-base-url", "http://127.0.0.1:1", "-guid", "g"},
		{"-base-url", "http://127.0.0.1:1", "-ca", "x.pem", "-insecure"},
	} {
		code, out, errOut := agw(t, append([]string{"doctor"}, args...)...)
		assert.Equal(t, exitUsage, code, "%q", args)
		assert.Empty(t, out)
		assert.Contains(t, errOut, "agw doctor:")
	}
}
