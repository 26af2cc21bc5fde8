package wrapper

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/segmentio/encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// Event is one agent event, the spec's Event model. Decode gives its
// content as the generated model the spec names for its type.
type Event struct{ generated.Event }

// Agent is the workNo the event is for, or "" when the gateway left it out.
func (e Event) Agent() string {
	if e.WorkNo == nil {
		return ""
	}
	return string(*e.WorkNo)
}

// Decode returns the content as a pointer to the generated model whose
// schema lists the event's type in x-event-types (*generated.TalkingContent
// for AgentEvent_Talking, ...). For a type the spec does not model, and for
// null content, it returns nil and no error; Content keeps the raw bytes.
// Content nested deeper than a reply may be is a *ReplyError.
func (e Event) Decode() (any, error) {
	v := newContent(e.EventType)
	if v == nil || isNull(e.Content) {
		return nil, nil
	}
	if tooDeep(e.Content) {
		return nil, &ReplyError{Reason: redact.Clip(e.EventType, 64) + " content: " + depthReason,
			Body: redact.Forms(nil).Body(e.Content)}
	}
	if err := json.Unmarshal(e.Content, v); err != nil {
		return nil, fmt.Errorf("agentgateway: %s content: %w", e.EventType, err)
	}
	return v, nil
}

// CallID returns the call the event names, whatever its documented shape:
// the content itself when it is a string (AgentEvent_Hold, _Call_Release,
// ...), else its callid or callId field; "" when it names none.
func (e Event) CallID() string {
	c := bytes.TrimSpace(e.Content)
	if len(c) == 0 || tooDeep(c) {
		return ""
	}
	var id struct {
		CallID generated.FlexString `json:"callid"` // matches callId too: keys match regardless of case
	}
	var err error
	switch c[0] {
	case '"':
		err = json.Unmarshal(c, &id.CallID)
	case '{':
		err = json.Unmarshal(c, &id)
	}
	if err != nil {
		return ""
	}
	return string(id.CallID)
}

// DecodeEventReply decodes one event-poll reply body: its events, or the
// *APIError its retcode stands for. It is for events relayed from
// elsewhere; a poll uses Reply.Events.
func DecodeEventReply(body []byte) ([]Event, error) {
	r := wireReply{call: replyOwner{Op: "PollEvent"}, status: 200, body: bytes.NewBuffer(body)}
	return r.Events(nil)
}

// Events decodes an event-poll reply, appending its events to dst, or
// returns the error it stands for, as Envelope does.
func (r *wireReply) Events(dst []Event) ([]Event, error) {
	if err := r.check(); err != nil {
		return dst, r.statusFirst(err)
	}
	var env struct {
		generated.EventEnvelope
		// EventType set, with no retcode, is a bare event: some of the
		// vendor's published examples print the event without its envelope.
		EventType *string `json:"eventType"`
	}
	err := json.Unmarshal(r.body.Bytes(), &env)
	raw := env.Event
	if err == nil && env.Retcode == "" && env.EventType != nil && r.ok() {
		raw, env.Retcode = r.body.Bytes(), generated.RetCodeSuccess
	}
	if err := r.judge(err, string(env.Retcode), deref(env.Message)); err != nil {
		return dst, err
	}
	dst, err = appendEvents(dst, raw)
	if err != nil {
		return dst, r.fail("malformed event", err)
	}
	return dst, nil
}

// ParsePush decodes the body the gateway POSTs in push mode,
// {"workNo": "...", "eventList": [...]}, sent with contentType (the
// request's Content-Type; "" is accepted, as some gateway builds send
// none). Events without their own workNo take the body's. What it cannot
// read is a *ReplyError of Op "PushEvents" and no HTTP status: a content
// type other than UTF-8 JSON (its ContentType then set), a body not UTF-8,
// nested too deep or malformed.
func ParsePush(contentType string, body []byte) ([]Event, error) {
	fail := func(reason string, err error) ([]Event, error) {
		return nil, &ReplyError{Op: "PushEvents", Reason: reason, Body: redact.Forms(nil).Body(body), Err: err}
	}
	if reason := contentTypeProblem(contentType); reason != "" {
		return nil, &ReplyError{Op: "PushEvents", ContentType: redact.Clip(contentType, 64), Reason: reason}
	}
	switch {
	case !utf8.Valid(body):
		return fail("body is not UTF-8", nil)
	case tooDeep(body):
		return fail(depthReason, nil)
	}
	var list struct {
		generated.PushEventList
		EventList json.RawMessage `json:"eventList"` // checked by appendEvents
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return fail("malformed JSON body", err)
	}
	if !bytes.HasPrefix(bytes.TrimSpace(list.EventList), []byte("[")) {
		return fail("eventList is not an array", nil)
	}
	events, err := appendEvents(nil, list.EventList)
	if err != nil {
		return fail("malformed event", err)
	}
	for i := range events {
		if events[i].WorkNo == nil {
			events[i].WorkNo = &list.WorkNo
		}
	}
	return events, nil
}

var errNoEventType = errors.New("an event without eventType")

// appendEvents decodes the event member: one object (per-agent poll), an
// array (all-agent poll and push), or nothing. null, "" and {} are "no
// event", as the vendor's demo treats them.
func appendEvents(dst []Event, raw json.RawMessage) ([]Event, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case isNull(raw) || string(raw) == `""`:
		return dst, nil
	case raw[0] == '[':
		var list []generated.Event
		if err := json.Unmarshal(raw, &list); err != nil {
			return dst, err
		}
		for _, ev := range list {
			if ev.EventType == "" {
				return dst, errNoEventType
			}
			dst = append(dst, Event{ev})
		}
		return dst, nil
	case raw[0] == '{':
		var ev generated.Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			return dst, err
		}
		if ev.EventType == "" {
			if ev.WorkNo == nil && isNull(ev.Content) {
				return dst, nil
			}
			return dst, errNoEventType
		}
		return append(dst, Event{ev}), nil
	}
	return dst, errors.New("event is neither an object nor an array")
}

// isNull reports whether b is empty or JSON null.
func isNull(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}
