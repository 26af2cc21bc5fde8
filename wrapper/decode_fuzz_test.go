package wrapper

import (
	stdjson "encoding/json"
	"errors"
	"unicode/utf8"

	"testing"

	"github.com/segmentio/encoding/json"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// The fuzz targets check that no reply, however malformed, panics the
// decoders or escapes the typed errors, and that the generated checks
// agree with the spec's own patterns. Seeds live in testdata/fuzz; run one
// for longer with, e.g.:
//
//	go test -run '^$' -fuzz FuzzDecodeEventReply -fuzztime 2000000x ./reply/

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
	for _, s := range depthSeeds {
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
				require.LessOrEqual(t, len(re.Body), redact.MaxBody, "error body not bounded")
			}
			return
		}
		require.False(t, tooDeep(body), "%q: too deep, yet decoded", body)
		for _, ev := range evs {
			require.NotEmpty(t, ev.EventType, "%q: event without type", body)
			_, _ = ev.Decode()
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
	for _, s := range depthSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := ParsePush("application/json", body)
		if err != nil {
			re, ok := err.(*ReplyError)
			require.True(t, ok, "%q: untyped error %T %v", body, err, err)
			require.LessOrEqual(t, len(re.Body), redact.MaxBody, "error body not bounded")
			if utf8.Valid(body) && tooDeep(body) {
				require.Equal(t, depthReason, re.Reason, "%q", body)
			}
			return
		}
		require.False(t, tooDeep(body), "%q: too deep, yet decoded", body)
		for _, ev := range events {
			require.NotEmpty(t, ev.EventType, "%q: event without type", body)
			_, _ = ev.Decode()
		}
	})
}

// FuzzDecoderMatchesStdlib: the reply decoder (segmentio's encoding/json,
// for speed, behind the depth pre-scan) reads every UTF-8 body into the
// generated models exactly as the standard library does, or both refuse it.
func FuzzDecoderMatchesStdlib(f *testing.F) {
	for _, s := range append(eventSeeds, depthSeeds...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !utf8.Valid(body) {
			return // Reply.check refuses these before any decoding
		}
		unmarshal := func(b []byte, v any) error { // as Reply.check, then a decode
			if tooDeep(b) {
				return errors.New(depthReason)
			}
			return json.Unmarshal(b, v)
		}
		var fast, std generated.EventEnvelope
		fastErr, stdErr := unmarshal(body, &fast), stdjson.Unmarshal(body, &std)
		require.Equal(t, stdErr == nil, fastErr == nil, "%q: segmentio %v, stdlib %v", body, fastErr, stdErr)
		if fastErr == nil {
			require.Equal(t, std, fast, "%q: segmentio and stdlib differ", body)
		}
		var fe, se generated.Event
		fastErr, stdErr = unmarshal(body, &fe), stdjson.Unmarshal(body, &se)
		require.Equal(t, stdErr == nil, fastErr == nil, "%q: event: segmentio %v, stdlib %v", body, fastErr, stdErr)
		if fastErr == nil {
			require.Equal(t, se, fe, "%q: event: segmentio and stdlib differ", body)
		}
	})
}
