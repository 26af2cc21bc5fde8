package wrapper

import (
	"context"
	"errors"
)

// Hooks observe a client's requests, events and gaps, for telemetry
// (package agwotel). Any field may be nil. Hooks run on the goroutine of
// what they observe, so keep them short, and send nothing from them.
// Their errors hold no secret; an event is the gateway's, unchecked, and
// its Content may hold personal data (caller numbers).
type Hooks struct {
	// Call is told of each request as it starts (every operation, polls
	// included), and of PickUp as a whole, whose requests (the snatch,
	// CheckFirst's queries) run under the context it returns. The function
	// it returns, if not nil, is called once with the result.
	Call func(ctx context.Context, info CallInfo) (context.Context, func(CallResult))
	// Event is told of each event handed to a session (from its Poll, or
	// through Deliver: push mode, the fleet) before its waiters and handler
	// see it, and again of each event the wait of a confirmed call
	// (Confirm, PickUp) sees, with that call's context.
	Event func(ctx context.Context, ev EventInfo)
	// Gap is told of each gap when it is noticed (Session.MarkGap, a
	// failover), once per gap however many marks merge into it, before any
	// snapshot is read: Snapshot and Err are not set.
	Gap func(g Gap)
}

// CallInfo names the operation a Call hook is told of.
type CallInfo struct {
	Op      string // the spec's operationId ("SnatchPickup"), or "PickUp"
	AgentID int    // 0 for the calls that name no agent
}

// CallResult is how a call ended.
type CallResult struct {
	HTTPStatus int    // 0 when no reply came
	RetCode    string // the gateway's retcode: "0" on success, "" when no envelope was read
	Err        error  // nil on success; it holds no secret
}

// EventStage says where a hook sees an event.
type EventStage uint8

// The stages of an event.
const (
	// EventDelivered: handed to the session; ctx is its Poll's, or
	// context.Background() for Session.Deliver.
	EventDelivered EventStage = iota
	// EventWaited: seen by a confirmed call's wait without ending it.
	EventWaited
	// EventConfirmed: ended such a wait as the call's success.
	EventConfirmed
	// EventRefuted: ended such a wait as the call's failure.
	EventRefuted
)

// EventInfo is an event a hook is told of.
type EventInfo struct {
	AgentID int
	Stage   EventStage
	Event   Event
}

// WithHooks adds h to the client's hooks. It may be given more than once:
// every hook runs, in the order given; Call's result functions run in the
// reverse order, as deferred calls do.
func WithHooks(h Hooks) Option {
	return func(c *config) error {
		c.hooks = c.hooks.then(h)
		return nil
	}
}

// then returns hooks running h's, then next's.
func (h Hooks) then(next Hooks) Hooks {
	out := h
	if next.Call != nil {
		out.Call = next.Call
		if first := h.Call; first != nil {
			second := next.Call
			out.Call = func(ctx context.Context, info CallInfo) (context.Context, func(CallResult)) {
				ctx, end1 := first(ctx, info)
				ctx, end2 := second(ctx, info)
				return ctx, func(r CallResult) {
					if end2 != nil {
						end2(r)
					}
					if end1 != nil {
						end1(r)
					}
				}
			}
		}
	}
	if next.Event != nil {
		out.Event = next.Event
		if first := h.Event; first != nil {
			second := next.Event
			out.Event = func(ctx context.Context, ev EventInfo) { first(ctx, ev); second(ctx, ev) }
		}
	}
	if next.Gap != nil {
		out.Gap = next.Gap
		if first := h.Gap; first != nil {
			second := next.Gap
			out.Gap = func(g Gap) { first(g); second(g) }
		}
	}
	return out
}

// callEnd reports the end of a call to the Call hooks; its zero value,
// without hooks, does nothing.
type callEnd struct{ end func(CallResult) }

// startCall tells the Call hooks that op starts; without hooks it returns
// ctx and does nothing else.
func (s *Session) startCall(ctx context.Context, op string) (context.Context, callEnd) {
	h := s.c.cfg.hooks.Call
	if h == nil {
		return ctx, callEnd{}
	}
	ctx, end := h(ctx, CallInfo{Op: op, AgentID: s.agentID})
	return ctx, callEnd{end}
}

// done reports the result: status is the HTTP status read (0: none, or
// the one err carries).
func (e callEnd) done(status int, err error) {
	if e.end == nil {
		return
	}
	r := CallResult{HTTPStatus: status, Err: err}
	if err == nil {
		r.RetCode = "0"
	}
	if ae, ok := errors.AsType[*APIError](err); ok {
		r.RetCode = ae.RetCode
		if r.HTTPStatus == 0 {
			r.HTTPStatus = ae.HTTPStatus
		}
	} else if re, ok := errors.AsType[*ReplyError](err); ok && r.HTTPStatus == 0 {
		r.HTTPStatus = re.HTTPStatus
	}
	e.end(r)
}

// seeEvent tells the Event hooks of ev at stage.
func (s *Session) seeEvent(ctx context.Context, ev Event, stage EventStage) {
	if h := s.c.cfg.hooks.Event; h != nil {
		h(ctx, EventInfo{AgentID: s.agentID, Stage: stage, Event: ev})
	}
}

// seeWaited has the Event hooks see, as EventWaited, each event a wait's
// match passes over; without hooks it returns match.
func (s *Session) seeWaited(ctx context.Context, match func(Event) bool) func(Event) bool {
	if s.c.cfg.hooks.Event == nil {
		return match
	}
	return func(ev Event) bool {
		if match(ev) {
			return true
		}
		s.seeEvent(ctx, ev, EventWaited)
		return false
	}
}

// seeGap tells the Gap hooks of a gap just noticed.
func (s *Session) seeGap(g Gap) {
	if h := s.c.cfg.hooks.Gap; h != nil {
		h(g)
	}
}
