// Package fleet runs many agents' sessions from one process: it routes
// events that arrive for many agents at once (push mode's callback, the
// all-agent poll, a relay such as a Redis stream) to each agent's session,
// so that PickUp and every event waiter work there, and sends the
// heartbeats of every push-mode session from one goroutine.
package fleet

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/internal/poll"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// ErrUnknownAgent is an event Route has no session for.
var ErrUnknownAgent = errors.New("agentgateway: no routed session for the event's agent")

// Fleet routes events to the sessions it tracks, one per agent. It is safe
// for concurrent use.
type Fleet struct {
	c       *wrapper.Client
	onGap   func(wrapper.Gap)
	waiters poll.Waiters // of every tracked session, for PollAllAgents' handler
	mu      sync.RWMutex
	routes  map[string]*wrapper.Session // by workNo
	beats   *beats                      // KeepAliveAll's schedule, while it runs
}

// Option configures a Fleet.
type Option func(*Fleet)

// WithOnGap has Route (and so PushHandler) and KeepAliveAll report each
// tracked session's gap to onGap: once, with a snapshot, before the
// session's next routed event or after its next good heartbeat. A push
// session's gap is a failed heartbeat (wrapper.GapPushFailed), or any a
// session carries (a restore, a failover). PollAllAgents reports to its
// PollOptions.OnGap.
func WithOnGap(onGap func(wrapper.Gap)) Option { return func(f *Fleet) { f.onGap = onGap } }

// New returns a fleet of c's sessions, tracking none yet.
func New(c *wrapper.Client, opts ...Option) *Fleet {
	f := &Fleet{c: c, routes: map[string]*wrapper.Session{}}
	for _, opt := range opts {
		opt(f)
	}
	return f
}

// Track makes Route deliver s's agent's events to s, replacing an older
// session of the same agent, and lets PickUp run on s without a Poll
// (wrapper.Session.UseDeliver). A push-mode session joins a running
// KeepAliveAll. A session leaves the fleet when it ends (Done).
func (f *Fleet) Track(s *wrapper.Session) {
	s.UseDeliver()
	poll.CountWaitersIn(s, &f.waiters)
	workNo := strconv.Itoa(s.AgentID())
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[workNo] = s
	if f.beats != nil {
		f.beats.add(s, time.Now().Add(f.beats.interval))
	}
}

// Session returns the tracked live session of workNo, or nil.
func (f *Fleet) Session(workNo string) *wrapper.Session {
	f.mu.RLock()
	s := f.routes[workNo]
	f.mu.RUnlock()
	if s == nil {
		return nil
	}
	select {
	case <-s.Done():
		f.forget(s)
		return nil
	default:
		return s
	}
}

// forget drops s, unless a newer session of its agent replaced it.
func (f *Fleet) forget(s *wrapper.Session) {
	workNo := strconv.Itoa(s.AgentID())
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.routes[workNo] == s {
		delete(f.routes, workNo)
	}
}

// Route hands ev to the waiters (PickUp) of the tracked session of its
// workNo. An event without a workNo, or for an agent without a live tracked
// session, is an error matching ErrUnknownAgent.
func (f *Fleet) Route(ev wrapper.Event) error {
	s := f.Session(ev.Agent())
	if s == nil {
		return &routeError{workNo: ev.Agent()}
	}
	f.reportGap(context.Background(), s, f.onGap, true)
	return s.Deliver(ev)
}

// gapSnapshotTimeout bounds the reads of a gap's snapshot.
const gapSnapshotTimeout = 10 * time.Second

// reportGap tells onGap of s's pending gap, if any; unless always, only
// when its snapshot can be read (see wrapper.Session.TryGap).
func (f *Fleet) reportGap(ctx context.Context, s *wrapper.Session, onGap func(wrapper.Gap), always bool) {
	if onGap == nil || !s.HasGap() { // Route calls this for every event: no work without a gap
		return
	}
	ctx, cancel := context.WithTimeout(ctx, gapSnapshotTimeout)
	defer cancel()
	take := s.TryGap
	if always {
		take = s.TakeGap
	}
	if g, ok := take(ctx); ok {
		onGap(g)
	}
}

// maxSnapshotsInFlight bounds the snapshots read at once after an
// all-agent reply was lost.
const maxSnapshotsInFlight = 32

// reportGaps tells onGap of every tracked session's pending gap, reading
// the snapshots maxSnapshotsInFlight at a time; onGap is called from one
// goroutine at a time.
func (f *Fleet) reportGaps(ctx context.Context, onGap func(wrapper.Gap), always bool) {
	if onGap == nil {
		return
	}
	f.mu.RLock()
	sessions := make([]*wrapper.Session, 0, len(f.routes))
	for _, s := range f.routes {
		if s.HasGap() {
			sessions = append(sessions, s)
		}
	}
	f.mu.RUnlock()
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxSnapshotsInFlight)
	for _, s := range sessions {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f.reportGap(ctx, s, func(g wrapper.Gap) {
				mu.Lock()
				defer mu.Unlock()
				onGap(g)
			}, always)
		})
	}
	wg.Wait()
}

// markAll marks a gap on every tracked session.
func (f *Fleet) markAll(reason wrapper.GapReason) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	for _, s := range f.routes {
		s.MarkGap(reason)
	}
}

// PollAllAgents long-polls the events of every agent on the gateway node in
// one request per round (PollAllAgentEvents, the gateway's
// GET_EVENT_MODE=2) and routes each to its session; handle, if not nil,
// then sees every event, in order, on a goroutine of its own, so that it
// may wait for later events (PickUp) while the loop fetches them. The
// rules are wrapper.Session.Poll's: it returns when ctx ends, when handle
// returns an error, or when the gateway ends the session (ErrNotSignedIn,
// or MaxNoRight 000-003 replies in a row); failures are retried after a
// jittered backoff; an event for an agent without a tracked session goes
// to opts.OnError as ErrUnknownAgent. A reply lost on the way is a gap for
// every tracked session, reported to opts.OnGap before the next events.
func (f *Fleet) PollAllAgents(ctx context.Context, handle func(wrapper.Event) error, opts wrapper.PollOptions) error {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	fetch := func(ctx context.Context) ([]wrapper.Event, error) {
		f.reportGaps(ctx, opts.OnGap, false) // before the poll, where a snapshot can be read
		events, err := f.c.PollAllAgentEvents(ctx, nil)
		if err == nil {
			f.reportGaps(ctx, opts.OnGap, true) // before the events, in any case
		}
		return events, err
	}
	// handle runs on its own goroutine: it may wait for events this loop
	// has yet to fetch (PickUp in a handler) while the loop routes them.
	var handlers *poll.Handlers
	if handle != nil {
		handlers = poll.StartHandlers(stop, &f.waiters)
	}
	deliver := func(ev wrapper.Event) (skipped, fatal error) {
		err := f.Route(ev)
		if handlers != nil {
			handlers.Run(func() error { return handle(ev) })
		}
		return err, nil
	}
	err := poll.Loop(ctx, poll.Options{IdleDelay: opts.IdleDelay, MinBackoff: opts.MinBackoff, MaxBackoff: opts.MaxBackoff,
		MaxNoRight: opts.MaxNoRight, OnError: opts.OnError, OnLost: func(error) { f.markAll(wrapper.GapReplyLost) }}, fetch, deliver,
		func(err error) error { return err })
	if handlers != nil {
		if herr := handlers.Close(); herr != nil {
			return herr
		}
	}
	return err
}

type routeError struct{ workNo string }

func (e *routeError) Error() string {
	return ErrUnknownAgent.Error() + " (workNo " + strconv.Quote(e.workNo) + ")"
}
func (e *routeError) Unwrap() error { return ErrUnknownAgent }
