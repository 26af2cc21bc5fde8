package wrapper

import (
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// The checks that operations.gen.go calls with the bounds the spec states.
// Nothing here knows a bound of its own: agwgen reads them from the spec.

// ValidateAgentID reports whether id is in the client's agent ID range
// (101-59999 unless configured otherwise), as every call checks it.
func (c *Client) ValidateAgentID(id int) error { return c.checkAgentID("agentid", id) }

// checkAgentID applies the client's range to an input the spec marks
// x-agent-id, so WithWideAgentIDs widens every such input at once.
func (c *Client) checkAgentID(field string, id int) error {
	if id < c.cfg.minID || id > c.cfg.maxID {
		return &ValidationError{Field: field, Value: strconv.Itoa(id),
			Rule: "an agent ID " + strconv.Itoa(c.cfg.minID) + "-" + strconv.Itoa(c.cfg.maxID)}
	}
	return nil
}

func checkRange(field string, v, lo, hi int64) error {
	if v < lo || v > hi {
		return &ValidationError{Field: field, Value: strconv.FormatInt(v, 10), Rule: bounds(lo, hi, "")}
	}
	return nil
}

// checkString applies minLength and maxLength (in characters, as JSON
// Schema counts them; maxLen < 0 for none) and pattern. A secret's value
// is never shown.
func checkString(field, v string, minLen, maxLen int, pattern *regexp.Regexp, secret bool) error {
	n := utf8.RuneCountInString(v)
	rule := ""
	switch {
	case n < minLen || (maxLen >= 0 && n > maxLen):
		rule = bounds(int64(minLen), limit(maxLen), " characters")
	case pattern != nil && !pattern.MatchString(v):
		rule = "matching " + pattern.String()
	default:
		return nil
	}
	value := strconv.Quote(redact.Clip(v, 40))
	if secret {
		value = "[withheld]"
	}
	return &ValidationError{Field: field, Value: value, Rule: rule}
}

func checkEnum[T int64 | string](field string, v T, allowed []T) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	var rule string
	for i, a := range allowed {
		if i > 0 {
			rule += ", "
		}
		rule += strconv.Quote(toString(a))
	}
	return &ValidationError{Field: field, Value: strconv.Quote(redact.Clip(toString(v), 40)), Rule: "one of " + rule}
}

func toString[T int64 | string](v T) string {
	switch x := any(v).(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	default:
		return x.(string)
	}
}

func checkItems(field string, n, minItems, maxItems int) error {
	if n < minItems || (maxItems >= 0 && n > maxItems) {
		return &ValidationError{Field: field, Value: strconv.Itoa(n) + " items", Rule: bounds(int64(minItems), limit(maxItems), " items")}
	}
	return nil
}

// limit turns the generated "no maximum" (-1) into bounds' unbounded.
func limit(n int) int64 {
	if n < 0 {
		return 1<<63 - 1
	}
	return int64(n)
}

// bounds renders a range; a bound at its type's limit is left out.
func bounds(lo, hi int64, unit string) string {
	switch {
	case hi == 1<<63-1:
		return "at least " + strconv.FormatInt(lo, 10) + unit
	case lo == -1<<63 || (lo == 0 && unit != ""):
		return "at most " + strconv.FormatInt(hi, 10) + unit
	}
	return strconv.FormatInt(lo, 10) + "-" + strconv.FormatInt(hi, 10) + unit
}

// Used by generated code as soon as the spec has a bounded array; kept so
// that such a spec change needs no edit here.
var _ = checkItems
