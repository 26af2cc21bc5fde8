package wrapper

import (
	"strconv"
)

// The bounds below mirror openapi/agentgateway.yaml; the generated code
// checks none of them, so they are enforced here before any I/O.

const maxCallAppData = 16 << 10 // "at most 16 KB", read as bytes

// ValidateAgentID reports whether id is in the client's agent ID range
// (101-59999 unless configured otherwise), as every call checks it.
func (c *Client) ValidateAgentID(id int) error { return c.checkAgentID("agentid", id) }

func (c *Client) checkAgentID(field string, id int) error {
	if id < c.cfg.minID || id > c.cfg.maxID {
		return &ValidationError{Field: field, Value: strconv.Itoa(id),
			Rule: "an agent ID " + strconv.Itoa(c.cfg.minID) + "-" + strconv.Itoa(c.cfg.maxID)}
	}
	return nil
}

// checkChars checks that v has minLen-maxLen bytes, all from allowed.
func checkChars(field, v string, minLen, maxLen int, allowed func(byte) bool, rule string) error {
	ok := len(v) >= minLen && len(v) <= maxLen
	for i := 0; ok && i < len(v); i++ {
		ok = allowed(v[i])
	}
	if !ok {
		return &ValidationError{Field: field, Value: strconv.Quote(shorten(v, 40)), Rule: rule}
	}
	return nil
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func isDialChar(b byte) bool { return isDigit(b) || b == '*' || b == '#' }

func isLegacyDialChar(b byte) bool { return isDigit(b) || b == ',' || b == '%' || b == '*' }

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !isDigit(b) && (b < 'a' || b > 'z') && (b < 'A' || b > 'Z') {
			return false
		}
	}
	return true
}

func checkDigits(field, v string, minLen, maxLen int) error {
	return checkChars(field, v, minLen, maxLen, isDigit,
		strconv.Itoa(minLen)+"-"+strconv.Itoa(maxLen)+" digits")
}

// checkDialString: 1-24 characters of 0-9, * and #.
func checkDialString(field, v string) error {
	return checkChars(field, v, 1, 24, isDialChar, "1-24 characters of 0-9 * #")
}

// checkCallID: call IDs are opaque but never empty, and must not smuggle
// path or control characters into the URL.
func checkCallID(field, v string) error {
	return checkChars(field, v, 1, 256, func(b byte) bool {
		return b > ' ' && b < 0x7f && b != '/' && b != '?' && b != '#' && b != '%'
	}, "a non-empty call ID of printable ASCII without / ? # %")
}

func checkCallAppData(v string) error {
	if len(v) > maxCallAppData {
		return &ValidationError{Field: "callappdata", Value: strconv.Itoa(len(v)) + " bytes", Rule: "at most 16384 bytes"}
	}
	return nil
}

func checkRange(field string, v, lo, hi int) error {
	if v < lo || v > hi {
		return &ValidationError{Field: field, Value: strconv.Itoa(v), Rule: strconv.Itoa(lo) + "-" + strconv.Itoa(hi)}
	}
	return nil
}
