package main

import (
	"encoding/json"
	"encoding/pem"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/internal/doctor"
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

// TestDoctorWrongHostCertificate: a TLS gateway whose certificate does not
// name the host asked for (httptest's names 127.0.0.1 and example.com, not
// localhost) fails the tls check, and nothing is sent with the password.
func TestDoctorWrongHostCertificate(t *testing.T) {
	usePassword(t)
	srv := agwtest.NewTLS()
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	base := "https://localhost:" + u.Port()

	code, out, errOut := agw(t, "doctor", "-base-url", base, "-ca", ca, "-agent", "20005", "-phone", "88005")
	assert.Equal(t, exitFailed, code, "%s%s", out, errOut)
	assert.Regexp(t, `(?m)^fail +tls +.*localhost`, out)
	assert.Regexp(t, `(?m)^skip +signin `, out, "no sign-in through a certificate the library refuses")
	assert.Equal(t, 0, srv.Requests("SignIn"), "the password never left")

	code, out, errOut = agw(t, "doctor", "-base-url", srv.URL(), "-ca", ca, "-agent", "20005", "-phone", "88005")
	assert.Equal(t, exitOK, code, "the same gateway by the name its certificate holds: %s%s", out, errOut)
}

// TestDoctorProgressOnATerminal: on a terminal a transient line shows
// while a check runs, and each result line replaces it; elsewhere there is
// none.
func TestDoctorProgressOnATerminal(t *testing.T) {
	var tty strings.Builder
	p := &doctorPrinter{out: &tty, tty: true}
	p.running()
	p.result(doctor.Result{Check: "dns", Status: doctor.OK, Detail: "resolved"})
	p.result(doctor.Result{Check: "tcp", Status: doctor.Fail, Detail: "refused", Hint: "start it"})
	p.clear()
	const erase = "\r\033[K"
	assert.Equal(t, "      checking…"+erase+"ok    dns     resolved\n"+
		"      checking…"+erase+"fail  tcp     refused\n        hint: start it\n"+
		"      checking…"+erase, tty.String())

	var plain strings.Builder
	p = &doctorPrinter{out: &plain}
	p.running()
	p.result(doctor.Result{Check: "dns", Status: doctor.OK, Detail: "resolved"})
	p.clear()
	assert.Equal(t, "ok    dns     resolved\n", plain.String())
}
