package wrapper

import (
	"bytes"
	"strconv"
)

// maxDepth is how deeply a body may nest arrays and objects: the standard
// library's limit. The decoder in use has none and recurses once per level
// (about 400 bytes of stack each), so a deeper body is refused unread.
const maxDepth = 10000

// depthReason says why a body nested deeper is refused.
var depthReason = "JSON nested deeper than " + strconv.Itoa(maxDepth) + " levels"

// tooDeep reports whether b nests arrays and objects deeper than maxDepth.
// It counts brackets outside strings in one pass, without recursion or
// allocation. In valid JSON the count is the nesting depth; the decoder
// stops at the first invalid byte, so it never nests deeper than the count
// of the bytes before it.
func tooDeep(b []byte) bool {
	depth := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			i = stringEnd(b, i+1)
		case '[', '{':
			if depth++; depth > maxDepth {
				return true
			}
		case ']', '}':
			if depth > 0 { // a stray closer gives no credit
				depth--
			}
		}
	}
	return false
}

// stringEnd returns the index of the quote that ends the string starting
// at b[i], or len(b): a quote after an odd run of backslashes is escaped.
func stringEnd(b []byte, i int) int {
	for {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return len(b)
		}
		i += q
		n := 0
		for n < i && b[i-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return i
		}
		i++
	}
}
