package wrapper

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/agentgateway-go/agentgateway/generated"
)

// ErrNotConfirmed: the gateway accepted a call-control request, and then
// sent the event that says it failed (AgentEvent_Call_Out_Fail, ...).
var ErrNotConfirmed = errors.New("agentgateway: the gateway reported that the operation failed")

// CallOption changes how a generated call-control method runs.
type CallOption func(*callOptions)

type callOptions struct {
	confirmed *Event
	watch     func(Event) (refuted bool) // sees every event of the wait
}

// watchEvents has the wait show every event to watch, which may refute
// the operation (PickUp: a release after the pickup's phone rang).
func watchEvents(watch func(Event) (refuted bool)) CallOption {
	return func(o *callOptions) { o.watch = watch }
}

// Confirm makes a call-control method wait, under its context, for the
// event the vendor documents as its success (the spec's x-confirm), for
// this agent and, where the event names one, this call, arriving after
// the request was sent; the event is stored in ev. A documented failure
// event ends the wait with a *ConfirmError matching ErrNotConfirmed. It
// needs an event source (Poll, push through Deliver, the all-agent poll),
// as PickUp does, and subscribes before the request is sent.
func Confirm(ev *Event) CallOption { return func(o *callOptions) { o.confirmed = ev } }

// ConfirmError is a request the gateway accepted whose confirming event did
// not come: a failure event came (Event set; errors.Is ErrNotConfirmed),
// or the context or the event source ended first (Err).
type ConfirmError struct {
	Op    string
	Event *Event // the failure event, nil if none came
	Err   error  // ErrNotConfirmed, the context's error, or ErrNotPolling
}

// Error names the operation and why it is not confirmed.
func (e *ConfirmError) Error() string {
	s := "agentgateway: " + e.Op + " accepted, not confirmed: " + e.Err.Error()
	if e.Event != nil {
		s += " (" + e.Event.EventType + ")"
	}
	return s
}

// Unwrap returns ErrNotConfirmed, the context's error or ErrNotPolling.
func (e *ConfirmError) Unwrap() error { return e.Err }

// confirmation is what confirms and what refutes an operation (x-confirm).
type confirmation struct{ success, failure []generated.EventType }

// confirmWait is the wait of one confirmed call, subscribed before the
// request is sent; nil when the call does not wait.
type confirmWait struct {
	s     *Session
	c     confirmation
	out   *Event
	watch func(Event) bool
	sub   *waiter
}

// startConfirm subscribes for the call's confirmation when opts ask for it.
func (s *Session) startConfirm(c confirmation, opts []CallOption) (*confirmWait, error) {
	var o callOptions
	for _, opt := range opts {
		opt(&o)
	}
	if o.confirmed == nil {
		return nil, nil
	}
	sub, err := s.subscribe()
	if err != nil {
		return nil, err
	}
	return &confirmWait{s: s, c: c, out: o.confirmed, watch: o.watch, sub: sub}, nil
}

func (w *confirmWait) close() {
	if w != nil {
		w.sub.Close()
	}
}

// wait waits for the first success or failure event naming callID (or
// naming no call; any call when callID is "").
func (w *confirmWait) wait(ctx context.Context, op, callID string) error {
	if w == nil {
		return nil
	}
	refuted := false
	ev, err := w.s.next(ctx, w.sub, w.s.seeWaited(ctx, func(ev Event) bool {
		if w.watch != nil && w.watch(ev) {
			refuted = true
			return true
		}
		typ := generated.EventType(ev.EventType)
		if !slices.Contains(w.c.success, typ) && !slices.Contains(w.c.failure, typ) {
			return false
		}
		id := ev.CallID()
		return callID == "" || id == "" || id == callID
	}))
	if err != nil {
		return &ConfirmError{Op: op, Err: err}
	}
	if refuted || slices.Contains(w.c.failure, generated.EventType(ev.EventType)) {
		w.s.seeEvent(ctx, ev, EventRefuted)
		return &ConfirmError{Op: op, Event: &ev, Err: ErrNotConfirmed}
	}
	w.s.seeEvent(ctx, ev, EventConfirmed)
	*w.out = ev
	return nil
}

// next waits for the first event of sub that match accepts; the end of ctx
// or of the poll is an error (ctx's, or ErrNotPolling).
func (s *Session) next(ctx context.Context, sub *waiter, match func(Event) bool) (Event, error) {
	for {
		select {
		case ev := <-sub.C:
			if match(ev) {
				return ev, nil
			}
		case <-ctx.Done():
			return Event{}, ctx.Err()
		case <-sub.PollDone:
			return Event{}, fmt.Errorf("%w: the poll ended while waiting", ErrNotPolling)
		}
	}
}

// Await waits, under ctx, for the session's next event of one of types
// (any type when none is given), such as the next AgentEvent_Ringing. It
// needs an event source, as PickUp does: ErrNotPolling at once without
// one, and when the poll ends while waiting.
func (s *Session) Await(ctx context.Context, types ...generated.EventType) (Event, error) {
	sub, err := s.subscribe()
	if err != nil {
		return Event{}, err
	}
	defer sub.Close()
	return s.next(ctx, sub, func(ev Event) bool {
		return len(types) == 0 || slices.Contains(types, generated.EventType(ev.EventType))
	})
}

// subscribe registers a waiter for the session's events, or returns
// ErrNotPolling when none can reach it.
func (s *Session) subscribe() (*waiter, error) {
	sub, ok := s.hub.Subscribe()
	if !ok {
		return nil, ErrNotPolling
	}
	return sub, nil
}
