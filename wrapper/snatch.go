package wrapper

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// CallDetails describes a call that reached the agent.
type CallDetails struct {
	CallID string
	Caller string
	Called string
	// SkillName is set when AgentEvent_Incoming_CallInfo came before
	// AgentEvent_Talking.
	SkillName string
}

// PickUpError is a pickup the gateway accepted that did not connect, or
// whose wait ended first.
type PickUpError struct {
	DestWorkNo int
	// Accepted says the gateway accepted the snatch, and the wait for the
	// call ended early (the call may still reach this agent); false, the
	// SnatchPickup request got no reply, and may have been carried out.
	// Either way, read the agent's state (Session.Snapshot) before retrying.
	Accepted  bool
	Call      CallDetails // what was learnt before the failure
	LastEvent string      // the last event seen, "" if none
	Err       error       // ErrPickUpFailed, or the context's error
}

// Error says which pickup failed, how far it got, and why.
func (e *PickUpError) Error() string {
	s := "agentgateway: pickup of the call ringing at agent " + strconv.Itoa(e.DestWorkNo)
	if e.Call.CallID != "" {
		s += " (call " + e.Call.CallID + ")"
	}
	if e.LastEvent != "" {
		s += " after " + e.LastEvent
	}
	s += ": " + e.Err.Error()
	if e.Accepted {
		return s + " (the gateway accepted the snatch)"
	}
	return s + " (no reply to the snatch: it may have been carried out)"
}

// Unwrap returns ErrPickUpFailed, ErrNotPolling, the context's error, or
// the transport error of a SnatchPickup that got no reply.
func (e *PickUpError) Unwrap() error { return e.Err }

// PickUp snatches the call ringing at destWorkNo (SnatchPickup) and waits,
// under ctx, until AgentEvent_Talking says it reached this agent, with the
// details of that and the earlier call events. A Poll must run on the
// session, or its events come through Deliver (push mode, UseDeliver); else
// ErrNotPolling, before any request. A refused snatch is an *APIError; a
// release before the call connects, or the end of the Poll or ctx, a
// *PickUpError. With ManualAnswer, the phone must be answered for the wait
// to end. With CheckFirst, no snatch is sent unless CheckPickUp passes.
func (s *Session) PickUp(ctx context.Context, destWorkNo int, opts ...PickUpOption) (_ CallDetails, err error) {
	ctx, obs := s.startCall(ctx, "PickUp")
	defer func() { obs.done(0, err) }()
	var o pickUpOptions
	for _, opt := range opts {
		opt(&o)
	}
	// SnatchPickup checks destWorkNo, and Confirm the event source, before
	// sending; CheckPickUp sends first, so it needs the source checked here.
	if o.check {
		if !s.hub.Ready() {
			return CallDetails{}, ErrNotPolling
		}
		if err := s.CheckPickUp(ctx, destWorkNo); err != nil {
			return CallDetails{}, err
		}
	}
	// SnatchPickup with Confirm waits for AgentEvent_Talking; the watch
	// gathers the call's details and fails the wait on a release after
	// PhoneAlerting (one queued from an earlier call may come before it).
	var call CallDetails
	alerting, last := false, ""
	watch := func(ev Event) (refuted bool) {
		last = ev.EventType
		switch generated.EventType(ev.EventType) {
		case generated.EventTypeAgentOtherPhoneAlerting:
			alerting = true // its content is null: the call ID comes with Talking
		case generated.EventTypeAgentEventIncomingCallInfo, generated.EventTypeAgentEventTalking:
			if v, err := ev.Decode(); err == nil {
				switch c := v.(type) {
				case *generated.IncomingCallInfoContent:
					call.merge(c.CallId, c.Caller, c.Called)
					call.SkillName = deref(c.SkillName)
				case *generated.TalkingContent:
					call.merge(c.Callid, c.Caller, c.Called)
				}
			}
		case generated.EventTypeAgentOtherPhoneRelease, generated.EventTypeAgentEventCallRelease,
			generated.EventTypeAgentEventCustomerRelease, generated.EventTypeAgentEventNoAnswer:
			return alerting
		}
		return false
	}
	var talking Event
	err = s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: destWorkNo}, Confirm(&talking), watchEvents(watch))
	if err == nil {
		return call, nil
	}
	x := redact.Of(s.secrets("", nil, nil, nil)...) // the event text is the gateway's
	details := CallDetails{x.Field(call.CallID), x.Field(call.Caller), x.Field(call.Called), x.Field(call.SkillName)}
	var refused *APIError
	var ce *ConfirmError
	switch {
	case errors.As(err, &refused), errors.Is(err, ErrInvalidArgument), errors.Is(err, ErrNotPolling) && !errors.As(err, &ce):
		return CallDetails{}, err // refused, or caught before any request
	case errors.As(err, &ce) && ce.Event != nil:
		return CallDetails{}, &PickUpError{DestWorkNo: destWorkNo, Accepted: true, Call: details, LastEvent: x.Field(last),
			Err: fmt.Errorf("%w: %s", ErrPickUpFailed, ce.Event.EventType)}
	case errors.As(err, &ce):
		return CallDetails{}, &PickUpError{DestWorkNo: destWorkNo, Accepted: true, Call: details, LastEvent: x.Field(last), Err: ce.Err}
	}
	// No reply: the snatch may have been carried out.
	return CallDetails{}, &PickUpError{DestWorkNo: destWorkNo, Err: err}
}

// merge takes the non-empty values; an event lacking a field keeps the one
// an earlier event gave.
func (c *CallDetails) merge(callID, caller, called *generated.FlexString) {
	for dst, v := range map[*string]*generated.FlexString{&c.CallID: callID, &c.Caller: caller, &c.Called: called} {
		if v != nil && *v != "" {
			*dst = string(*v)
		}
	}
}
