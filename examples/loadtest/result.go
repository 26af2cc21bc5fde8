package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// result is what one load run measured.
type result struct {
	Where           string // where the gateway ran
	Mode            string // poll, push, allagents or processes
	Sessions        int
	Elapsed         time.Duration
	Calls           int // requests other than event polls, counted at the server
	Polls           int
	Pickups         int
	SignIn, PickUp  latency
	Release         latency
	HeapPerSession  float64 // client heap+stack bytes per idle session
	GoroutinesPer   float64
	EventsReceived  int
	EventsQueued    int
	EventsDelivered int
	EventsLost      int // delivered by the gateway, never received
	Duplicated      int // events received more than once
	SnatchPuts      int
	PutsDuplicated  int     // snatchpickup PUTs of an agent beyond its first, at the gateway
	RoutedPerSec    float64 // allagents: Client.Route on one goroutine
	Processes       int     // processes: client processes sharing the agents
	Killed          int     // processes: killed mid-run
	TakenOver       int     // processes: agents another process took over
	TakeoverMax     time.Duration
	Lease           time.Duration
	Window          latency // processes: poll reply read to its last event in Redis
	Gaps            int     // processes: gap entries in the agents' streams
	SilentLoss      int     // processes: agents with events lost and no gap after them
	StateMismatch   int     // processes: agents whose call, as their stream tells it, is not the gateway's
	Fault           string  // processes: restart, stall, partition or ""
	FaultFor        time.Duration
	Persist         bool          // processes: redis-server ran with appendonly
	Mark            time.Time     // processes: when the kill or the fault began
	PolledAgain     time.Duration // processes: from the fault's end until every agent had a poll in flight
	PolledAtEnd     int           // processes: agents with a poll in flight at the end
	ConcurrentPolls int           // processes: polls of an agent overlapping one from another worker
	DoNotSent       int           // processes: Store.Do calls not sent (Redis unavailable), tried again
	PollerErrors    int           // processes: failures the surviving workers' pollers told OnError
	Errors          []string
}

type latency struct{ P50, P99, Max time.Duration }

func percentiles(d []time.Duration) latency {
	if len(d) == 0 {
		return latency{}
	}
	slices.Sort(d)
	at := func(p float64) time.Duration { return d[min(len(d)-1, int(p*float64(len(d))))] }
	return latency{P50: at(0.50), P99: at(0.99), Max: d[len(d)-1]}
}

// perAgent is the events one agent receives: one round as ringer
// (ringing, the other phone's release), one as picker (the pickup
// timeline, then its release).
const perAgent = 1 + 5 + 1 + 2

// check adds the invariants' failures to Errors: every event delivered
// once, every PUT sent once.
func (r *result) check() {
	if r.Mode != "processes" {
		r.EventsLost = max(r.EventsDelivered-r.EventsReceived, 0)
	}
	if want := r.Sessions * perAgent; r.EventsReceived+r.EventsLost != want+r.Duplicated {
		r.Errors = append(r.Errors, fmt.Sprintf("received %d events and lost %d, want %d", r.EventsReceived, r.EventsLost, want))
	}
	if r.EventsQueued != r.EventsDelivered || r.EventsDelivered != r.EventsReceived+r.EventsLost {
		r.Errors = append(r.Errors, fmt.Sprintf("server queued %d and delivered %d events, client received %d",
			r.EventsQueued, r.EventsDelivered, r.EventsReceived))
	}
	if r.SnatchPuts != r.Sessions || r.Pickups != r.Sessions {
		r.Errors = append(r.Errors, fmt.Sprintf("server saw %d snatchpickup PUTs for %d pickups by %d sessions",
			r.SnatchPuts, r.Pickups, r.Sessions))
	}
	if r.PutsDuplicated > 0 {
		r.Errors = append(r.Errors, fmt.Sprintf("%d snatchpickup PUTs sent twice", r.PutsDuplicated))
	}
	if r.Duplicated > 0 {
		r.Errors = append(r.Errors, fmt.Sprintf("%d events duplicated", r.Duplicated))
	}
	if r.Mode != "processes" && r.EventsLost > 0 {
		r.Errors = append(r.Errors, fmt.Sprintf("%d events lost", r.EventsLost))
	}
}

// checkProcesses adds the failures of the invariants of -processes: after
// a kill, no more lost than a reply in flight per agent taken over; no
// loss without a gap after it, every stream ending in the gateway's
// state, every agent polled at the end, never by two workers at once.
func (r *result) checkProcesses() {
	if r.Killed > 0 && r.EventsLost > r.TakenOver {
		r.Errors = append(r.Errors, fmt.Sprintf("%d events lost for %d agents taken over: more than a reply in flight each", r.EventsLost, r.TakenOver))
	}
	if r.SilentLoss > 0 || r.StateMismatch > 0 {
		r.Errors = append(r.Errors, fmt.Sprintf("%d agents lost events with no gap after them; %d end in another call state than the gateway's",
			r.SilentLoss, r.StateMismatch))
	}
	if r.PolledAtEnd != r.Sessions || r.ConcurrentPolls > 0 {
		r.Errors = append(r.Errors, fmt.Sprintf("%d of %d agents polled at the end; %d polls overlapped another worker's", r.PolledAtEnd, r.Sessions, r.ConcurrentPolls))
	}
}

func (r result) String() string {
	var b strings.Builder
	per := func(n int) float64 { return float64(n) / r.Elapsed.Seconds() }
	fmt.Fprintf(&b, "mode                %s, %d sessions (fake gateway %s)\n", r.Mode, r.Sessions, r.Where)
	fmt.Fprintf(&b, "elapsed             %s\n", r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "calls (non-poll)    %d, %.0f/s; event polls %d\n", r.Calls, per(r.Calls), r.Polls)
	fmt.Fprintf(&b, "pickups             %d, %.0f/s\n", r.Pickups, per(r.Pickups))
	fmt.Fprintf(&b, "sign-in latency     p50 %s  p99 %s  max %s\n", r.SignIn.P50, r.SignIn.P99, r.SignIn.Max)
	if r.Mode != "processes" {
		fmt.Fprintf(&b, "PickUp latency      p50 %s  p99 %s  max %s  (PUT to AgentEvent_Talking)\n", r.PickUp.P50, r.PickUp.P99, r.PickUp.Max)
		fmt.Fprintf(&b, "Release latency     p50 %s  p99 %s  max %s\n", r.Release.P50, r.Release.P99, r.Release.Max)
	}
	fmt.Fprintf(&b, "client per idle session  %.1f KiB heap+stack, %.2f goroutines\n", r.HeapPerSession/1024, r.GoroutinesPer)
	if r.RoutedPerSec > 0 {
		fmt.Fprintf(&b, "routing             %.0f events/s through Client.Route on one goroutine\n", r.RoutedPerSec)
	}
	if r.Processes > 0 {
		fmt.Fprintf(&b, "processes           %d sharing the agents through Redis, %d killed (SIGKILL), lease %s\n", r.Processes, r.Killed, r.Lease)
		if r.Killed > 0 || r.Fault == "partition" {
			fmt.Fprintf(&b, "takeover            %d agents, the slowest polled again %.3f s after the kill or partition\n", r.TakenOver, r.TakeoverMax.Seconds())
		}
		fmt.Fprintf(&b, "in-flight window    p50 %s  p99 %s  max %s  (poll reply read to its event in Redis)\n", r.Window.P50, r.Window.P99, r.Window.Max)
		fmt.Fprintf(&b, "gaps                %d in the streams; %d agents lost events with no gap after; %d agents' streams end in a call state other than the gateway's\n",
			r.Gaps, r.SilentLoss, r.StateMismatch)
		if r.Fault != "" {
			fmt.Fprintf(&b, "fault               %s for %s (appendonly %v); every agent polled again %.3f s after it; %d Do calls not sent, tried again; %d poller errors survived\n",
				r.Fault, r.FaultFor, r.Persist, r.PolledAgain.Seconds(), r.DoNotSent, r.PollerErrors)
		}
		fmt.Fprintf(&b, "polls               %d agents polled at the end; %d polls overlapped another worker's\n", r.PolledAtEnd, r.ConcurrentPolls)
	}
	fmt.Fprintf(&b, "events              received %d, server queued %d, delivered %d; lost %d, duplicated %d\n",
		r.EventsReceived, r.EventsQueued, r.EventsDelivered, r.EventsLost, r.Duplicated)
	fmt.Fprintf(&b, "snatchpickup PUTs   %d at the server for %d pickups; %d an agent sent twice\n", r.SnatchPuts, r.Pickups, r.PutsDuplicated)
	switch {
	case len(r.Errors) == 0 && r.EventsLost == 0:
		b.WriteString("result              OK: no event lost or duplicated, no PUT sent twice\n")
	case len(r.Errors) == 0:
		fmt.Fprintf(&b, "result              OK: %d events lost, each followed by a gap; none duplicated, no PUT sent twice\n", r.EventsLost)
	default:
		fmt.Fprintf(&b, "result              FAILED:\n  %s\n", strings.Join(r.Errors, "\n  "))
	}
	b.WriteString(r.resultLine())
	return b.String()
}

// resultLine is the machine-readable summary.
func (r result) resultLine() string {
	var b strings.Builder
	fmt.Fprintf(&b, "RESULT mode=%s sessions=%d events_sent=%d events_received=%d events_lost=%d puts_duplicated=%d bytes_per_session=%.0f",
		r.Mode, r.Sessions, r.EventsDelivered, r.EventsReceived, r.EventsLost, r.PutsDuplicated, r.HeapPerSession)
	fmt.Fprintf(&b, " events_duplicated=%d", r.Duplicated)
	if r.RoutedPerSec > 0 {
		fmt.Fprintf(&b, " routed_per_s=%.0f", r.RoutedPerSec)
	}
	if r.Processes > 0 {
		fmt.Fprintf(&b, " processes=%d killed=%d taken_over=%d takeover_max_s=%.3f lease_s=%.1f inflight_window_max_ms=%.3f gaps=%d silent_loss=%d state_mismatch=%d",
			r.Processes, r.Killed, r.TakenOver, r.TakeoverMax.Seconds(), r.Lease.Seconds(), float64(r.Window.Max)/1e6,
			r.Gaps, r.SilentLoss, r.StateMismatch)
		if r.Fault != "" {
			fmt.Fprintf(&b, " fault=%s fault_s=%.1f appendonly=%v polled_again_s=%.3f do_not_sent=%d poller_errors=%d",
				r.Fault, r.FaultFor.Seconds(), r.Persist, r.PolledAgain.Seconds(), r.DoNotSent, r.PollerErrors)
		}
		fmt.Fprintf(&b, " agents_polled_at_end=%d concurrent_polls=%d", r.PolledAtEnd, r.ConcurrentPolls)
	}
	b.WriteString(" ok=" + fmt.Sprint(len(r.Errors) == 0) + "\n")
	return b.String()
}
