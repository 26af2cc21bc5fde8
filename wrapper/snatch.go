package wrapper

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/agentgateway-go/agentgateway/generated"
)

// SnatchPickup takes over the call now ringing at agent destWorkNo; the
// session's agent is the one who picks up.
//
// The vendor page describes destWorkNo as "the agent who picks up the
// call", but the picker is the path agent: destWorkNo is the ringing agent.
//
// Prerequisites (else retcode 100-007, ErrAgentOperation): this agent is
// signed in, idle and has the group-pickup permission; destWorkNo is
// ringing with a call that is not internal; both are in the same group.
// On success the agent's phone rings (AgentOther_PhoneAlerting); use PickUp
// to also wait for the call to connect.
//
// The request is sent exactly once: whatever fails, it is never retried,
// since the API has no idempotency key.
//
//	PUT /agentgateway/resource/voicecall/{agentid}/snatchpickup?destWorkNo={destWorkNo}
func (s *Session) SnatchPickup(ctx context.Context, destWorkNo int) error {
	if err := s.c.checkAgentID("destWorkNo", destWorkNo); err != nil {
		return err
	}
	return s.snatch(ctx, destWorkNo)
}

// snatch sends the checked request.
func (s *Session) snatch(ctx context.Context, destWorkNo int) error {
	params := generated.SnatchPickupParams{DestWorkNo: destWorkNo}
	_, err := s.call(ctx, "SnatchPickup", func(ctx context.Context) (*http.Response, error) {
		return s.api.SnatchPickup(ctx, s.agentID, &params)
	})
	return err
}

// CallDetails describes a call that reached the agent.
type CallDetails struct {
	CallID string
	Caller string
	Called string
	// SkillName is set when AgentEvent_Incoming_CallInfo came before
	// AgentEvent_Talking.
	SkillName string
}

// PickupError is a pickup the gateway accepted that did not connect, or
// whose wait ended first.
type PickupError struct {
	DestWorkNo int
	Call       CallDetails // what was learnt before the failure
	LastEvent  string      // the last event seen, "" if none
	Err        error       // ErrPickupFailed, or the context's error
}

// Error says which pickup failed, how far it got, and why.
func (e *PickupError) Error() string {
	s := "agentgateway: pickup of the call ringing at agent " + strconv.Itoa(e.DestWorkNo)
	if e.Call.CallID != "" {
		s += " (call " + e.Call.CallID + ")"
	}
	if e.LastEvent != "" {
		s += " after " + e.LastEvent
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns ErrPickupFailed, ErrNotPolling or the context's error.
func (e *PickupError) Unwrap() error { return e.Err }

// PickUp snatches the call ringing at destWorkNo (see SnatchPickup) and
// waits, under ctx, until it is connected to this agent: it returns when
// AgentEvent_Talking arrives, with the details gathered from
// AgentOther_PhoneAlerting, AgentEvent_Incoming_CallInfo and
// AgentEvent_Talking.
//
// A Poll must be running on the session, or, in push mode, pushed events
// must reach Deliver (else ErrNotPolling, before any request). A retcode error from the snatch comes back as *APIError; a
// release of the call before it connects, the end of the Poll, or the end
// of ctx, as *PickupError. If the agent signed in with ManualAnswer, its phone must
// be answered for the wait to end.
//
//	PUT /agentgateway/resource/voicecall/{agentid}/snatchpickup?destWorkNo={destWorkNo}
func (s *Session) PickUp(ctx context.Context, destWorkNo int) (CallDetails, error) {
	if err := s.c.checkAgentID("destWorkNo", destWorkNo); err != nil {
		return CallDetails{}, err
	}
	// Subscribe first: the first event may come back before the PUT's reply.
	sub, err := s.subscribe()
	if err != nil {
		return CallDetails{}, err
	}
	defer s.unsubscribe(sub)
	if err := s.snatch(ctx, destWorkNo); err != nil {
		return CallDetails{}, err
	}

	var (
		call     CallDetails
		alerting bool
		last     string
	)
	fail := func(err error) (CallDetails, error) {
		x := s.secrets("", nil, nil, nil) // the event text is the gateway's
		c := CallDetails{x.field(call.CallID), x.field(call.Caller), x.field(call.Called), x.field(call.SkillName)}
		return CallDetails{}, &PickupError{DestWorkNo: destWorkNo, Call: c, LastEvent: x.field(last), Err: err}
	}
	for {
		var ev Event
		select {
		case ev = <-sub.ch:
		case <-ctx.Done():
			return fail(ctx.Err())
		case <-sub.pollDone:
			return fail(fmt.Errorf("%w: the poll ended while waiting", ErrNotPolling))
		}
		v, err := ev.Decode()
		if err != nil {
			continue // an odd event must not end the wait; its raw form reached Poll's handler
		}
		switch c := v.(type) {
		case *PhoneAlerting:
			alerting = true
			call.merge(string(c.CallID), string(c.Caller), string(c.Called))
		case *IncomingCallInfo:
			call.merge(string(c.CallID), string(c.Caller), string(c.Called))
			call.SkillName = c.SkillName
		case *Talking:
			last = ev.Type
			call.merge(string(c.CallID), string(c.Caller), string(c.Called))
			return call, nil
		}
		switch ev.Type {
		case EventPhoneRelease, EventCallRelease, EventCustomerRelease, EventNoAnswer:
			// A release still queued from an earlier call may precede the
			// pickup's own events; only one after PhoneAlerting counts.
			if alerting {
				last = ev.Type
				return fail(fmt.Errorf("%w: %s", ErrPickupFailed, ev.Type))
			}
		}
		last = ev.Type
	}
}

// merge takes the non-empty values; an event lacking a field keeps the one
// an earlier event gave.
func (c *CallDetails) merge(callID, caller, called string) {
	if callID != "" {
		c.CallID = callID
	}
	if caller != "" {
		c.Caller = caller
	}
	if called != "" {
		c.Called = called
	}
}
