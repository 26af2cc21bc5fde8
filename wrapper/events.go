package wrapper

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// Event types the wrapper decodes into typed content. The gateway sends
// many more; those arrive with their raw content only.
const (
	EventPhoneAlerting    = "AgentOther_PhoneAlerting"
	EventPhoneOffhook     = "AgentOther_PhoneOffhook"
	EventPhoneRelease     = "AgentOther_PhoneRelease"
	EventRinging          = "AgentEvent_Ringing"
	EventTalking          = "AgentEvent_Talking"
	EventIncomingCallInfo = "AgentEvent_Incoming_CallInfo"
	EventRecord           = "AgentMediaEvent_Record"
	EventCallRelease      = "AgentEvent_Call_Release"
	EventCustomerRelease  = "AgentEvent_Customer_Release"
	EventNoAnswer         = "AgentEvent_No_Answer"
)

// Event is one agent event from the poll.
type Event struct {
	Type    string          // eventType, e.g. "AgentEvent_Talking"
	WorkNo  string          // the agent the event is for
	Content json.RawMessage // content as sent: an object, a string, or null
}

// Typed event contents. Gateway builds disagree on some value types (a
// number here, a string there), so fields decode from either.

// PhoneAlerting is AgentOther_PhoneAlerting: the agent's own phone rings.
type PhoneAlerting struct {
	CallID FlexString `json:"callid"`
	Caller FlexString `json:"caller"`
	Called FlexString `json:"called"`
}

// PhoneOffhook is AgentOther_PhoneOffhook; Type is unknown, main or assistant.
type PhoneOffhook struct {
	Type string `json:"type"`
}

// PhoneRelease is AgentOther_PhoneRelease; PhoneState 2 is released by the
// agent, 3 by the platform.
type PhoneRelease struct {
	PhoneState FlexInt `json:"phoneState"`
}

// Ringing is AgentEvent_Ringing.
type Ringing struct {
	CallID       FlexString `json:"callid"`
	Caller       FlexString `json:"caller"`
	Called       FlexString `json:"called"`
	Type         string     `json:"type"`
	Feature      FlexString `json:"feature"`
	MediaAbility FlexString `json:"mediaAbility"`
	Transfer     FlexString `json:"transfer"`
	TransFrom    FlexString `json:"transfrom"`
}

// Talking is AgentEvent_Talking: the call is connected.
type Talking struct {
	CallID       FlexString `json:"callid"`
	Caller       FlexString `json:"caller"`
	Called       FlexString `json:"called"`
	Type         string     `json:"type"`
	Feature      FlexString `json:"feature"`
	MediaAbility FlexString `json:"mediaAbility"`
}

// IncomingCallInfo is AgentEvent_Incoming_CallInfo.
type IncomingCallInfo struct {
	CallID                    FlexString `json:"callId"`
	SkillName                 string     `json:"skillName"`
	SkillID                   FlexInt    `json:"skillId"`
	Caller                    FlexString `json:"caller"`
	Called                    FlexString `json:"called"`
	LastReleaseAgentID        FlexInt    `json:"lastReleaseAgentId"`
	MediaType                 FlexInt    `json:"mediaType"`
	ReleaseAndReQueueCount    FlexInt    `json:"releaseAndReQueueCount"`
	ReleaseAndReQueueCallFlag FlexInt    `json:"releaseAndReQueueCallFlag"`
}

// Record is AgentMediaEvent_Record: recording started.
type Record struct {
	TaskID        FlexInt    `json:"taskId"`
	CallID        FlexString `json:"callId"`
	Caller        FlexString `json:"caller"`
	Called        FlexString `json:"called"`
	LocationID    FlexString `json:"locationId"`
	RecordID      FlexString `json:"recordID"`
	FileName      string     `json:"fileName"`
	FileMediaType FlexString `json:"fileMediaType"`
}

// Decode returns the typed content of e: *PhoneAlerting, *PhoneOffhook,
// *PhoneRelease, *Ringing, *Talking, *IncomingCallInfo or *Record. For other
// types, and for null content, it returns nil and no error; e.Content keeps
// the raw bytes either way.
func (e Event) Decode() (any, error) {
	var v any
	switch e.Type {
	case EventPhoneAlerting:
		v = new(PhoneAlerting)
	case EventPhoneOffhook:
		v = new(PhoneOffhook)
	case EventPhoneRelease:
		v = new(PhoneRelease)
	case EventRinging:
		v = new(Ringing)
	case EventTalking:
		v = new(Talking)
	case EventIncomingCallInfo:
		v = new(IncomingCallInfo)
	case EventRecord:
		v = new(Record)
	default:
		return nil, nil
	}
	if isNull(e.Content) {
		return nil, nil
	}
	if err := json.Unmarshal(e.Content, v); err != nil {
		return nil, fmt.Errorf("agentgateway: %s content: %w", e.Type, err)
	}
	return v, nil
}

func isNull(b json.RawMessage) bool {
	b = bytes.TrimSpace(b)
	return len(b) == 0 || string(b) == "null"
}

// eventEnvelope is the poll reply, decoded in one pass.
type eventEnvelope struct {
	Message string     `json:"message"`
	RetCode string     `json:"retcode"`
	Event   eventField `json:"event"`
}

// eventField is the "event" member: one object (per-agent poll), an array
// (all-agents poll), or nothing. null, "" and {} are "no event", as the
// vendor demo treats them.
type eventField struct {
	events []wireEvent
	one    wireEvent
	isOne  bool
}

// appendTo adds the decoded events to dst.
func (f *eventField) appendTo(dst []Event) []Event {
	if f.isOne {
		return append(dst, f.one.event())
	}
	for _, ev := range f.events {
		dst = append(dst, ev.event())
	}
	return dst
}

type wireEvent struct {
	Type    string          `json:"eventType"`
	WorkNo  FlexString      `json:"workNo"`
	Content json.RawMessage `json:"content"`
}

func (w wireEvent) isEmpty() bool { return w.WorkNo == "" && isNull(w.Content) }

func (w wireEvent) event() Event {
	return Event{Type: w.Type, WorkNo: string(w.WorkNo), Content: w.Content}
}

// DecodeEventReply decodes one event-poll reply body: its events, or the
// *APIError its retcode stands for. It is what Poll uses; it is exported
// for push receivers and tests.
func DecodeEventReply(body []byte) ([]Event, error) {
	r := rawReply{op: "PollEvent", status: 200, body: bytes.NewBuffer(body)}
	return r.decodeEventReply(nil)
}

func (r *rawReply) decodeEventReply(dst []Event) ([]Event, error) {
	env := eventEnvelope{RetCode: noRetCode}
	if err := r.check(); err != nil {
		return dst, r.statusFirst(err)
	}
	err := parseEventEnvelope(r.body.Bytes(), &env)
	if err := r.judge(err, env.RetCode, env.Message); err != nil {
		return dst, err
	}
	return env.Event.appendTo(dst), nil
}

// FlexString decodes a JSON string, number, or null into a string.
type FlexString string

// UnmarshalJSON accepts "x", 12 and null.
func (s *FlexString) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0:
		return fmt.Errorf("empty value")
	case b[0] == '"':
		// json has already validated b; without escapes it is the text.
		if len(b) >= 2 && bytes.IndexByte(b, '\\') < 0 {
			*s = FlexString(b[1 : len(b)-1])
			return nil
		}
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = FlexString(v)
	case string(b) == "null":
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*s = FlexString(b)
	default:
		return fmt.Errorf("want a string or number, got %.20s", b)
	}
	return nil
}

// FlexInt decodes a JSON number, a numeric string, "" or null into an int64.
type FlexInt int64

// UnmarshalJSON accepts 12, "12", "" and null.
func (n *FlexInt) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("want an integer, got %.20s", b)
	}
	*n = FlexInt(v)
	return nil
}
