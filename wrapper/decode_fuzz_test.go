package wrapper

import (
	stdjson "encoding/json"
	"regexp"
	"unicode/utf8"

	"testing"

	"github.com/segmentio/encoding/json"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/openapi"
)

// The fuzz targets check that no reply, however malformed, panics the
// decoders or escapes the typed errors, and that the generated checks
// agree with the spec's own patterns. Seeds live in testdata/fuzz; run one
// for longer with, e.g.:
//
//	go test -run '^$' -fuzz FuzzDecodeEventReply -fuzztime 2000000x ./wrapper/

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
			re, isReply := err.(*ReplyError)
			_, isAPI := err.(*APIError)
			require.True(t, isReply || isAPI, "%q: untyped error %T %v", body, err, err)
			if isReply {
				require.LessOrEqual(t, len(re.Body), maxErrorBody, "error body not bounded")
			}
			return
		}
		for _, ev := range evs {
			require.NotEmpty(t, ev.EventType, "%q: event without type", body)
			_, _ = ev.Decode()
		}
	})
}

// specPattern returns the pattern the spec gives a parameter.
func specPattern(t testing.TB, path, method, param string) *regexp.Regexp {
	spec, err := openapi.Load()
	require.NoError(t, err)
	op := spec.Paths.Find(path).GetOperation(method)
	require.NotNil(t, op, path)
	p := op.Parameters.GetByInAndName("query", param)
	if p == nil {
		p = op.Parameters.GetByInAndName("path", param)
	}
	require.NotNil(t, p, param)
	return regexp.MustCompile(p.Schema.Value.Pattern)
}

// FuzzValidators: the generated checks accept exactly what the spec's
// patterns and bounds accept.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"", "0", "123*#", "12a", "*#*#", "1,2%3*", "０１２", "1\x00", "1234567890123456789012345"} {
		f.Add(s, 20001)
	}
	dial := specPattern(f, "/voicecall/{agentid}/seconddialex", "POST", "number")
	legacy := specPattern(f, "/voicecall/{agentid}/seconddial/{number}", "POST", "number")
	digits := specPattern(f, "/voicecall/{agentid}/disconnect/{number}", "POST", "number")
	c := &Client{cfg: config{minID: DefaultMinAgentID, maxID: DefaultMaxAgentID}}
	f.Fuzz(func(t *testing.T, s string, id int) {
		check := func(name string, err error, want bool) {
			if want {
				require.NoError(t, err, "%s(%q): the spec says valid", name, s)
				return
			}
			require.Error(t, err, "%s(%q): the spec says invalid", name, s)
			require.LessOrEqual(t, len(err.Error()), 300, "%s: unbounded error text", name)
		}
		check("seconddialex", c.checkSecondDialEx(&generated.SecondDialExParams{Number: s}), dial.MatchString(s))
		check("seconddial", c.checkSecondDial(s), legacy.MatchString(s))
		check("disconnect", c.checkDisconnect(s), digits.MatchString(s))
		check("snatchpickup", c.checkSnatchPickup(&generated.SnatchPickupParams{DestWorkNo: id}), id >= 101 && id <= 59999)
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
			require.NotEmpty(t, ev.EventType, "%q: event without type", body)
			_, _ = ev.Decode()
		}
	})
}

// FuzzDecoderMatchesStdlib: the reply decoder (segmentio's encoding/json,
// for speed) reads every UTF-8 body into the generated models exactly as
// the standard library does, or both refuse it.
func FuzzDecoderMatchesStdlib(f *testing.F) {
	for _, s := range eventSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !utf8.Valid(body) {
			return // rawReply.check refuses these before any decoding
		}
		var fast, std generated.EventEnvelope
		fastErr, stdErr := json.Unmarshal(body, &fast), stdjson.Unmarshal(body, &std)
		require.Equal(t, stdErr == nil, fastErr == nil, "%q: segmentio %v, stdlib %v", body, fastErr, stdErr)
		if fastErr == nil {
			require.Equal(t, std, fast, "%q: segmentio and stdlib differ", body)
		}
		var fe, se generated.Event
		fastErr, stdErr = json.Unmarshal(body, &fe), stdjson.Unmarshal(body, &se)
		require.Equal(t, stdErr == nil, fastErr == nil, "%q: event: segmentio %v, stdlib %v", body, fastErr, stdErr)
		if fastErr == nil {
			require.Equal(t, se, fe, "%q: event: segmentio and stdlib differ", body)
		}
	})
}
