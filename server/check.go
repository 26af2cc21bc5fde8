package server

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf16"

	"github.com/getkin/kin-openapi/openapi3"
)

// fault is a rule a request value broke: where (a parameter or a body field
// path, from the spec's names), which rule and the rule in words. It never
// holds the value.
type fault struct {
	field  string
	rule   string
	reason string
}

// at puts name in front of the fault's field path.
func (f *fault) at(name string) *fault {
	if f.field == "" {
		f.field = name
	} else {
		f.field = name + "." + f.field
	}
	return f
}

// check validates a decoded JSON value against n and returns the value to
// bind, with the vendor's coercions applied (see coerceString), integral
// numbers written as integers where an integer is wanted, and defaults
// filled in (objects change in place); changed says the value itself was
// replaced.
func (n *node) check(v any) (out any, changed bool, f *fault) {
	if v == nil {
		if n.nullable {
			return nil, false, nil
		}
		return nil, false, n.typeFault()
	}
	if s, ok := v.(string); ok && n.kind != openapi3.TypeString {
		if nv, ok := coerceString(n.kind, s); ok {
			v, changed = nv, true
		}
	}
	switch x := v.(type) {
	case string:
		if n.kind != "" && n.kind != openapi3.TypeString {
			return nil, false, n.typeFault()
		}
		return v, changed, n.checkString(x)
	case bool:
		if n.kind != "" && n.kind != openapi3.TypeBoolean {
			return nil, false, n.typeFault()
		}
		if n.enumBool != nil && !contains(n.enumBool, x) {
			return nil, false, n.enumFault()
		}
		return v, changed, nil
	case json.Number:
		nv, normal, f := n.checkJSONNumber(x)
		if normal {
			return nv, true, f
		}
		return v, changed, f
	case map[string]any:
		if n.kind != "" && n.kind != openapi3.TypeObject {
			return nil, false, n.typeFault()
		}
		return v, changed, n.checkObject(x)
	case []any:
		if n.kind != "" && n.kind != openapi3.TypeArray {
			return nil, false, n.typeFault()
		}
		return v, changed, n.checkArray(x)
	}
	return nil, false, n.typeFault()
}

// checkJSONNumber checks a number; normal says it was rewritten as the
// integer it is, returned as nv.
func (n *node) checkJSONNumber(x json.Number) (nv any, normal bool, f *fault) {
	switch n.kind {
	case openapi3.TypeInteger:
		i, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil {
			// 4.0 and 4e0 are the integer 4 (Jackson takes them too); bind it as 4.
			f, ferr := strconv.ParseFloat(string(x), 64)
			if ferr != nil || f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
				return nil, false, n.typeFault()
			}
			i, normal = int64(f), true
			nv = json.Number(strconv.FormatInt(i, 10))
		}
		if n.int32 && (i < math.MinInt32 || i > math.MaxInt32) {
			return nil, false, &fault{rule: "format", reason: "must be a 32-bit integer"}
		}
		return nv, normal, n.checkNumber(float64(i))
	case openapi3.TypeNumber, "":
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, false, n.typeFault()
		}
		return nil, false, n.checkNumber(f)
	}
	return nil, false, n.typeFault()
}

// checkNumber applies enum, minimum and maximum.
func (n *node) checkNumber(f float64) *fault {
	switch {
	case n.enumNum != nil && !contains(n.enumNum, f):
		return n.enumFault()
	case n.min != nil && f < *n.min:
		return &fault{rule: "minimum", reason: fmt.Sprintf("must be at least %g", *n.min)}
	case n.max != nil && f > *n.max:
		return &fault{rule: "maximum", reason: fmt.Sprintf("must be at most %g", *n.max)}
	}
	return nil
}

// checkString applies enum, the lengths and the pattern. Lengths count
// UTF-16 code units, as the vendor's Java (String.length) does.
func (n *node) checkString(s string) *fault {
	if n.enumStr != nil && !contains(n.enumStr, s) {
		return n.enumFault()
	}
	if n.minLen > 0 || (n.maxLen >= 0 && len(s) > n.maxLen) {
		units := 0
		for _, r := range s {
			units += utf16.RuneLen(r)
		}
		if units < n.minLen {
			return &fault{rule: "minLength", reason: "must be at least " + count(n.minLen, "character") + " long"}
		}
		if n.maxLen >= 0 && units > n.maxLen {
			return &fault{rule: "maxLength", reason: "must be at most " + count(n.maxLen, "character") + " long"}
		}
	}
	if n.pattern != nil && !n.pattern.MatchString(s) {
		return &fault{rule: "pattern", reason: "must match " + n.pattern.String()}
	}
	return nil
}

func (n *node) checkArray(a []any) *fault {
	if len(a) < n.minItems {
		return &fault{rule: "minItems", reason: "must have at least " + count(n.minItems, "item")}
	}
	if n.maxItems >= 0 && len(a) > n.maxItems {
		return &fault{rule: "maxItems", reason: "must have at most " + count(n.maxItems, "item")}
	}
	if n.items == nil {
		return nil
	}
	for i, e := range a {
		nv, changed, f := n.items.check(e)
		if f != nil {
			return f.at(strconv.Itoa(i))
		}
		if changed {
			a[i] = nv
		}
	}
	return nil
}

// checkObject checks each key once: a property against its schema, a key
// that differs only in case from a property as a fault (see caseFault),
// another against additionalProperties. Then it fills in the defaults of
// properties left out or null, as kin-openapi does, and checks the required
// ones. Of several faults it reports the one of the first field by name
// (kin-openapi's order), then the first required property missing.
func (n *node) checkObject(m map[string]any) *fault {
	var present, set uint64 // properties sent; sent and not null
	var first *fault
	keep := func(f *fault) {
		if first == nil || f.field < first.field {
			first = f
		}
	}
	for k, v := range m {
		p := n.props[k]
		if p == nil {
			if f := n.checkOther(m, k, v); f != nil {
				keep(f)
			}
			continue
		}
		present |= p.bit
		if v == nil && p.dflt {
			continue // the default goes in
		}
		set |= p.bit
		nv, changed, f := p.node.check(v)
		if f != nil {
			keep(f.at(k))
		} else if changed {
			m[k] = nv
		}
	}
	if first != nil {
		return first
	}
	for _, d := range n.defaults {
		if set&d.bit == 0 {
			m[d.name] = jsonValue(d.value) // a copy: the stub may change it
			present |= d.bit
		}
	}
	if present&n.reqBits == n.reqBits && len(n.required) == bits.OnesCount64(n.reqBits) {
		return nil
	}
	for _, name := range n.required {
		if p := n.props[name]; p != nil && present&p.bit != 0 {
			continue
		}
		if _, ok := m[name]; !ok {
			return &fault{field: name, rule: "required", reason: "is required"}
		}
	}
	return nil
}

// checkOther checks a key that names no property.
func (n *node) checkOther(m map[string]any, k string, v any) *fault {
	if f := n.caseFault([]byte(k)); f != nil {
		return f
	}
	switch {
	case n.extraNo:
		return &fault{rule: "additionalProperties", reason: "has a key the spec does not name"}
	case n.extra != nil:
		nv, changed, f := n.extra.check(v)
		if f != nil {
			return f.at("*") // the key is the client's text, not a name from the spec
		}
		if changed {
			m[k] = nv
		}
	}
	return nil
}

func (n *node) typeFault() *fault {
	reason := n.reason
	if reason == "" {
		reason = "must not be null"
	}
	return &fault{rule: "type", reason: reason}
}

func (n *node) enumFault() *fault { return &fault{rule: "enum", reason: n.enumText} }

// count is "1 item", "2 items".
func count(n int, noun string) string {
	if n != 1 {
		noun += "s"
	}
	return strconv.Itoa(n) + " " + noun
}

func contains[T comparable](s []T, v T) bool {
	for _, e := range s {
		if e == v {
			return true
		}
	}
	return false
}
