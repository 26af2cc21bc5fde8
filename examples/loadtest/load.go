package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

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
	notSent                 atomic.Int64 // Store.Do calls not sent, tried again
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

// signInWorkers bounds the sign-ins in flight: a process signing in
// thousands of agents need not open a connection for each at once.
const signInWorkers = 64

// runLoad signs n agents in, feeds every one its events (mode: its own
// poll, pushed events, or one all-agent poll), then has each pair pick
// up a call from each other, and signs everyone out.
func runLoad(ctx context.Context, root string, ctl control, n int, mode string) (result, error) {
	if n < 2 || n%2 != 0 {
		return result{}, errors.New("sessions must be an even number >= 2")
	}
	client, err := wrapper.NewClient(root)
	if err != nil {
		return result{}, err
	}
	fl := fleet.New(client)
	if mode != "poll" && mode != "push" && mode != "allagents" {
		return result{}, fmt.Errorf("mode %q: poll, push or allagents", mode)
	}
	var rec recorder
	res := result{Sessions: n, Mode: mode}
	start := time.Now()

	// The harness's own buffers come before the baseline.
	sessions := make([]*session, n)
	for i := range sessions {
		sessions[i] = &session{id: agentBase + i, phone: phone(i), events: make(chan wrapper.Event, 32)}
	}
	var receiver *pushReceiver
	if mode == "push" {
		receiver = newPushReceiver(fl, sessions)
		defer receiver.srv.Close()
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	goroutinesBefore := runtime.NumGoroutine()

	feedCtx, stopFeeds := context.WithCancel(ctx)
	defer stopFeeds()
	var wg sync.WaitGroup
	next := make(chan *session)
	for range signInWorkers {
		wg.Go(func() {
			for ss := range next {
				t0 := time.Now()
				s, err := client.SignIn(ctx, ss.id, signInOptions(ss, receiver))
				if err != nil {
					rec.fail(err)
					continue
				}
				rec.add(&rec.signIn, time.Since(t0))
				ss.s = s
				if err := feed(feedCtx, fl, ss, mode); err != nil {
					rec.fail(err)
				}
			}
		})
	}
	for _, ss := range sessions {
		next <- ss
	}
	close(next)
	wg.Wait()
	if len(rec.errs) > 0 {
		return res, fmt.Errorf("sign-in: %s", strings.Join(rec.errs, "; "))
	}
	fed := feedAll(feedCtx, fl, sessions, mode)

	// Idle: every session has a long poll pending at the gateway, or is fed.
	if mode == "poll" {
		if err := waitPending(ctx, ctl, n); err != nil {
			return res, err
		}
	}
	var idle runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&idle)
	res.HeapPerSession = float64(int64(idle.HeapInuse+idle.StackInuse)-int64(before.HeapInuse+before.StackInuse)) / float64(n)
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

	stopFeeds()
	if fed != nil {
		if err := <-fed.done; err != nil && !errors.Is(err, context.Canceled) {
			rec.fail(fmt.Errorf("%s: %w", mode, err))
		}
		res.RoutedPerSec = fed.routeRate(fl) // the sessions are still tracked
	}
	for _, s := range sessions {
		if s.done != nil {
			if err := <-s.done; err != nil && !errors.Is(err, context.Canceled) {
				rec.fail(fmt.Errorf("agent %d poll: %w", s.id, err))
			}
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
		if op == "PollEvent" || op == "PollAllAgentEvents" {
			res.Polls += count
		} else {
			res.Calls += count
		}
	}
	res.SnatchPuts, res.PutsDuplicated = st.Requests["SnatchPickup"], int(st.PutsDuplicated)
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
