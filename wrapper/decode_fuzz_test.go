package wrapper

import (
	"bytes"
	"encoding/json"
	"regexp"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// The fuzz targets check the hand-written decoders against encoding/json
// and the validators against the spec's patterns. Seeds live in
// testdata/fuzz; run one for longer with, e.g.:
//
//	go test -run '^$' -fuzz FuzzParseEventEnvelope -fuzztime 5m ./wrapper/

var envelopeSeeds = []string{
	`{"result":{},"message":"success","retcode":"0"}`,
	`{"message":"agent not login","retcode":"100-006","result":""}`,
	`{"retcode":"0","result":null}`,
	`{"RETCODE":"0","Message":"\u00e9\"x","result":[1,{"a":"]"}]}`,
	`{"retcode":"0","retcode":"1"}`,
	`null`, `[]`, `"x"`, `{"retcode":0}`, `{"retcode":"0"`, `{"\u0072etcode":"0"}`,
	` { "retcode" : "0" , "result" : { "guid" : "a.b" } } `,
}

var eventSeeds = []string{
	`{"message":"","retcode":"0","event":{"eventType":"AgentOther_InService","workNo":"291","content":null}}`,
	`{"message":"","retcode":"0"}`,
	`{"retcode":"0","event":null}`, `{"retcode":"0","event":""}`, `{"retcode":"0","event":{}}`,
	`{"retcode":"0","event":[{"eventType":"A","workNo":1,"content":"x"},{"eventType":"B","content":{"k":[1,2]}}]}`,
	`{"retcode":"0","event":[]}`, `{"retcode":"0","event":[null]}`, `{"retcode":"0","event":42}`,
	`{"retcode":"0","event":{"workNo":"1"}}`, `{"retcode":"0","event":{"eventType":null}}`,
	`{"retcode":"0","event":5,"event":{"eventType":"X"}}`,
	`{"retcode":"0","event":{"EVENTTYPE":"X","workno":-1.5e3,"content":{"callid":"1-2"}}}`,
	`{"retcode":"100-006","message":"x"}`,
	`{"retcode":"0","event":{"eventType":"AgentEvent_Talking","workNo":"1","content":{"caller":"1","callid":"a\u0000b"}}}`,
}

func FuzzParseEnvelope(f *testing.F) {
	for _, s := range envelopeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !utf8.Valid(body) {
			return // rawReply.check rejects these before parsing
		}
		got := envelope{RetCode: noRetCode}
		gotErr := parseEnvelope(body, &got)
		want := envelope{RetCode: noRetCode}
		wantErr := json.Unmarshal(body, &want)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: error %v, encoding/json %v", body, gotErr, wantErr)
		}
		if gotErr == nil {
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("%q: (-encoding/json +ours)\n%s", body, diff)
			}
		}
	})
}

// refEventEnvelope is the reference: encoding/json plus the shape rules.
func refEventEnvelope(body []byte) (string, string, []Event, error) {
	var env struct {
		Message string          `json:"message"`
		RetCode string          `json:"retcode"`
		Event   json.RawMessage `json:"event"`
	}
	env.RetCode = noRetCode
	if err := json.Unmarshal(body, &env); err != nil {
		return "", "", nil, err
	}
	raw := bytes.TrimSpace(env.Event)
	var out []Event
	switch {
	case raw == nil, string(raw) == "null", string(raw) == `""`:
	case raw[0] == '{':
		var ev wireEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			return "", "", nil, err
		}
		if ev.Type == "" && !ev.isEmpty() {
			return "", "", nil, errNoType
		}
		if ev.Type != "" {
			out = append(out, ev.event())
		}
	case raw[0] == '[':
		var evs []wireEvent
		if err := json.Unmarshal(raw, &evs); err != nil {
			return "", "", nil, err
		}
		for _, ev := range evs {
			if ev.Type == "" {
				return "", "", nil, errNoType
			}
			out = append(out, ev.event())
		}
	default:
		return "", "", nil, errEventShape
	}
	return env.RetCode, env.Message, out, nil
}

func FuzzParseEventEnvelope(f *testing.F) {
	for _, s := range eventSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !utf8.Valid(body) {
			return // rawReply.check rejects these before parsing
		}
		env := eventEnvelope{RetCode: noRetCode}
		gotErr := parseEventEnvelope(body, &env)
		code, msg, events, wantErr := refEventEnvelope(body)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%q: error %v, reference %v", body, gotErr, wantErr)
		}
		if gotErr != nil {
			return
		}
		got := env.Event.appendTo(nil)
		if diff := cmp.Diff([]any{code, msg, events}, []any{env.RetCode, env.Message, got}); diff != "" {
			t.Fatalf("%q: (-reference +ours)\n%s", body, diff)
		}
		for _, ev := range got {
			_, _ = ev.Decode() // typed decoding must not panic either
		}
	})
}

// FuzzDecodeEventReply runs the whole public path: reply checks, envelope,
// events and typed content. It must never panic, and must either return
// events or an error of the documented types.
func FuzzDecodeEventReply(f *testing.F) {
	for _, s := range eventSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte("\xc4\xe3\xba\xc3"))
	f.Fuzz(func(t *testing.T, body []byte) {
		evs, err := DecodeEventReply(body)
		if err != nil {
			switch err.(type) {
			case *ReplyError, *APIError:
			default:
				t.Fatalf("%q: untyped error %T %v", body, err, err)
			}
			if re, ok := err.(*ReplyError); ok && len(re.Body) > maxErrorBody {
				t.Fatalf("error body not bounded: %d", len(re.Body))
			}
			return
		}
		for _, ev := range evs {
			if ev.Type == "" {
				t.Fatalf("%q: event without type", body)
			}
			_, _ = ev.Decode()
		}
	})
}

// Patterns copied from openapi/agentgateway.yaml; TestValidatorPatternsMatchSpec
// (package openapi) keeps them in step with the document.
var (
	dialPattern       = regexp.MustCompile(`^[0-9*#]{1,24}$`)
	legacyDialPattern = regexp.MustCompile(`^[0-9,%*]{1,24}$`)
	digitsPattern     = regexp.MustCompile(`^[0-9]{1,24}$`)
	phonePattern      = regexp.MustCompile(`^[0-9]{1,24}$`)
)

func FuzzValidators(f *testing.F) {
	for _, s := range []string{"", "0", "123*#", "12a", "*#*#", "1,2%3*", "０１２", "1\x00", "1234567890123456789012345"} {
		f.Add(s, 20001)
	}
	c := &Client{cfg: config{minID: DefaultMinAgentID, maxID: DefaultMaxAgentID}}
	f.Fuzz(func(t *testing.T, s string, id int) {
		check := func(name string, err error, want bool) {
			if (err == nil) != want {
				t.Fatalf("%s(%q) = %v, pattern says valid=%v", name, s, err, want)
			}
			if err != nil && len(err.Error()) > 300 {
				t.Fatalf("%s: unbounded error text", name)
			}
		}
		check("dial", checkDialString("number", s), dialPattern.MatchString(s))
		check("legacy", checkChars("number", s, 1, 24, isLegacyDialChar, "x"), legacyDialPattern.MatchString(s))
		check("digits", checkDigits("number", s, 1, 24), digitsPattern.MatchString(s))
		check("phone", checkDigits("phonenum", s, 1, 24), phonePattern.MatchString(s))
		check("agentid", c.checkAgentID("agentid", id), id >= 101 && id <= 59999)
		if err := checkCallID("callid", s); err == nil && (s == "" || bytes.ContainsAny([]byte(s), "/?#% \n")) {
			t.Fatalf("call ID %q accepted", s)
		}
	})
}

// FuzzParsePush: a pushed body gives typed events or an error, never a
// panic, whatever the gateway (or anyone who can reach the callback) sends.
func FuzzParsePush(f *testing.F) {
	for _, s := range []string{
		`{"workNo":"20001","eventList":[{"eventType":"AgentEvent_Ringing","content":{"callid":"1-1"}}]}`,
		`{"workNo":1,"eventList":[]}`, `{"eventList":null}`, `{"eventList":{}}`, `{"workNo":"1"}`,
		`{"eventList":[{"eventType":"A","workNo":"2"},{"eventType":"B"}]}`, `[]`, `null`, "\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := parsePush(body)
		if err != nil {
			return
		}
		for _, ev := range events {
			if ev.Type == "" {
				t.Fatalf("%q: event without type", body)
			}
			_, _ = ev.Decode()
		}
	})
}
