package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The example picks up the fake's call and draws its trace: PickUp over
// CheckFirst's queries and the snatch, with the confirming event.
func TestPickUpTrace(t *testing.T) {
	var out strings.Builder
	svg := filepath.Join(t.TempDir(), "trace.svg")
	require.NoError(t, run(t.Context(), &out, svg))
	text := out.String()
	assert.Contains(t, text, "PICKED UP call ")
	assert.Regexp(t, `(?m)^PickUp +\|█`, text, "the root spans the whole line")
	assert.Regexp(t, `(?m)^  SnatchPickup +\|`, text, "the snatch is PickUp's child")
	assert.Contains(t, text, "AgentEvent_Talking (confirmed)")
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(b), ">SnatchPickup</text>")
	assert.True(t, strings.HasPrefix(string(b), "<svg ") && strings.HasSuffix(string(b), "</svg>\n"))
}
