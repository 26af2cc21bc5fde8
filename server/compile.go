package server

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// node is a request schema compiled once per handler set: the keywords the
// embedded spec uses, checked in one pass with no allocation on success.
// compile refuses any other keyword, so a spec change that needs one fails
// the kit's tests instead of going unchecked.
type node struct {
	kind     string // an openapi3 type name; "" accepts any kind
	nullable bool
	reason   string // the type rule in words

	enumStr  []string
	enumNum  []float64
	enumBool []bool
	enumText string // the allowed values as the reason shows them

	min, max *float64
	int32    bool // format int32

	minLen, maxLen int // in UTF-16 code units; maxLen -1: none
	pattern        *regexp.Regexp

	props    map[string]*prop
	folded   map[string]string // upper-case ASCII form of each property name -> name
	longest  int               // the longest property name, in bytes
	required []string          // in the spec's order
	reqBits  uint64            // the required properties' bits
	defaults []namedDefault
	extra    *node // additionalProperties schema
	extraNo  bool  // additionalProperties: false
	extraAny bool  // additionalProperties: true: other keys are kept

	items              *node
	minItems, maxItems int // maxItems -1: none
}

// prop is a property of an object schema; bit marks it in a bit set of
// the object's properties (at most 64).
type prop struct {
	node *node
	bit  uint64
	dflt bool // the spec gives a default
}

type namedDefault struct {
	name  string
	bit   uint64
	value any // a JSON value as the decoder gives it (json.Number for numbers)
}

// keywords are the schema keys compile understands; annotations and x-
// extensions are allowed too.
var keywords = map[string]bool{
	"type": true, "nullable": true, "enum": true, "minimum": true, "maximum": true,
	"minLength": true, "maxLength": true, "pattern": true, "format": true,
	"properties": true, "required": true, "additionalProperties": true,
	"items": true, "minItems": true, "maxItems": true, "default": true,
	"description": true, "title": true, "example": true, "examples": true,
	"deprecated": true, "externalDocs": true,
}

// compiler compiles schemas once each, so shared and recursive schemas
// stay one node.
type compiler map[*openapi3.Schema]*node

func (c compiler) compile(s *openapi3.Schema) (*node, error) {
	if s == nil {
		return &node{maxLen: -1, maxItems: -1}, nil
	}
	if n, ok := c[s]; ok {
		return n, nil
	}
	n := &node{maxLen: -1, maxItems: -1, nullable: s.Nullable}
	c[s] = n
	if err := checkKeywords(s); err != nil {
		return nil, err
	}
	if s.Type != nil && len(*s.Type) > 1 {
		return nil, fmt.Errorf("type %v: one type at most", *s.Type)
	}
	if s.Type != nil && len(*s.Type) == 1 {
		n.kind = (*s.Type)[0]
		n.reason = "must be " + article(n.kind) + " " + n.kind
	}
	if err := n.compileFormat(s.Format); err != nil {
		return nil, err
	}
	if err := n.compileEnum(s.Enum); err != nil {
		return nil, err
	}
	n.min, n.max = s.Min, s.Max
	n.minLen = int(s.MinLength)
	if s.MaxLength != nil {
		n.maxLen = int(*s.MaxLength)
	}
	if s.Pattern != "" {
		re, err := regexp.Compile(s.Pattern)
		if err != nil {
			return nil, fmt.Errorf("pattern: %w", err)
		}
		n.pattern = re
	}
	n.minItems = int(s.MinItems)
	if s.MaxItems != nil {
		n.maxItems = int(*s.MaxItems)
	}
	var err error
	if s.Items != nil {
		if n.items, err = c.compile(s.Items.Value); err != nil {
			return nil, fmt.Errorf("items: %w", err)
		}
	}
	if err := c.compileObject(n, s); err != nil {
		return nil, err
	}
	return n, nil
}

func (c compiler) compileObject(n *node, s *openapi3.Schema) error {
	if ap := s.AdditionalProperties; ap.Schema != nil {
		var err error
		if n.extra, err = c.compile(ap.Schema.Value); err != nil {
			return fmt.Errorf("additionalProperties: %w", err)
		}
	} else if ap.Has != nil {
		n.extraNo, n.extraAny = !*ap.Has, *ap.Has
	}
	if len(s.Properties) > 64 {
		return fmt.Errorf("%d properties: the server kit checks 64 at most", len(s.Properties))
	}
	n.props = make(map[string]*prop, len(s.Properties))
	n.folded = make(map[string]string, len(s.Properties))
	for i, name := range slices.Sorted(maps.Keys(s.Properties)) {
		ps := s.Properties[name].Value
		p, err := c.compile(ps)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		up, ok := foldASCII([]byte(name), nil)
		if !ok {
			return fmt.Errorf("property %q: names must be ASCII", name)
		}
		if other, dup := n.folded[string(up)]; dup {
			return fmt.Errorf("properties %q and %q differ only in case", other, name)
		}
		n.props[name] = &prop{node: p, bit: 1 << i, dflt: ps != nil && ps.Default != nil}
		n.folded[string(up)] = name
		n.longest = max(n.longest, len(name))
		if n.props[name].dflt {
			d := jsonValue(ps.Default)
			if _, _, f := p.check(jsonValue(d)); f != nil {
				return fmt.Errorf("%s: the default %s", name, f.reason)
			}
			n.defaults = append(n.defaults, namedDefault{name, 1 << i, d})
		}
	}
	for _, name := range s.Required {
		n.required = append(n.required, name)
		if p := n.props[name]; p != nil {
			n.reqBits |= p.bit
		}
	}
	return nil
}

func checkKeywords(s *openapi3.Schema) error {
	raw, err := json.Marshal(s)
	if err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return err
	}
	for k := range keys {
		if !keywords[k] && !strings.HasPrefix(k, "x-") {
			return fmt.Errorf("keyword %q is not supported by the server kit", k)
		}
	}
	return nil
}

func (n *node) compileFormat(format string) error {
	switch {
	case format == "":
	case n.kind == openapi3.TypeInteger && (format == "int32" || format == "int64"):
		n.int32 = format == "int32"
	case n.kind == openapi3.TypeNumber && (format == "float" || format == "double"):
	case n.kind == openapi3.TypeString && openapi3.SchemaStringFormats[format] == nil:
		// An annotation ("password"): kin-openapi checks only the formats
		// it defines, and so does the kit, with none defined.
	default:
		return fmt.Errorf("format %q of a %q is not supported by the server kit", format, n.kind)
	}
	return nil
}

func (n *node) compileEnum(enum []any) error {
	if len(enum) == 0 {
		return nil
	}
	texts := make([]string, 0, len(enum))
	for _, e := range enum {
		switch v := jsonValue(e).(type) {
		case string:
			n.enumStr = append(n.enumStr, v)
		case bool:
			n.enumBool = append(n.enumBool, v)
		case json.Number:
			f, err := v.Float64()
			if err != nil {
				return err
			}
			n.enumNum = append(n.enumNum, f)
		default:
			return fmt.Errorf("enum value %v: only strings, numbers and booleans", e)
		}
		b, _ := json.Marshal(jsonValue(e)) // a scalar: cannot fail
		texts = append(texts, string(b))
	}
	n.enumText = "must be one of " + strings.Join(texts, ", ")
	return nil
}

// jsonValue converts a value loaded from the spec's YAML to what the request
// decoder gives (json.Number for numbers), copying maps and slices.
func jsonValue(v any) any {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return json.Number(strconv.FormatInt(int64(x), 10))
		}
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
	case int:
		return json.Number(strconv.Itoa(x))
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = jsonValue(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = jsonValue(e)
		}
		return s
	}
	return v
}

func article(kind string) string {
	switch kind {
	case openapi3.TypeArray, openapi3.TypeObject, openapi3.TypeInteger:
		return "an"
	}
	return "a"
}
