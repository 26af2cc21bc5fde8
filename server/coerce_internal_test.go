package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func compileJSON(t *testing.T, schema string) *node {
	t.Helper()
	s := &openapi3.Schema{}
	require.NoError(t, json.Unmarshal([]byte(schema), s))
	n, err := compiler{}.compile(s)
	require.NoError(t, err)
	return n
}

func decodeJSON(t *testing.T, in string) any {
	t.Helper()
	var v any
	dec := json.NewDecoder(strings.NewReader(in))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v))
	return v
}

// TestCoerceNested covers what the sign-in body does not: nested objects,
// arrays, numbers and additionalProperties.
func TestCoerceNested(t *testing.T) {
	n := compileJSON(t, `{
		"type": "object",
		"properties": {
			"n": {"type": "number"},
			"list": {"type": "array", "items": {"type": "integer"}},
			"inner": {"type": "object", "properties": {"b": {"type": "boolean"}}},
			"s": {"type": "string"}
		},
		"additionalProperties": {"type": "integer"}
	}`)
	v := decodeJSON(t, `{"n":"1.5e3","list":["1","-2",3,4.0],"inner":{"b":"false","c":"1"},"s":"7","extra":"42"}`)
	out, _, f := n.check(v)
	require.Nil(t, f)
	got, err := json.Marshal(out)
	require.NoError(t, err)
	assert.JSONEq(t, `{"n":1.5e3,"list":[1,-2,3,4],"inner":{"b":false,"c":"1"},"s":"7","extra":42}`, string(got))

	for in, field := range map[string]string{
		`{"list":["1","x"]}`:    "list.1",
		`{"inner":{"b":"yes"}}`: "inner.b",
		`{"extra":" 1"}`:        "*",
		`{"n":"1.5e3x"}`:        "n",
		`{"s":7}`:               "s",
	} {
		_, _, f := n.check(decodeJSON(t, in))
		require.NotNil(t, f, in)
		assert.Equal(t, field, f.field, in)
		assert.Equal(t, "type", f.rule, in)
	}
}
