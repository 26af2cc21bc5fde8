package poll

import (
	"context"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestChainSynchronousFetchesDoNotGrowTheStack runs many fetches that call
// then before returning, each with an event (so no pause breaks the chain):
// every fetch must start at the same stack depth.
func TestChainSynchronousFetchesDoNotGrowTheStack(t *testing.T) {
	const steps = 100_000
	var pcs [1024]uintptr // deeper than a nesting of even a few hundred fetches
	fetches, lo, hi := 0, len(pcs), 0
	fetch := func(_ context.Context, then func([]string, error)) {
		depth := runtime.Callers(0, pcs[:])
		lo, hi = min(lo, depth), max(hi, depth)
		if fetches++; fetches > steps {
			then(nil, retcode("100-006"))
			return
		}
		then([]string{"A"}, nil)
	}
	delivered, dones := 0, 0
	var result error
	Chain(testContext(t), fast, fetch, func(string) (error, error) { delivered++; return nil, nil }, keep,
		func(err error) { dones++; result = err })
	require.Equal(t, 1, dones, "done is called once, before Chain returns, since nothing was asynchronous")
	require.Equal(t, retcodeError("100-006"), result)
	require.Equal(t, steps, delivered)
	require.Equal(t, lo, hi, "stack depth at each fetch")
}

// TestChainIgnoresASecondThen: a fetch calling back twice gets one
// judgement; the next fetch still waits for the first to return.
func TestChainIgnoresASecondThen(t *testing.T) {
	var got []string
	fetches := 0
	fetch := func(_ context.Context, then func([]string, error)) {
		if fetches++; fetches > 1 {
			then(nil, retcode("100-006"))
			return
		}
		then([]string{"A"}, nil)
		then([]string{"B"}, nil)
	}
	result := make(chan error, 2)
	Chain(testContext(t), fast, fetch, func(ev string) (error, error) { got = append(got, ev); return nil, nil }, keep,
		func(err error) { result <- err })
	require.Equal(t, retcodeError("100-006"), <-result)
	require.Empty(t, result, "done once")
	require.Equal(t, []string{"A"}, got)
	require.Equal(t, 2, fetches)
}
