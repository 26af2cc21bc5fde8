package wire

import (
	stdjson "encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// nested wraps inner in n arrays, or n objects.
func nested(n int, inner string, object bool) string {
	if object {
		return strings.Repeat(`{"k":`, n) + inner + strings.Repeat("}", n)
	}
	return strings.Repeat("[", n) + inner + strings.Repeat("]", n)
}

// FuzzDepthMatchesStdlib: the pre-scan refuses what encoding/json refuses
// for depth, and nothing it accepts. inner is nested levels deep, in
// arrays or objects, so that the fuzzer reaches the limit.
func FuzzDepthMatchesStdlib(f *testing.F) {
	for _, s := range []string{`1`, `[]`, `{"a":[{}]}`, `"[[{"`, `"\"[["`, `]]]]`, `[[[[`, `"\\"[`, `{"a":"\u005b"}`} {
		f.Add([]byte(s), uint16(MaxDepth-1), false)
		f.Add([]byte(s), uint16(MaxDepth), true)
	}
	f.Fuzz(func(t *testing.T, inner []byte, levels uint16, object bool) {
		body := []byte(nested(int(levels)%(MaxDepth+8), string(inner), object))
		deep := TooDeep(body)
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
// decoding it (wrapper's BenchmarkDecodeEventReply).
func BenchmarkDepthScan(b *testing.B) {
	body := []byte(typicalPoll)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if TooDeep(body) {
			b.Fatal("too deep")
		}
	}
}

const typicalPoll = `{"message":"","retcode":"0","event":{"eventType":"AgentEvent_Talking","workNo":"20001",` +
	`"content":{"caller":"13800000000","called":"88001","callid":"1700000000-1","feature":"0",` +
	`"mediaAbility":"1","type":"main","partner":"","trunkNo":"","callSkill":"voice","callSkillId":1}}}`

func TestTooDeep(t *testing.T) {
	for body, want := range map[string]bool{
		nested(MaxDepth, "", false):                            false,
		nested(MaxDepth+1, "", false):                          true,
		nested(MaxDepth, `"[{\"[\\"`, true):                    false, // brackets in strings, escaped quotes and backslashes
		nested(MaxDepth, `"\\"`+"[", false):                    true,  // the string ends before the bracket
		strings.Repeat("]", 5) + nested(MaxDepth+1, "", false): true,  // a stray closer gives no credit
		`"` + strings.Repeat("[", MaxDepth+1):                  false, // an unterminated string: the decoder refuses it
	} {
		require.Equal(t, want, TooDeep([]byte(body)), "%.40q", body)
	}
}
