package wrapper

import (
	stdjson "encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzDepthMatchesStdlib: the pre-scan refuses what encoding/json refuses
// for depth, and nothing it accepts. inner is nested levels deep, in
// arrays or objects, so that the fuzzer reaches the limit.
func FuzzDepthMatchesStdlib(f *testing.F) {
	for _, s := range []string{`1`, `[]`, `{"a":[{}]}`, `"[[{"`, `"\"[["`, `]]]]`, `[[[[`, `"\\"[`, `{"a":"\u005b"}`} {
		f.Add([]byte(s), uint16(maxDepth-1), false)
		f.Add([]byte(s), uint16(maxDepth), true)
	}
	f.Fuzz(func(t *testing.T, inner []byte, levels uint16, object bool) {
		body := []byte(nest(int(levels)%(maxDepth+8), string(inner), object))
		deep := tooDeep(body)
		if stdjson.Valid(body) {
			require.False(t, deep, "%q: valid for encoding/json, too deep for the pre-scan", inner)
		}
		var v any
		if err := stdjson.Unmarshal(body, &v); err != nil && strings.Contains(err.Error(), "exceeded max depth") {
			require.True(t, deep, "%q at %d levels: too deep for encoding/json, not for the pre-scan", inner, levels)
		}
	})
}

// BenchmarkDepthScan: the pre-scan's cost on a typical poll reply, next to
// decoding it (BenchmarkDecodeEventReply).
func BenchmarkDepthScan(b *testing.B) {
	body := []byte(typicalPoll)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if tooDeep(body) {
			b.Fatal("too deep")
		}
	}
}

func TestTooDeep(t *testing.T) {
	for body, want := range map[string]bool{
		nest(maxDepth, "", false):                            false,
		nest(maxDepth+1, "", false):                          true,
		nest(maxDepth, `"[{\"[\\"`, true):                    false, // brackets in strings, escaped quotes and backslashes
		nest(maxDepth, `"\\"`+"[", false):                    true,  // the string ends before the bracket
		strings.Repeat("]", 5) + nest(maxDepth+1, "", false): true,  // a stray closer gives no credit
		`"` + strings.Repeat("[", maxDepth+1):                false, // an unterminated string: the decoder refuses it
	} {
		require.Equal(t, want, tooDeep([]byte(body)), "%.40q", body)
	}
}

// depthSeeds are bodies at the depth limit and one level past it.
var depthSeeds = []string{
	`{"retcode":"0","result":` + nest(maxDepth-1, "1", false) + `}`,
	`{"retcode":"0","result":` + nest(maxDepth, "1", true) + `}`,
	`{"retcode":"0","event":{"eventType":"X","content":` + nest(maxDepth-1, `"\"]"`, false) + `}}`,
	`{"workNo":"1","eventList":[{"eventType":"X","content":` + nest(maxDepth-3, "null", true) + `}]}`,
	`{"workNo":"1","eventList":[{"eventType":"X","content":` + nest(maxDepth-2, "null", false) + `}]}`,
	nest(maxDepth+1, "", false),
}

func BenchmarkDecodeEventReply(b *testing.B) {
	body := []byte(typicalPoll)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := DecodeEventReply(body); err != nil {
			b.Fatal(err)
		}
	}
}

// typicalPoll is a poll reply with one Talking event, as a gateway sends it.
const typicalPoll = `{"message":"","retcode":"0","event":{"eventType":"AgentEvent_Talking","workNo":"20001",` +
	`"content":{"caller":"13800000000","called":"88001","callid":"1700000000-1","feature":"0",` +
	`"mediaAbility":"1","type":"main","partner":"","trunkNo":"","callSkill":"voice","callSkillId":1}}}`
