package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoadShort is the short form of the load run: 100 sessions against an
// in-process gateway, polling and then push mode; it proves the
// invariants, not the speed.
func TestLoadShort(t *testing.T) {
	for _, mode := range []string{"poll", "push"} {
		t.Run(mode, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			res, err := load(ctx, 100, 2*time.Second, true, mode)
			require.NoError(t, err)
			require.Empty(t, res.Errors, res.String())
			require.Equal(t, 100, res.SnatchPuts)
			require.Equal(t, 100*9, res.EventsReceived)
			require.Contains(t, res.String(), "RESULT mode="+mode+" sessions=100 events_sent=900 events_received=900 events_lost=0 puts_duplicated=0 ")
			require.True(t, strings.HasSuffix(res.String(), "\n"))
			t.Log("\n" + res.String())
		})
	}
}
