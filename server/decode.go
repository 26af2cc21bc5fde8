package server

import (
	"bytes"
	"encoding/json"

	"github.com/getkin/kin-openapi/openapi3"
)

// decode decodes a body that json.Valid accepted into what check and the
// generated code need, and nothing more: the values n describes (numbers as
// json.Number); keys no schema names are left out (the generated types
// have no field for them), unless the schema keeps them (additionalProperties)
// or they differ only in case from a property (kept, valueless, for
// caseFault); a value of the wrong kind is an empty one of its kind, which
// fails the type rule undecoded. So a body's junk costs a scan, not a
// tree: memory stays near the body's size.
func (n *node) decode(data []byte) (any, error) {
	switch data[0] {
	case '{':
		switch {
		case n.kind == openapi3.TypeObject:
			return n.decodeObject(data)
		case n.kind == "":
			return decodeAny(data)
		}
		return map[string]any{}, nil
	case '[':
		switch {
		case n.kind == openapi3.TypeArray:
			return n.decodeArray(data)
		case n.kind == "":
			return decodeAny(data)
		}
		return []any{}, nil
	case '"':
		return unquote(data)
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case 'n':
		return nil, nil
	}
	return json.Number(data), nil
}

func (n *node) decodeObject(data []byte) (any, error) {
	m := make(map[string]any)
	var err error
	members(data, func(key, value []byte) {
		if err != nil {
			return
		}
		if bytes.IndexByte(key, '\\') >= 0 {
			var k string
			if err = json.Unmarshal(key, &k); err != nil {
				return
			}
			key = []byte(k)
		} else {
			key = key[1 : len(key)-1]
		}
		var sub *node
		switch p := n.props[string(key)]; {
		case p != nil:
			sub = p.node
		case n.extra != nil:
			sub = n.extra
		case n.extraAny:
			sub = anyValue
		case n.extraNo || n.caseFault(key) != nil:
			m[string(key)] = nil // for checkObject to refuse
			return
		default:
			return
		}
		var v any
		if v, err = sub.decode(value); err == nil {
			m[string(key)] = v
		}
	})
	return m, err
}

func (n *node) decodeArray(data []byte) (any, error) {
	var a []any
	var err error
	items := n.items
	if items == nil {
		items = anyValue
	}
	elements(data, func(value []byte) bool {
		if n.maxItems >= 0 && len(a) > n.maxItems {
			return false // too many already: the rest is not decoded
		}
		var v any
		if v, err = items.decode(value); err != nil {
			return false
		}
		a = append(a, v)
		return true
	})
	if a == nil {
		a = []any{}
	}
	return a, err
}

// anyValue is the schema of a value no schema describes.
var anyValue = &node{maxLen: -1, maxItems: -1}

// decodeAny decodes a value no schema describes, whole.
func decodeAny(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func unquote(data []byte) (any, error) {
	if bytes.IndexByte(data, '\\') < 0 {
		return string(data[1 : len(data)-1]), nil
	}
	var s string
	err := json.Unmarshal(data, &s)
	return s, err
}

// The scanners below walk JSON that json.Valid accepted, so they only find
// where each value ends.

// members calls f with each key (quoted, as sent) and value of an object.
func members(data []byte, f func(key, value []byte)) {
	i := space(data, 1)
	for i < len(data) && data[i] != '}' {
		k := end(data, i)
		v := space(data, space(data, k)+1) // past the colon
		e := end(data, v)
		f(data[i:k], data[v:e])
		i = space(data, e)
		if data[i] == ',' {
			i = space(data, i+1)
		}
	}
}

// elements calls f with each value of an array while f returns true.
func elements(data []byte, f func(value []byte) bool) {
	i := space(data, 1)
	for i < len(data) && data[i] != ']' {
		e := end(data, i)
		if !f(data[i:e]) {
			return
		}
		i = space(data, e)
		if data[i] == ',' {
			i = space(data, i+1)
		}
	}
}

// end is the index just past the value that starts at data[i].
func end(data []byte, i int) int {
	switch data[i] {
	case '"':
		for i++; data[i] != '"'; i++ {
			if data[i] == '\\' {
				i++
			}
		}
		return i + 1
	case '{', '[':
		depth := 0
		for ; ; i++ {
			switch data[i] {
			case '"':
				i = end(data, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
	}
	for i < len(data) && !delimiter(data[i]) {
		i++
	}
	return i
}

func delimiter(c byte) bool {
	switch c {
	case ',', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}

func space(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}
