package poll

import (
	"context"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// poller runs a poll to its end, with a synchronous fake fetch.
type poller func(t *testing.T, ctx context.Context, opts Options, fetch func(context.Context) ([]string, error),
	deliver func(string) (error, error), final func(error) error) error

// pollers are Loop and Chain, with then called inside fetch, on a
// goroutine of its own after fetch returned, and with fetch on a goroutine.
var pollers = []struct {
	name string
	run  poller
}{
	{"Loop", func(_ *testing.T, ctx context.Context, opts Options, fetch func(context.Context) ([]string, error),
		deliver func(string) (error, error), final func(error) error) error {
		return Loop(ctx, opts, fetch, deliver, final)
	}},
	{"Chain/sync", chained(func(f func() ([]string, error), then func([]string, error)) { then(f()) })},
	{"Chain/async", chained(func(f func() ([]string, error), then func([]string, error)) { go then(f()) })},
	{"Chain/goroutine", chained(func(f func() ([]string, error), then func([]string, error)) {
		go func() { then(f()) }()
	})},
}

// chained adapts a synchronous fetch to Chain with start, and checks that
// fetches never overlap and done is called once.
func chained(start func(f func() ([]string, error), then func([]string, error))) poller {
	return func(t *testing.T, ctx context.Context, opts Options, fetch func(context.Context) ([]string, error),
		deliver func(string) (error, error), final func(error) error) error {
		var pending atomic.Int32 // of the last fetch returning and its then
		async := func(ctx context.Context, then func([]string, error)) {
			if !pending.CompareAndSwap(0, 2) {
				t.Error("fetch called before the last one returned and called then")
			}
			defer pending.Add(-1)
			start(func() ([]string, error) { return fetch(ctx) }, func(events []string, err error) {
				pending.Add(-1)
				then(events, err)
			})
		}
		var calls atomic.Int32
		result := make(chan error, 1)
		Chain(ctx, opts, async, deliver, final, func(err error) {
			if calls.Add(1) > 1 {
				t.Error("done called twice")
				return
			}
			result <- err
		})
		select {
		case err := <-result:
			return err
		case <-time.After(time.Minute):
			t.Error("done not called")
			return nil
		}
	}
}

// forEach runs test against each poller.
func forEach(t *testing.T, test func(t *testing.T, run poller)) {
	for _, p := range pollers {
		t.Run(p.name, func(t *testing.T) { test(t, p.run) })
	}
}

func noEvent(string) (error, error) { return nil, nil }
func keep(err error) error          { return err }

// timed records when each fetch starts.
func timed(fetch func(context.Context) ([]string, error), at *[]time.Time) func(context.Context) ([]string, error) {
	return func(ctx context.Context) ([]string, error) {
		*at = append(*at, time.Now())
		return fetch(ctx)
	}
}

func TestPollDeliversInOrderAndEndsOn100006(t *testing.T) {
	forEach(t, func(t *testing.T, run poller) {
		var got []string
		var reported []error
		opts := fast
		opts.OnError = func(err error) { reported = append(reported, err) }
		transportErr, ended := errors.New("connection reset"), errors.New("final")
		err := run(t, testContext(t), opts, script([]string{"A", "B"}, transportErr, []string{}, []string{"C"}, retcode("100-006")),
			func(ev string) (error, error) { got = append(got, ev); return nil, nil },
			func(err error) error { require.Equal(t, retcodeError("100-006"), err); return ended })
		require.ErrorIs(t, err, ended, "final decides what the poll returns")
		require.Equal(t, []string{"A", "B", "C"}, got)
		require.Equal(t, []error{transportErr}, reported, "a survived failure is reported")
	})
}

func TestPollEndsAfterMaxNoRightInARow(t *testing.T) {
	forEach(t, func(t *testing.T, run poller) {
		opts := fast
		opts.MaxNoRight = 3
		var at []time.Time
		fetch := script(retcode("000-003"), retcode("000-003"), []string{}, retcode("000-003"), retcode("000-003"), retcode("000-003"))
		err := run(t, testContext(t), opts, timed(fetch, &at), noEvent, keep)
		require.Equal(t, retcodeError("000-003"), err, "final's error")
		require.Len(t, at, 6, "a good reply resets the count")
	})
}

func TestPollEndsAtOnceOn100006(t *testing.T) {
	forEach(t, func(t *testing.T, run poller) {
		var at []time.Time
		opts := fast
		opts.OnError = func(err error) { t.Errorf("reported %v", err) }
		opts.OnLost = func(err error) { t.Errorf("lost %v", err) }
		ended := errors.New("final")
		err := run(t, testContext(t), opts, timed(script(retcode("100-006"), []string{"never"}), &at),
			func(string) (error, error) { t.Error("delivered after the end"); return nil, nil },
			func(error) error { return ended })
		require.ErrorIs(t, err, ended)
		require.Len(t, at, 1)
	})
}

func TestPollLostOnlyWhenTheRequestMayHaveReached(t *testing.T) {
	forEach(t, func(t *testing.T, run poller) {
		var lost, reported []error
		opts := fast
		opts.OnLost = func(err error) { lost = append(lost, err) }
		opts.OnError = func(err error) { reported = append(reported, err) }
		refused, dial, reset := retcode("500"), &net.OpError{Op: "dial", Err: errors.New("refused")}, errors.New("reset")
		err := run(t, testContext(t), opts, script(refused, dial, reset, retcode("100-006")), noEvent, keep)
		require.Equal(t, retcodeError("100-006"), err)
		require.Equal(t, []error{reset}, lost)
		require.Equal(t, []error{refused, dial, reset}, reported)
	})
}

func TestPollSkippedAndFatal(t *testing.T) {
	forEach(t, func(t *testing.T, run poller) {
		var reported []error
		opts := fast
		opts.OnError = func(err error) { reported = append(reported, err) }
		skip, stop := errors.New("skip"), errors.New("stop")
		err := run(t, testContext(t), opts, script([]string{"skip", "stop", "never"}), func(ev string) (error, error) {
			switch ev {
			case "skip":
				return skip, nil
			case "stop":
				return nil, stop
			}
			t.Errorf("delivered %s after a fatal error", ev)
			return nil, nil
		}, nil)
		require.ErrorIs(t, err, stop)
		require.Equal(t, []error{skip}, reported)
	})
}

func TestPollPausesOnlyAfterAnEmptyReplyOrAFailure(t *testing.T) {
	forEach(t, func(t *testing.T, run poller) {
		opts := Options{IdleDelay: time.Hour, MinBackoff: time.Hour}
		err := run(t, testContext(t), opts, script([]string{"A"}, []string{"B"}, retcode("100-006")), noEvent, keep)
		require.Equal(t, retcodeError("100-006"), err, "no pause after events")

		const pause = 2 * time.Millisecond
		var at []time.Time
		opts = Options{IdleDelay: pause, MinBackoff: 2 * pause, MaxBackoff: 2 * pause}
		fetch := script([]string{}, errors.New("reset"), errors.New("reset"), retcode("100-006"))
		err = run(t, testContext(t), opts, timed(fetch, &at), noEvent, keep)
		require.Equal(t, retcodeError("100-006"), err)
		require.Len(t, at, 4)
		for i := 1; i < len(at); i++ { // the idle delay, then backoffs of at least MinBackoff/2
			require.GreaterOrEqual(t, at[i].Sub(at[i-1]), pause, "pause %d", i)
		}
	})
}

func TestPollEndsWithContext(t *testing.T) {
	forEach(t, func(t *testing.T, run poller) {
		ctx, cancel := context.WithCancelCause(testContext(t))
		cancel(ErrStopped)
		require.NoError(t, run(t, ctx, fast, script(), nil, nil), "ErrStopped ends without an error")

		ctx, cancel2 := context.WithCancel(testContext(t))
		err := run(t, ctx, fast, script([]string{"A"}), func(string) (error, error) { cancel2(); return nil, nil }, nil)
		require.ErrorIs(t, err, context.Canceled)
	})
}

// TestPollEndsWhenTheContextEndsMidway cancels after the first fetch: during
// an hour's pause, or while the second fetch waits for ctx.
func TestPollEndsWhenTheContextEndsMidway(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  Options
		first any
	}{
		{"idle", Options{IdleDelay: time.Hour}, []string{}},
		{"backoff", Options{MinBackoff: time.Hour}, errors.New("reset")},
		{"fetching", fast, []string{"A"}},
	} {
		for _, cause := range []error{ErrStopped, nil} {
			t.Run(tc.name+"/"+map[bool]string{true: "stopped", false: "canceled"}[cause == ErrStopped], func(t *testing.T) {
				forEach(t, func(t *testing.T, run poller) {
					ctx, cancel := context.WithCancelCause(testContext(t))
					fetch, fetches := script(tc.first), 0
					fetched := make(chan struct{}, 1)
					counted := func(ctx context.Context) ([]string, error) {
						if fetches++; fetches > 2 || ctx.Err() != nil {
							t.Error("fetched after the context ended")
						}
						fetched <- struct{}{}
						return fetch(ctx)
					}
					result := make(chan error, 1)
					go func() { result <- run(t, ctx, tc.opts, counted, noEvent, keep) }()
					<-fetched
					if tc.name == "fetching" {
						<-fetched
					}
					cancel(cause)
					select {
					case err := <-result:
						if cause == ErrStopped {
							require.NoError(t, err)
						} else {
							require.ErrorIs(t, err, context.Canceled)
						}
					case <-time.After(time.Minute):
						t.Fatal("the poll did not end with its context")
					}
				})
			})
		}
	}
}
