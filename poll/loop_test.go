package poll

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/reply"
)

var fast = Options{IdleDelay: time.Microsecond, MinBackoff: time.Microsecond, MaxBackoff: 10 * time.Microsecond}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// script answers one fetch per entry: an error, or events of those types.
func script(steps ...any) func(context.Context) ([]reply.Event, error) {
	i := 0
	return func(ctx context.Context) ([]reply.Event, error) {
		var dst []reply.Event
		if i >= len(steps) {
			<-ctx.Done()
			return dst, ctx.Err()
		}
		step := steps[i]
		i++
		switch v := step.(type) {
		case error:
			return dst, v
		case []string:
			for _, typ := range v {
				dst = append(dst, reply.Event{Event: generated.Event{EventType: typ}})
			}
		}
		return dst, nil
	}
}

func retcode(code string) error { return &reply.APIError{Op: "PollEvent", RetCode: code} }

func TestLoopDeliversInOrderAndEndsOn100006(t *testing.T) {
	var got []string
	var reported []error
	opts := fast
	opts.OnError = func(err error) { reported = append(reported, err) }
	transportErr := errors.New("connection reset")
	ended := errors.New("final")
	err := Loop(testContext(t), opts, script([]string{"A", "B"}, transportErr, []string{}, []string{"C"}, retcode("100-006")),
		func(ev reply.Event) (error, error) { got = append(got, ev.EventType); return nil, nil },
		func(err error) error {
			require.Equal(t, "100-006", err.(*reply.APIError).RetCode)
			return ended
		})
	require.ErrorIs(t, err, ended, "final decides what the loop returns")
	require.Equal(t, []string{"A", "B", "C"}, got)
	require.Equal(t, []error{transportErr}, reported, "a survived failure is reported")
}

func TestLoopEndsAfterMaxNoRightInARow(t *testing.T) {
	opts := fast
	opts.MaxNoRight = 3
	fetches := 0
	fetch := script(retcode("000-003"), retcode("000-003"), []string{}, retcode("000-003"), retcode("000-003"), retcode("000-003"))
	counted := func(ctx context.Context) ([]reply.Event, error) { fetches++; return fetch(ctx) }
	err := Loop(testContext(t), opts, counted, func(reply.Event) (error, error) { return nil, nil }, func(err error) error { return err })
	require.ErrorIs(t, err, reply.ErrNoRight)
	require.Equal(t, 6, fetches, "a good reply resets the count")
}

func TestLoopSkippedAndFatal(t *testing.T) {
	var reported []error
	opts := fast
	opts.OnError = func(err error) { reported = append(reported, err) }
	skip, stop := errors.New("skip"), errors.New("stop")
	err := Loop(testContext(t), opts, script([]string{"skip", "stop", "never"}), func(ev reply.Event) (error, error) {
		switch ev.EventType {
		case "skip":
			return skip, nil
		case "stop":
			return nil, stop
		}
		t.Fatalf("delivered %s after a fatal error", ev.EventType)
		return nil, nil
	}, nil)
	require.ErrorIs(t, err, stop)
	require.Equal(t, []error{skip}, reported)
}

func TestLoopEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancelCause(testContext(t))
	cancel(ErrStopped)
	require.NoError(t, Loop(ctx, fast, script(), nil, nil), "ErrStopped ends without an error")

	ctx, cancel2 := context.WithCancel(testContext(t))
	err := Loop(ctx, fast, script([]string{"A"}), func(reply.Event) (error, error) { cancel2(); return nil, nil }, nil)
	require.ErrorIs(t, err, context.Canceled)
}

func TestBackoffBounds(t *testing.T) {
	lo, hi := 100*time.Millisecond, time.Second
	for failures := 1; failures < 10; failures++ {
		ceiling := min(lo<<(failures-1), hi)
		for range 50 {
			d := backoff(failures, lo, hi)
			require.GreaterOrEqual(t, d, lo/2)
			require.LessOrEqual(t, d, ceiling, "failure %d", failures)
		}
	}
}

func TestOptionsDefaults(t *testing.T) {
	var o Options
	o.withDefaults()
	require.Equal(t, Options{IdleDelay: 200 * time.Millisecond, MinBackoff: 250 * time.Millisecond, MaxBackoff: 10 * time.Second, MaxNoRight: 5}, o)
	o = Options{MinBackoff: time.Minute}
	o.withDefaults()
	require.Equal(t, time.Minute, o.MaxBackoff, "the cap never falls below the floor")
}
