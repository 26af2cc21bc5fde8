package wrapper

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// A small decoder for the two reply envelopes. encoding/json scans every
// nested RawMessage again and allocates for each reflected field; this
// validates the body once with json.Valid and then walks it directly, which
// makes decoding a typical event about three times cheaper. FuzzDecode*
// checks it against an encoding/json reference.

var (
	errNotObject  = errors.New("reply is not a JSON object")
	errNotString  = errors.New("want a string")
	errEventShape = errors.New("event is neither an object nor an array")
	errNoType     = errors.New("event has no eventType")
)

// lexer walks JSON that json.Valid has accepted.
type lexer struct {
	b []byte
	i int
}

func (l *lexer) ws() {
	for l.i < len(l.b) {
		switch l.b[l.i] {
		case ' ', '\t', '\n', '\r':
			l.i++
		default:
			return
		}
	}
}

func (l *lexer) peek() byte {
	l.ws()
	return l.b[l.i]
}

// token skips one value and returns its bytes.
func (l *lexer) token() []byte {
	l.ws()
	start := l.i
	switch l.b[l.i] {
	case '"':
		l.i++
		for l.b[l.i] != '"' {
			if l.b[l.i] == '\\' {
				l.i++
			}
			l.i++
		}
		l.i++
	case '{', '[':
		depth := 0
		for {
			switch l.b[l.i] {
			case '"':
				l.token()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			l.i++
			if depth == 0 {
				break
			}
		}
	default: // number, true, false, null
		for l.i < len(l.b) {
			switch l.b[l.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return l.b[start:l.i]
			}
			l.i++
		}
	}
	return l.b[start:l.i]
}

// object calls field for each member of the object at the cursor; field
// must consume the value.
func (l *lexer) object(field func(key []byte) error) error {
	if l.peek() != '{' {
		return errNotObject
	}
	l.i++
	if l.peek() == '}' {
		l.i++
		return nil
	}
	for {
		key := l.token()
		if hasEscape(key) {
			var k string
			if err := json.Unmarshal(key, &k); err != nil {
				return err
			}
			key = []byte(`"` + k + `"`)
		}
		l.ws()
		l.i++ // ':'
		if err := field(key[1 : len(key)-1]); err != nil {
			return err
		}
		if l.peek() == ',' {
			l.i++
			continue
		}
		l.i++ // '}'
		return nil
	}
}

// keyIs matches a member name as encoding/json does: without regard to
// case (Unicode simple folding). name is lower-case ASCII.
func keyIs(key []byte, name string) bool {
	if len(key) != len(name) {
		for _, c := range key {
			if c >= utf8.RuneSelf {
				return bytes.EqualFold(key, []byte(name))
			}
		}
		return false
	}
	for i := 0; i < len(key); i++ {
		a := key[i]
		if a >= utf8.RuneSelf {
			return bytes.EqualFold(key, []byte(name))
		}
		if a >= 'A' && a <= 'Z' {
			a += 'a' - 'A'
		}
		if a != name[i] {
			return false
		}
	}
	return true
}

// str reads a string value; null leaves *dst alone, as encoding/json does.
func (l *lexer) str(dst *string) error {
	t := l.token()
	switch t[0] {
	case 'n':
		return nil
	case '"':
	default:
		return errNotString
	}
	if hasEscape(t) {
		return json.Unmarshal(t, dst) // escapes are rare: let encoding/json unquote
	}
	*dst = string(t[1 : len(t)-1])
	return nil
}

func hasEscape(quoted []byte) bool {
	for _, c := range quoted {
		if c == '\\' {
			return true
		}
	}
	return false
}

// syntaxError returns encoding/json's precise error for an invalid body.
func syntaxError(body []byte) error {
	var v struct{}
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return errNotObject
}

// raw copies the next value, as json.RawMessage does.
func (l *lexer) raw() json.RawMessage {
	t := l.token()
	out := make(json.RawMessage, len(t))
	copy(out, t)
	return out
}

// openBody validates body once and returns a lexer on it. isNull reports
// a JSON null, which decodes to nothing as in encoding/json. The lexer is
// returned by value so that decoding does not allocate it.
func openBody(body []byte) (l lexer, isNull bool, err error) {
	if !json.Valid(body) {
		return l, false, syntaxError(body)
	}
	l = lexer{b: body}
	return l, l.peek() == 'n', nil
}

// parseEnvelope decodes {"message","retcode","result"}; retcode stays
// noRetCode when absent or null. body must be valid UTF-8 (rawReply.check).
func parseEnvelope(body []byte, env *envelope) error {
	l, isNull, err := openBody(body)
	if err != nil || isNull {
		return err
	}
	return l.object(func(key []byte) error {
		switch {
		case keyIs(key, "retcode"):
			return l.str(&env.RetCode)
		case keyIs(key, "message"):
			return l.str(&env.Message)
		case keyIs(key, "result"):
			env.Result = l.raw()
		default:
			l.token()
		}
		return nil
	})
}

// parseEventEnvelope decodes {"message","retcode","event"}.
func parseEventEnvelope(body []byte, env *eventEnvelope) error {
	l, isNull, err := openBody(body)
	if err != nil || isNull {
		return err
	}
	var event []byte // the last "event" member wins, as in encoding/json
	err = l.object(func(key []byte) error {
		switch {
		case keyIs(key, "retcode"):
			return l.str(&env.RetCode)
		case keyIs(key, "message"):
			return l.str(&env.Message)
		case keyIs(key, "event"):
			event = l.token()
		default:
			l.token()
		}
		return nil
	})
	if err != nil || event == nil {
		return err
	}
	return (&lexer{b: event}).eventField(&env.Event)
}

func (l *lexer) eventField(f *eventField) error {
	*f = eventField{}
	switch l.peek() {
	case '{':
		if err := l.event(&f.one); err != nil {
			return err
		}
		if f.one.Type == "" {
			if f.one.isEmpty() {
				return nil
			}
			return errNoType
		}
		f.isOne = true
		return nil
	case '[':
		l.i++
		if l.peek() == ']' {
			l.i++
			return nil
		}
		for {
			var ev wireEvent
			if err := l.event(&ev); err != nil {
				return err
			}
			if ev.Type == "" {
				return errNoType
			}
			f.events = append(f.events, ev)
			if l.peek() == ',' {
				l.i++
				continue
			}
			l.i++ // ']'
			return nil
		}
	}
	t := l.token()
	if string(t) == "null" || string(t) == `""` {
		return nil
	}
	return errEventShape
}

func (l *lexer) event(ev *wireEvent) error {
	if l.peek() != '{' {
		return fmt.Errorf("event: %w", errNotObject)
	}
	return l.object(func(key []byte) error {
		switch {
		case keyIs(key, "eventtype"):
			t := l.token()
			if t[0] == '"' && !hasEscape(t) {
				ev.Type = internEventType(t[1 : len(t)-1])
				return nil
			}
			return (&lexer{b: t}).str(&ev.Type)
		case keyIs(key, "workno"):
			return ev.WorkNo.UnmarshalJSON(l.token())
		case keyIs(key, "content"):
			ev.Content = l.raw()
		default:
			l.token()
		}
		return nil
	})
}

// knownEventTypes lets decoding share one string per common event name.
var knownEventTypes = map[string]string{}

func init() {
	for _, t := range []string{
		EventPhoneAlerting, EventPhoneOffhook, EventPhoneRelease, EventRinging, EventTalking,
		EventIncomingCallInfo, EventRecord, EventCallRelease, EventCustomerRelease, EventNoAnswer,
		"AgentOther_InService", "AgentOther_ShutdownService", "AgentState_Ready", "AgentState_Busy",
		"AgentEvent_Customer_Alerting", "AgentEvent_Hold", "AgentEvent_Conference",
	} {
		knownEventTypes[t] = t
	}
}

func internEventType(t []byte) string {
	if known, ok := knownEventTypes[string(t)]; ok { // no allocation for the lookup
		return known
	}
	return string(t)
}
