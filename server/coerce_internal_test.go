package server

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCoerceNested covers what the sign-in body does not: nested objects,
// arrays, numbers, additionalProperties and allOf.
func TestCoerceNested(t *testing.T) {
	schema := &openapi3.Schema{}
	require.NoError(t, json.Unmarshal([]byte(`{
		"type": "object",
		"properties": {
			"n": {"type": "number"},
			"list": {"type": "array", "items": {"type": "integer"}},
			"inner": {"allOf": [{"type": "object", "properties": {"b": {"type": "boolean"}}}]},
			"s": {"type": "string"}
		},
		"additionalProperties": {"type": "integer"}
	}`), schema))
	in := `{"n":"1.5e3","list":["1","-2","x",3],"inner":{"b":"false","c":"1"},"s":"7","extra":"42","bad":" 1"}`
	var v any
	dec := json.NewDecoder(strings.NewReader(in))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&v))
	out, changed := coerce(schema, v)
	require.True(t, changed)
	got, err := json.Marshal(out)
	require.NoError(t, err)
	assert.JSONEq(t, `{"n":1.5e3,"list":[1,-2,"x",3],"inner":{"b":false,"c":"1"},"s":"7","extra":42,"bad":" 1"}`, string(got))

	_, changed = coerce(schema, map[string]any{"s": "1", "list": []any{json.Number("1")}})
	assert.False(t, changed, "nothing to coerce")
}
