package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsage(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}} {
		code, out, _ := agw(t, args...)
		assert.Equal(t, exitOK, code)
		assert.Contains(t, out, "agw call <OperationId> [flags]")
	}
	code, out, errOut := agw(t)
	assert.Equal(t, exitUsage, code, "no command is a usage error")
	assert.Empty(t, out)
	assert.Contains(t, errOut, "agw call <OperationId> [flags]")
	code, out, errOut = agw(t, "nope")
	assert.Equal(t, exitUsage, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, `unknown command "nope"`)
	code, _, errOut = agw(t, "call")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "agw call --list")
}

// agw fake serves the fake gateway until its context ends.
func TestFakeServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"fake", "-addr", "127.0.0.1:0", "-poll-wait", "100ms"}, pw, io.Discard)
		pw.Close()
	}()
	banner := bufio.NewReader(pr)
	line, err := banner.ReadString('\n')
	require.NoError(t, err)
	go func() { _, _ = io.Copy(io.Discard, banner) }() // the rest of the banner
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	require.NotEmpty(t, url, line)

	res, err := http.Get(url + "/agwtest/ui")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	usePassword(t)
	code, out, errOut := agw(t, "call", "GetAgentStatus", "-base-url", url, "-agent", "20001", "-phone", "88001")
	assert.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, `"agentState": 4`)

	cancel()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code)
	case <-time.After(testTimeout):
		t.Fatal("agw fake did not stop")
	}
}

func TestFakeBadFlags(t *testing.T) {
	code, _, errOut := agw(t, "fake", "-addr", "0.0.0.0:8043")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "only loopback")
}
