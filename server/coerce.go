package server

import (
	"encoding/json"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// coerceString converts s the way the vendor's server stack (JAX-RS with
// Jackson's defaults) reads a string where the schema wants another kind:
// for an integer, a string of digits becomes that integer; for a number, a
// JSON number in a string becomes the number; for a boolean, "true" or
// "false" becomes the boolean. Anything else is left as sent and fails the
// type rule, naming its field.
func coerceString(kind, s string) (any, bool) {
	switch kind {
	case openapi3.TypeInteger:
		if isDigits(s) {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return json.Number(strconv.FormatInt(n, 10)), true
			}
		}
	case openapi3.TypeNumber:
		var n json.Number
		if s != "" && json.Unmarshal([]byte(s), &n) == nil && string(n) == s {
			return n, true
		}
	case openapi3.TypeBoolean:
		switch s {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return nil, false
}

// isDigits reports whether s is an optional minus sign and decimal digits.
func isDigits(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
