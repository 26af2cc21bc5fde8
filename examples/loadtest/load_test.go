package main

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLoadShort is the short form of the load run: 100 sessions against an
// in-process gateway; it proves the invariants, not the speed.
func TestLoadShort(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	res, err := load(ctx, 100, 2*time.Second, true)
	require.NoError(t, err)
	require.Empty(t, res.Errors, res.String())
	require.Equal(t, 100, res.SnatchPuts)
	require.Equal(t, 100*9, res.EventsReceived)
	t.Log("\n" + res.String())
}
