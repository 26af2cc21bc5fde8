package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// TestMain lets the test binary be the gateway child and the worker
// processes that -processes starts (they run it again with
// LOADTEST_MAIN=1 in their environment).
func TestMain(m *testing.M) {
	if os.Getenv("LOADTEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLoadShort is the short form of each mode: 100 sessions against an
// in-process gateway; it proves the invariants, not the speed.
func TestLoadShort(t *testing.T) {
	for _, mode := range []string{"poll", "push", "allagents"} {
		t.Run(mode, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			res, err := load(ctx, 100, 2*time.Second, true, mode)
			require.NoError(t, err)
			require.Empty(t, res.Errors, res.String())
			require.Equal(t, 100, res.SnatchPuts)
			require.Equal(t, 100*9, res.EventsReceived)
			require.Contains(t, res.String(), "RESULT mode="+mode+" sessions=100 events_sent=900 events_received=900 events_lost=0 puts_duplicated=0 ")
			require.Contains(t, res.resultLine(), " events_duplicated=0 ")
			require.True(t, strings.HasSuffix(res.String(), "ok=true\n"))
			t.Log("\n" + res.String())
		})
	}
}

// TestProcessesKillOne: two client processes share 50 agents through a
// redis-server of their own; one is killed mid-run. Nothing is
// duplicated, no PUT is sent twice, the other takes its agents over
// within the lease time and a quarter, and no more is lost than a reply in
// flight per agent taken over.
func TestProcessesKillOne(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is not installed (CI=true)")
		}
		t.Skip("redis-server is not installed")
	}
	t.Setenv("LOADTEST_MAIN", "1") // for the children
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	res, err := runProcesses(ctx, procOptions{n: 50, processes: 2, killOne: true, lease: time.Second, pollWait: 2 * time.Second})
	require.NoError(t, err)
	require.Empty(t, res.Errors, res.String())
	line := res.resultLine()
	require.Contains(t, line, "RESULT mode=processes sessions=50 events_sent=450 ")
	require.Contains(t, line, " puts_duplicated=0 ")
	require.Contains(t, line, " events_duplicated=0 ")
	require.Contains(t, line, " killed=1 ")
	require.Equal(t, 450, res.EventsReceived+res.EventsLost)
	require.LessOrEqual(t, res.EventsLost, res.TakenOver, "at most one reply in flight per agent")
	require.Positive(t, res.TakenOver)
	require.LessOrEqual(t, res.TakeoverMax, time.Second+time.Second/4+time.Second)
	require.Contains(t, line, fmt.Sprintf(" taken_over=%d ", res.TakenOver))
	require.Contains(t, line, " agents_polled_at_end=50 concurrent_polls=0 ")
	t.Log("\n" + res.String())
}

// TestProcessesFaults runs each -fault with two client processes and 40
// agents (lease 1 s, faults of 2 s; the partition 4 s, lease 2 s): nothing is
// duplicated, no PUT is sent twice, no agent is polled by two workers at
// once, every one is polled at the end, and every loss has a gap after it.
func TestProcessesFaults(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server is not installed (CI=true)")
		}
		t.Skip("redis-server is not installed")
	}
	t.Setenv("LOADTEST_MAIN", "1") // for the children
	for _, c := range []struct {
		fault      string
		persist    bool
		dur, lease time.Duration
	}{
		{"restart", true, 2 * time.Second, time.Second}, {"restart", false, 2 * time.Second, time.Second},
		{"stall", false, 2 * time.Second, time.Second}, {"partition", false, 4 * time.Second, 2 * time.Second},
	} {
		t.Run(fmt.Sprintf("%s-appendonly-%v", c.fault, c.persist), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
			defer cancel()
			res, err := runProcesses(ctx, procOptions{n: 40, processes: 2, fault: c.fault, faultFor: c.dur, persist: c.persist,
				lease: c.lease, pollWait: 2 * time.Second})
			require.NoError(t, err)
			require.Empty(t, res.Errors, res.String())
			line := res.resultLine()
			require.Contains(t, line, "RESULT mode=processes sessions=40 events_sent=360 ")
			require.Contains(t, line, " puts_duplicated=0 ")
			require.Contains(t, line, " events_duplicated=0 ")
			require.Contains(t, line, " silent_loss=0 state_mismatch=0 ")
			require.Contains(t, line, fmt.Sprintf(" fault=%s ", c.fault))
			require.Contains(t, line, " agents_polled_at_end=40 concurrent_polls=0 ")
			require.Positive(t, res.PollerErrors, "the pollers survived failures")
			if c.fault == "partition" {
				require.Positive(t, res.TakenOver, "the others took over the agents of the worker cut off")
			}
			t.Log("\n" + res.String())
		})
	}
}

// The gateway wrapper counts an agent's second snatchpickup PUT as
// duplicated, whatever the gateway answered.
func TestPutsDuplicatedCounted(t *testing.T) {
	g, err := newGateway(2, time.Second, false)
	require.NoError(t, err)
	h, watch := gatewayHandler(g)
	srv := httptest.NewServer(h)
	defer srv.Close()
	put := func(agent int) {
		req, err := http.NewRequest(http.MethodPut, fmt.Sprintf("%s/agentgateway/resource/voicecall/%d/snatchpickup?destWorkNo=%d", srv.URL, agent, agent+1), nil)
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
	}
	put(agentBase)
	put(agentBase + 1)
	require.Zero(t, watch.stats().PutsDuplicated)
	put(agentBase)
	require.Equal(t, int64(1), watch.stats().PutsDuplicated)
}

// A missing event counts as a silent loss unless a gap entry comes
// between the events around it (or after the last, for the last ones).
func TestSilentLoss(t *testing.T) {
	stream := func(items ...string) []redisstore.StreamEvent {
		var out []redisstore.StreamEvent
		for _, it := range items {
			if it == "gap" {
				out = append(out, redisstore.StreamEvent{Gap: &wrapper.Gap{}})
				continue
			}
			out = append(out, redisstore.StreamEvent{Event: wrapper.Event{Event: generated.Event{EventType: it}}})
		}
		return out
	}
	count := func(items ...string) result {
		res := result{Sessions: 1}
		countStreams(map[int][]redisstore.StreamEvent{agentBase: stream(items...)}, nil, &res)
		return res
	}
	all := expected(0)
	require.Zero(t, count(append([]string{"gap"}, all...)...).SilentLoss)
	require.Equal(t, 1, count(append([]string{"gap", all[0]}, all[2:]...)...).SilentLoss, "the second missing, no gap")
	require.Zero(t, count(append([]string{"gap", all[0], "gap"}, all[2:]...)...).SilentLoss, "a gap where it went missing")
	require.Equal(t, 1, count(append([]string{"gap"}, all[:len(all)-1]...)...).SilentLoss, "the last missing")
	require.Zero(t, count(append(append([]string{"gap"}, all[:len(all)-1]...), "gap")...).SilentLoss)
	require.Zero(t, count("gap", all[0], "gap", all[len(all)-1]).SilentLoss, "placed as the last PhoneRelease, not the first")
	require.Equal(t, 1, count("gap", all[0], all[len(all)-1]).SilentLoss)
	res := count(append([]string{"gap", all[0]}, all...)...)
	require.Equal(t, 1, res.Duplicated)
}
