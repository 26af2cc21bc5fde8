package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// result is what one load run measured.
type result struct {
	Where           string // where the gateway ran
	Mode            string // poll or push
	Sessions        int
	Elapsed         time.Duration
	Calls           int // requests other than event polls, counted at the server
	Polls           int
	Pickups         int
	SignIn, PickUp  latency
	Release         latency
	HeapPerSession  float64 // client heap+stack bytes per idle polling session
	GoroutinesPer   float64
	EventsReceived  int
	EventsQueued    int
	EventsDelivered int
	SnatchPuts      int
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

// session is one agent under load with the events its poll delivered.
type session struct {
	id     int
	phone  string
	s      *wrapper.Session
	events chan wrapper.Event
	done   <-chan error
	got    int
}

// expect reads the next events and checks they are exactly want, in order.
func (s *session) expect(ctx context.Context, want ...string) error {
	for _, w := range want {
		select {
		case ev := <-s.events:
			s.got++
			if ev.EventType != w {
				return fmt.Errorf("agent %d: event %s, want %s (lost, duplicated or out of order)", s.id, ev.EventType, w)
			}
		case <-ctx.Done():
			return fmt.Errorf("agent %d: no %s: %w (lost)", s.id, w, ctx.Err())
		}
	}
	return nil
}

type recorder struct {
	mu                      sync.Mutex
	signIn, pickUp, release []time.Duration
	errs                    []string
}

func (r *recorder) add(d *[]time.Duration, v time.Duration) {
	r.mu.Lock()
	*d = append(*d, v)
	r.mu.Unlock()
}

func (r *recorder) fail(err error) {
	r.mu.Lock()
	if len(r.errs) < 20 {
		r.errs = append(r.errs, err.Error())
	}
	r.mu.Unlock()
}

// runLoad signs n agents in, has every one poll, then has each pair pick up
// a call from each other, and signs everyone out.
func runLoad(ctx context.Context, root string, ctl control, n int, mode string) (result, error) {
	if n < 2 || n%2 != 0 {
		return result{}, errors.New("sessions must be an even number >= 2")
	}
	client, err := wrapper.NewClient(root)
	if err != nil {
		return result{}, err
	}
	push := mode == "push"
	if !push && mode != "poll" {
		return result{}, fmt.Errorf("mode %q: poll or push", mode)
	}
	var rec recorder
	res := result{Sessions: n, Mode: mode}
	start := time.Now()

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	goroutinesBefore := runtime.NumGoroutine()

	sessions := make([]*session, n)
	pollCtx, stopPolls := context.WithCancel(ctx)
	defer stopPolls()
	var wg sync.WaitGroup
	all := make([]*session, n)
	for i := range all {
		all[i] = &session{id: agentBase + i, phone: phone(i), events: make(chan wrapper.Event, 32)}
	}
	var receiver *pushReceiver
	if push {
		receiver = newPushReceiver(client, all)
		defer receiver.srv.Close()
	}
	for i, ss := range all {
		wg.Go(func() {
			t0 := time.Now()
			s, err := client.SignIn(ctx, ss.id, signInOptions(ss, receiver))
			if err != nil {
				rec.fail(err)
				return
			}
			rec.add(&rec.signIn, time.Since(t0))
			ss.s = s
			if err := feed(pollCtx, ss, push); err != nil {
				rec.fail(err)
				return
			}
			sessions[i] = ss
		})
	}
	wg.Wait()
	if len(rec.errs) > 0 {
		return res, fmt.Errorf("sign-in: %s", strings.Join(rec.errs, "; "))
	}

	// Idle: every session has a long poll pending at the gateway.
	if !push {
		if err := waitPending(ctx, ctl, n); err != nil {
			return res, err
		}
	}
	var idle runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&idle)
	res.HeapPerSession = float64((idle.HeapInuse+idle.StackInuse)-(before.HeapInuse+before.StackInuse)) / float64(n)
	res.GoroutinesPer = float64(runtime.NumGoroutine()-goroutinesBefore) / float64(n)

	// Each pair: a rings, b picks up; then b rings, a picks up.
	for i := 0; i < n; i += 2 {
		a, b := sessions[i], sessions[i+1]
		wg.Go(func() {
			pairCtx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			for _, roles := range [][2]*session{{a, b}, {b, a}} {
				if err := pickupRound(pairCtx, ctl, &rec, roles[0], roles[1]); err != nil {
					rec.fail(err)
					return
				}
			}
		})
	}
	wg.Wait()

	stopPolls()
	for _, s := range sessions {
		if err := <-s.done; err != nil && !errors.Is(err, context.Canceled) {
			rec.fail(fmt.Errorf("agent %d poll: %w", s.id, err))
		}
		if extra := len(s.events); extra > 0 {
			rec.fail(fmt.Errorf("agent %d: %d unexpected extra events (duplicated)", s.id, extra))
		}
		res.EventsReceived += s.got
	}
	for _, s := range sessions {
		wg.Go(func() {
			if err := s.s.SignOut(ctx); err != nil {
				rec.fail(err)
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)

	st, err := ctl.Stats()
	if err != nil {
		return res, err
	}
	for op, count := range st.Requests {
		if op == "PollEvent" {
			res.Polls += count
		} else {
			res.Calls += count
		}
	}
	res.SnatchPuts = st.Requests["SnatchPickup"]
	res.EventsQueued, res.EventsDelivered = st.EventsQueued, st.EventsDelivered
	res.Pickups = len(rec.pickUp)
	res.SignIn, res.PickUp, res.Release = percentiles(rec.signIn), percentiles(rec.pickUp), percentiles(rec.release)
	res.Errors = rec.errs
	res.check()
	return res, nil
}

func pickupRound(ctx context.Context, ctl control, rec *recorder, ringer, picker *session) error {
	if err := ctl.Ring(ringer.id); err != nil {
		return err
	}
	if err := ringer.expect(ctx, string(generated.EventTypeAgentEventRinging)); err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := picker.s.PickUp(ctx, ringer.id); err != nil {
		return fmt.Errorf("agent %d picking up from %d: %w", picker.id, ringer.id, err)
	}
	rec.add(&rec.pickUp, time.Since(t0))
	if err := picker.expect(ctx, string(generated.EventTypeAgentOtherPhoneAlerting), string(generated.EventTypeAgentOtherPhoneOffhook), string(generated.EventTypeAgentEventTalking),
		string(generated.EventTypeAgentEventIncomingCallInfo), string(generated.EventTypeAgentMediaEventRecord)); err != nil {
		return err
	}
	if err := ringer.expect(ctx, string(generated.EventTypeAgentOtherPhoneRelease)); err != nil {
		return err
	}
	t0 = time.Now()
	if err := picker.s.Release(ctx); err != nil {
		return err
	}
	rec.add(&rec.release, time.Since(t0))
	return picker.expect(ctx, string(generated.EventTypeAgentEventCallRelease), string(generated.EventTypeAgentOtherPhoneRelease))
}

// check adds the invariants' failures to Errors: every event delivered
// once, every PUT sent once.
func (r *result) check() {
	perRound := 1 + 5 + 1 + 2 // ringing; pickup timeline; ringer's release; picker's release
	want := r.Sessions * perRound
	if r.EventsReceived != want {
		r.Errors = append(r.Errors, fmt.Sprintf("received %d events, want %d", r.EventsReceived, want))
	}
	if r.EventsQueued != r.EventsDelivered || r.EventsDelivered != r.EventsReceived {
		r.Errors = append(r.Errors, fmt.Sprintf("server queued %d and delivered %d events, client received %d",
			r.EventsQueued, r.EventsDelivered, r.EventsReceived))
	}
	if r.SnatchPuts != r.Sessions || r.Pickups != r.Sessions {
		r.Errors = append(r.Errors, fmt.Sprintf("server saw %d snatchpickup PUTs for %d pickups by %d sessions",
			r.SnatchPuts, r.Pickups, r.Sessions))
	}
}

func (r result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sessions            %d (fake gateway %s)\n", r.Sessions, r.Where)
	fmt.Fprintf(&b, "elapsed             %s\n", r.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "calls (non-poll)    %d, %.0f/s; event polls %d\n", r.Calls, float64(r.Calls)/r.Elapsed.Seconds(), r.Polls)
	fmt.Fprintf(&b, "pickups             %d, %.0f/s\n", r.Pickups, float64(r.Pickups)/r.Elapsed.Seconds())
	fmt.Fprintf(&b, "sign-in latency     p50 %s  p99 %s  max %s\n", r.SignIn.P50, r.SignIn.P99, r.SignIn.Max)
	fmt.Fprintf(&b, "PickUp latency      p50 %s  p99 %s  max %s  (PUT to AgentEvent_Talking)\n", r.PickUp.P50, r.PickUp.P99, r.PickUp.Max)
	fmt.Fprintf(&b, "Release latency     p50 %s  p99 %s  max %s\n", r.Release.P50, r.Release.P99, r.Release.Max)
	fmt.Fprintf(&b, "client per idle session  %.1f KiB heap+stack, %.1f goroutines\n", r.HeapPerSession/1024, r.GoroutinesPer)
	fmt.Fprintf(&b, "events              received %d, server queued %d, delivered %d\n", r.EventsReceived, r.EventsQueued, r.EventsDelivered)
	fmt.Fprintf(&b, "snatchpickup PUTs   %d at the server for %d pickups\n", r.SnatchPuts, r.Pickups)
	if len(r.Errors) == 0 {
		b.WriteString("result              OK: no event lost or duplicated, no PUT sent twice\n")
	} else {
		fmt.Fprintf(&b, "result              FAILED:\n  %s\n", strings.Join(r.Errors, "\n  "))
	}
	b.WriteString(r.resultLine())
	return b.String()
}
