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
