package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// A check is one statement of a wrapper method's input check, which
// templates/checks.tmpl writes by Kind. A failed check returns a
// *ValidationError naming Field and Rule.
type check struct {
	Kind    string   // what it checks; see the constants
	Expr    string   // the Go expression checked
	Field   string   // the input's name in errors
	Rule    string   // the rule in errors
	Values  []string // kindIntEnum, kindStringEnum: the allowed values as Go literals
	Min     string   // the lower bound, a Go integer literal, or ""
	Max     string   // the upper bound, or ""
	Secret  bool     // the value is withheld from errors
	Value   string   // kindNil: the value errors show
	Pattern string   // kindPattern: the compiled pattern's variable
	Body    []check  // kindSet, kindEach: the checks inside
}

const (
	kindAgentID    = "agentID"    // the client's agent-ID range
	kindIntEnum    = "intEnum"    // an integer among Values
	kindIntRange   = "intRange"   // an integer within Min-Max
	kindStringEnum = "stringEnum" // a string among Values
	kindLength     = "length"     // a string of Min-Max characters
	kindPattern    = "pattern"    // a string matching Pattern
	kindItems      = "items"      // a list of Min-Max items
	kindNil        = "nil"        // a value that must not be nil
	kindSet        = "set"        // Body, when the pointer Expr is set
	kindEach       = "each"       // Body for each item of the list Expr
)

// checker builds checks, naming the patterns they use and noting the
// imports they need.
type checker struct {
	patterns []pattern
	im       imports
	client   bool // a check uses the client (its agent-ID range)
}

// pattern is a compiled regular expression of the wrapper file.
type pattern struct{ Name, Expr string }

func (c *checker) pattern(re string) string {
	for _, p := range c.patterns {
		if p.Expr == re {
			return p.Name
		}
	}
	p := pattern{Name: "pattern" + strconv.Itoa(len(c.patterns)+1), Expr: re}
	c.patterns = append(c.patterns, p)
	c.im.add("regexp")
	return p.Name
}

// param checks a parameter; a pointer is checked when set.
func (c *checker) param(expr string, pd codegen.ParameterDefinition, pointer bool) ([]check, error) {
	if pd.Spec == nil || pd.Spec.Schema == nil || pd.Spec.Schema.Value == nil {
		return nil, nil
	}
	ext := pd.Spec.Extensions
	return c.value(expr, pd.ParamName, pd.Spec.Schema.Value, pointer, extBool(ext, "x-agent-id"), extBool(ext, "x-secret"))
}

// object checks the properties of a struct-typed value.
func (c *checker) object(expr, prefix string, sch *openapi3.Schema) ([]check, error) {
	var checks []check
	for _, name := range sortedKeys(sch.Properties) {
		p := sch.Properties[name].Value
		required := isRequired(sch, name)
		pointer := optionalPointer(sch, name)
		field := expr + "." + codegen.SchemaNameToTypeName(name)
		if required && !pointer && p.Type.Is("array") && !p.Nullable {
			// A nil slice is sent as null, which the server refuses.
			checks = append(checks, check{Kind: kindNil, Expr: field, Field: prefix + name, Value: "null", Rule: "required: a list"})
		}
		more, err := c.value(field, prefix+name, p, pointer, extBool(p.Extensions, "x-agent-id"), extBool(p.Extensions, "x-secret"))
		if err != nil {
			return nil, err
		}
		checks = append(checks, more...)
	}
	return checks, nil
}

func isRequired(sch *openapi3.Schema, name string) bool {
	for _, r := range sch.Required {
		if r == name {
			return true
		}
	}
	return false
}

// optionalPointer tells whether oapi-codegen makes property name a pointer.
func optionalPointer(sch *openapi3.Schema, name string) bool {
	p := sch.Properties[name].Value
	return (!isRequired(sch, name) || p.Nullable) && !extBool(p.Extensions, "x-go-type-skip-optional-pointer")
}

// value checks one value against its schema's bounds.
func (c *checker) value(expr, field string, s *openapi3.Schema, pointer, agentID, secret bool) ([]check, error) {
	v := expr
	if pointer {
		v = "*" + expr
	}
	secret = secret || s.Format == "password"
	var body []check
	add := func(ch check) {
		ch.Expr, ch.Field, ch.Secret = v, field, secret
		body = append(body, ch)
	}
	switch {
	case s.Type.Is("integer"):
		switch {
		case agentID:
			add(check{Kind: kindAgentID})
			c.client = true
		case len(s.Enum) > 0:
			values, err := enumLiterals(s.Enum)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", field, err)
			}
			add(check{Kind: kindIntEnum, Values: values, Rule: "one of " + enumText(s.Enum)})
			c.im.add("strconv")
		case s.Min != nil || s.Max != nil:
			add(check{Kind: kindIntRange, Min: bound(s.Min), Max: bound(s.Max), Rule: rangeText(s.Min, s.Max, "")})
			c.im.add("strconv")
		}
	case s.Type.Is("number"):
		if s.Min != nil || s.Max != nil || len(s.Enum) > 0 {
			return nil, fmt.Errorf("%s: bounds on a number are not supported", field)
		}
	case s.Type.Is("string"):
		if len(s.Enum) > 0 {
			values, err := enumLiterals(s.Enum)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", field, err)
			}
			add(check{Kind: kindStringEnum, Values: values, Rule: "one of " + enumText(s.Enum)})
		}
		lo, hi := count(s.MinLength, s.MaxLength)
		if lo != nil || hi != nil {
			add(check{Kind: kindLength, Min: bound(lo), Max: bound(hi), Rule: rangeText(lo, hi, " characters")})
			c.im.add("unicode/utf8")
		}
		if s.Pattern != "" {
			add(check{Kind: kindPattern, Pattern: c.pattern(s.Pattern), Rule: "matching " + s.Pattern})
		}
	case s.Type.Is("array"):
		lo, hi := count(s.MinItems, s.MaxItems)
		if lo != nil || hi != nil {
			add(check{Kind: kindItems, Min: bound(lo), Max: bound(hi), Rule: rangeText(lo, hi, " items")})
			c.im.add("strconv")
		}
		if s.Items != nil && s.Items.Value != nil {
			each, err := c.value("item", field+"[]", s.Items.Value, false, agentID, secret)
			if err != nil {
				return nil, err
			}
			if len(each) > 0 {
				add(check{Kind: kindEach, Body: each})
			}
		}
	case s.Type.Is("object") && len(s.Properties) > 0:
		inner, err := c.object("("+v+")", field+".", s)
		if err != nil {
			return nil, err
		}
		body = append(body, inner...)
	}
	if pointer && len(body) > 0 {
		return []check{{Kind: kindSet, Expr: expr, Body: body}}, nil
	}
	return body, nil
}

// count turns a schema's length or item bounds into optional bounds: a
// minimum of 0 is none.
func count(lo uint64, hi *uint64) (*float64, *float64) {
	var min, max *float64
	if lo > 0 {
		min = ptr(float64(lo))
	}
	if hi != nil {
		max = ptr(float64(*hi))
	}
	return min, max
}

func ptr[T any](v T) *T { return &v }

func bound(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatInt(int64(*v), 10)
}

// rangeText is the rule a value outside lo-hi breaks, as errors say it.
func rangeText(lo, hi *float64, unit string) string {
	switch {
	case hi == nil:
		return "at least " + bound(lo) + unit
	case lo == nil:
		return "at most " + bound(hi) + unit
	}
	return bound(lo) + "-" + bound(hi) + unit
}

// enumLiterals are the allowed values as Go literals.
func enumLiterals(values []any) ([]string, error) {
	var out []string
	for _, v := range values {
		lit, _, err := literal(v)
		if err != nil {
			return nil, err
		}
		out = append(out, lit)
	}
	return out, nil
}

// literal is an enum value as a Go literal and as text in a path.
func literal(v any) (string, string, error) {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x), x, nil
	case float64:
		t := strconv.FormatInt(int64(x), 10)
		return t, t, nil
	}
	return "", "", fmt.Errorf("enum value %v of type %T is not supported", v, v)
}

// enumText lists the allowed values as errors say them.
func enumText(values []any) string {
	var items []string
	for _, v := range values {
		if f, ok := v.(float64); ok {
			v = strconv.FormatInt(int64(f), 10)
		}
		items = append(items, strconv.Quote(fmt.Sprint(v)))
	}
	return strings.Join(items, ", ")
}
