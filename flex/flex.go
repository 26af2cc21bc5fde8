// Package flex holds JSON value types for event fields that gateway builds
// send with different JSON types: a call ID as "1455885056-1095" from one
// build and a bare number from another, a phone state as 3 or "3". The
// OpenAPI document names them with x-go-type, so the generated models
// decode every build's form; they marshal in the documented type.
package flex

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// String decodes a JSON string, number or null.
type String string

// UnmarshalJSON accepts "x", 12 and null (which leaves the value alone).
func (s *String) UnmarshalJSON(b []byte) error {
	switch {
	case len(b) == 0:
		return fmt.Errorf("flex.String: empty value")
	case b[0] == '"':
		if bytes.IndexByte(b, '\\') < 0 && len(b) >= 2 {
			*s = String(b[1 : len(b)-1]) // no escapes: the bytes are the text
			return nil
		}
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
	case string(b) == "null":
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		*s = String(b)
	default:
		return fmt.Errorf("flex.String: want a string or number, got %.20s", b)
	}
	return nil
}

// Int decodes a JSON number, a numeric string, "" or null.
type Int int64

// UnmarshalJSON accepts 12, "12", "" and null (the last two leave the value alone).
func (n *Int) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" || s == `""` {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return fmt.Errorf("flex.Int: want an integer, got %.20s", b)
	}
	*n = Int(v)
	return nil
}
