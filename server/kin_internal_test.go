package server

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/openapi"
)

// TestEveryOperationServed: the generated code registers exactly the
// spec's operations, under the patterns the kit compiled them for.
func TestEveryOperationServed(t *testing.T) {
	routes := patterns{}
	generated.HandlerWithOptions(generated.NewStrictHandler(generated.Unimplemented{}, nil),
		generated.StdHTTPServerOptions{BaseURL: generated.BasePath, BaseRouter: routes})
	for _, wide := range []bool{false, true} {
		assert.ElementsMatch(t, slices.Collect(maps.Keys(routes)), slices.Collect(maps.Keys(specFor(wide).ops)))
	}
	assert.NotEmpty(t, routes)
}

func TestCompileRefusesWhatItCannotCheck(t *testing.T) {
	for _, schema := range []string{
		`{"allOf":[{"type":"string"}]}`,
		`{"oneOf":[{"type":"string"}]}`,
		`{"type":"integer","multipleOf":2}`,
		`{"type":"array","uniqueItems":true}`,
		`{"type":"string","format":"date-time"}`,
		`{"type":"object","minProperties":1}`,
		`{"type":"object","properties":{"a":{"type":"string"},"A":{"type":"string"}}}`,
	} {
		s := &openapi3.Schema{}
		require.NoError(t, json.Unmarshal([]byte(schema), s))
		_, err := compiler{}.compile(s)
		assert.Error(t, err, schema)
	}
}

// TestAgreesWithKinOpenAPI checks the compiled schemas against
// kin-openapi's validator, which the kit used before: for every request
// body (its properties, one changed at a time) and every parameter of the
// spec, both accept or both refuse, naming the same field; the kit decodes
// each value as it decodes a body. Left out on
// purpose: strings where a number or boolean is wanted (the kit coerces
// them as the vendor does) and characters outside the BMP (the kit counts
// UTF-16 units, as the vendor's Java does).
func TestAgreesWithKinOpenAPI(t *testing.T) {
	spec, err := openapi.Load()
	require.NoError(t, err)
	c := compiler{}
	checked := 0
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			for _, ref := range slices.Concat(item.Parameters, op.Parameters) {
				checked += agreeOnParam(t, c, name, ref.Value)
			}
			if op.RequestBody == nil {
				continue
			}
			s := op.RequestBody.Value.Content.Get(jsonMediaType).Schema.Value
			n, err := c.compile(s)
			require.NoError(t, err)
			for _, v := range candidates(s, 0) {
				agree(t, name+" body", s, n, v)
				checked++
			}
		}
	}
	t.Logf("%d values checked", checked)
}

func agree(t *testing.T, name string, s *openapi3.Schema, n *node, v any) {
	t.Helper()
	text, _ := json.Marshal(v)
	kinErr := s.VisitJSON(copyJSON(v), openapi3.VisitAsRequest(), openapi3.DefaultsSet(func() {}))
	dv, err := n.decode(text) // as the kit does: decode what the schema describes, then check
	require.NoError(t, err)
	_, _, f := n.check(dv)
	if !assert.Equal(t, kinErr == nil, f == nil, "%s %s: kin-openapi %v, kit %+v", name, text, kinErr, f) || f == nil {
		return
	}
	if se, ok := kinErr.(*openapi3.SchemaError); ok {
		assert.Equal(t, strings.Join(se.JSONPointer(), "."), f.field, "%s %s", name, text)
	}
}

func agreeOnParam(t *testing.T, c compiler, name string, p *openapi3.Parameter) int {
	t.Helper()
	n, err := c.compile(p.Schema.Value)
	require.NoError(t, err)
	raws := []string{"x", "1.5", "+7", "007", "true", "1", "0", "-1"}
	for _, v := range candidates(p.Schema.Value, 0) {
		switch x := v.(type) {
		case string:
			raws = append(raws, x)
		case json.Number:
			raws = append(raws, string(x))
		}
	}
	for _, raw := range raws {
		if raw == "" && n.kind != openapi3.TypeString {
			continue // kin-openapi takes it as left out; the kit, as the generated code does, as no number
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: map[string]string{},
			Options: &openapi3filter.Options{}}
		switch p.In {
		case openapi3.ParameterInPath:
			in.PathParams[p.Name] = raw
		case openapi3.ParameterInQuery:
			req.URL.RawQuery = url.Values{p.Name: {raw}}.Encode()
		case openapi3.ParameterInHeader:
			req.Header.Set(p.Name, raw)
		}
		kinErr := openapi3filter.ValidateParameter(context.Background(), in, p)
		f := n.checkText(raw)
		assert.Equal(t, kinErr == nil, f == nil, "%s parameter %s=%q: kin-openapi %v, kit %+v", name, p.Name, raw, kinErr, f)
	}
	return len(raws)
}

// candidates are values around each rule of s: at and past its bounds,
// its enum, other kinds, and for objects a valid-looking one with each
// property changed to its own candidates or left out.
func candidates(s *openapi3.Schema, depth int) []any {
	var out []any
	num := func(f float64) any { return json.Number(strconv.FormatFloat(f, 'f', -1, 64)) }
	kind := ""
	if s.Type != nil && len(*s.Type) == 1 {
		kind = (*s.Type)[0]
	}
	out = append(out, nil, true, []any{}, map[string]any{})
	for _, e := range s.Enum {
		out = append(out, jsonValue(e))
		if f, ok := e.(float64); ok {
			out = append(out, num(f+1))
		}
	}
	switch kind {
	case openapi3.TypeInteger, openapi3.TypeNumber:
		out = append(out, num(0), num(-1), num(1), json.Number("1.5"), json.Number("4.0"), json.Number("1e3"))
		for _, b := range []*float64{s.Min, s.Max} {
			if b != nil {
				out = append(out, num(*b-1), num(*b), num(*b+1))
			}
		}
	case openapi3.TypeString:
		out = append(out, json.Number("1"), "", "a", "1", "12a", "é")
		for _, l := range []int{int(s.MinLength) - 1, int(s.MinLength), int(s.MinLength) + 1} {
			if l >= 0 {
				out = append(out, strings.Repeat("1", l), strings.Repeat("a", l))
			}
		}
		if s.MaxLength != nil {
			m := int(*s.MaxLength)
			out = append(out, strings.Repeat("1", m), strings.Repeat("1", m+1), strings.Repeat("é", m+1))
		}
	case openapi3.TypeArray:
		if s.Items != nil && depth < 3 {
			for _, v := range candidates(s.Items.Value, depth+1) {
				out = append(out, []any{v})
			}
		}
		if s.MaxItems != nil {
			out = append(out, make([]any, *s.MaxItems+1))
		}
	case openapi3.TypeObject:
		if depth < 3 {
			out = append(out, objectCandidates(s, depth)...)
		}
	}
	return out
}

func objectCandidates(s *openapi3.Schema, depth int) []any {
	base := map[string]any{}
	for _, name := range s.Required {
		if p := s.Properties[name]; p != nil {
			base[name] = plausible(p.Value)
		}
	}
	out := []any{copyJSON(base)}
	for _, name := range s.Required {
		o := copyJSON(base).(map[string]any)
		delete(o, name)
		out = append(out, o)
	}
	for name, p := range s.Properties {
		for _, v := range candidates(p.Value, depth+1) {
			if _, ok := v.(string); ok && p.Value.Type != nil && !p.Value.Type.Is(openapi3.TypeString) {
				continue // coerced by the kit, as Jackson does
			}
			o := copyJSON(base).(map[string]any)
			o[name] = v
			out = append(out, o)
		}
	}
	return out
}

// plausible is a value that likely passes s.
func plausible(s *openapi3.Schema) any {
	if len(s.Enum) > 0 {
		return jsonValue(s.Enum[0])
	}
	switch {
	case s.Type.Is(openapi3.TypeInteger), s.Type.Is(openapi3.TypeNumber):
		if s.Min != nil {
			return jsonValue(*s.Min)
		}
		return json.Number("1")
	case s.Type.Is(openapi3.TypeString):
		return strings.Repeat("1", max(int(s.MinLength), 1))
	case s.Type.Is(openapi3.TypeBoolean):
		return true
	case s.Type.Is(openapi3.TypeArray):
		return []any{}
	}
	return map[string]any{}
}

func copyJSON(v any) any {
	b, _ := json.Marshal(v)
	var out any
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	_ = dec.Decode(&out)
	return out
}
