package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The day runs to the end, each step after the one before, and each step
// shows the events that prove it happened.
func TestAgentDay(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	text := out.String()
	order := []string{
		"SIGN IN agent 20002",
		"EVENT agent 20002 AgentState_SetNotReady_Success",
		"EVENT agent 20002 AgentState_SetRest_Success",
		"EVENT agent 20002 AgentState_Rest_Timeout",
		"SUPERVISOR 20900 listens",
		"EVENT agent 20001 AgentOther_BeQcStart",
		"EVENT agent 20001 AgentOther_BeQcStop",
		"PICK UP the call ringing at agent 20001",
		"PICKED UP call ",
		"HANG UP and wrap up",
		"EVENT agent 20002 AgentState_Work",
		"EVENT agent 20002 AgentState_CancelWork_Success",
		"SIGNED OUT agent 20002",
	}
	at := 0
	for _, want := range order {
		i := strings.Index(text[at:], want)
		require.GreaterOrEqual(t, i, 0, "%q missing or out of order in:\n%s", want, text)
		at += i + len(want)
	}
	// The handler runs beside the poll, so the pickup's own events may be
	// printed before or after PickUp returns; after the step began.
	_, pickup, _ := strings.Cut(text, "PICK UP the call ringing at agent 20001")
	assert.Contains(t, pickup, "EVENT agent 20002 AgentEvent_Talking")
	assert.Contains(t, text, "from 13900000000", "the second call is the one picked up")
	assert.NotContains(t, text, "demo-Passw0rd")
}
