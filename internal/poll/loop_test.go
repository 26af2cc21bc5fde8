package poll

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// retcodeError stands for a gateway's refusal, matching the sentinels as
// the client's *APIError does.
type retcodeError string

func (e retcodeError) Error() string { return "retcode " + string(e) }

func (e retcodeError) Is(target error) bool {
	switch target {
	case ErrRefused:
		return true
	case ErrNoRight:
		return e == "000-003"
	case ErrEnded:
		return e == "100-006"
	}
	return false
}

var fast = Options{IdleDelay: time.Microsecond, MinBackoff: time.Microsecond, MaxBackoff: 10 * time.Microsecond}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// script answers one fetch per entry: an error, or events of those types.
func script(steps ...any) func(context.Context) ([]string, error) {
	i := 0
	return func(ctx context.Context) ([]string, error) {
		var dst []string
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
			dst = append(dst, v...)
		}
		return dst, nil
	}
}

func retcode(code string) error { return retcodeError(code) }

func TestLoopDeliversInOrderAndEndsOn100006(t *testing.T) {
	var got []string
	var reported []error
	opts := fast
	opts.OnError = func(err error) { reported = append(reported, err) }
	transportErr := errors.New("connection reset")
	ended := errors.New("final")
	err := Loop(testContext(t), opts, script([]string{"A", "B"}, transportErr, []string{}, []string{"C"}, retcode("100-006")),
		func(ev string) (error, error) { got = append(got, ev); return nil, nil },
		func(err error) error {
			require.Equal(t, retcodeError("100-006"), err)
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
	counted := func(ctx context.Context) ([]string, error) { fetches++; return fetch(ctx) }
	err := Loop(testContext(t), opts, counted, func(string) (error, error) { return nil, nil }, func(err error) error { return err })
	require.Equal(t, retcodeError("000-003"), err)
	require.Equal(t, 6, fetches, "a good reply resets the count")
}

func TestLoopSkippedAndFatal(t *testing.T) {
	var reported []error
	opts := fast
	opts.OnError = func(err error) { reported = append(reported, err) }
	skip, stop := errors.New("skip"), errors.New("stop")
	err := Loop(testContext(t), opts, script([]string{"skip", "stop", "never"}), func(ev string) (error, error) {
		switch ev {
		case "skip":
			return skip, nil
		case "stop":
			return nil, stop
		}
		t.Fatalf("delivered %s after a fatal error", ev)
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
	err := Loop(ctx, fast, script([]string{"A"}), func(string) (error, error) { cancel2(); return nil, nil }, nil)
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
