package server

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// param is one parameter of an operation, compiled.
type param struct {
	name     string
	in       string // openapi3.ParameterInPath, ...Query or ...Header
	header   string // the canonical header key, for a header parameter
	required bool
	node     *node
}

func (c compiler) compileParam(p *openapi3.Parameter) (param, error) {
	switch p.In {
	case openapi3.ParameterInPath, openapi3.ParameterInQuery, openapi3.ParameterInHeader:
	default:
		return param{}, fmt.Errorf("parameter %s in %s: not supported by the server kit", p.Name, p.In)
	}
	if p.Schema == nil || p.Content != nil {
		return param{}, fmt.Errorf("parameter %s: a schema, not content, is supported", p.Name)
	}
	n, err := c.compile(p.Schema.Value)
	if err != nil {
		return param{}, fmt.Errorf("parameter %s: %w", p.Name, err)
	}
	switch n.kind {
	case openapi3.TypeString, openapi3.TypeInteger, openapi3.TypeNumber, openapi3.TypeBoolean:
	default:
		return param{}, fmt.Errorf("parameter %s: only scalar parameters are supported", p.Name)
	}
	return param{name: p.Name, in: p.In, header: http.CanonicalHeaderKey(p.Name), required: p.Required, node: n}, nil
}

// checkParams validates the parameters in the spec's order; it returns
// where the first fault is, and the fault.
func (op *operation) checkParams(r *http.Request) (string, *fault) {
	var query url.Values
	if op.query {
		query = r.URL.Query()
	}
	for i := range op.params {
		p := &op.params[i]
		var values []string
		switch p.in {
		case openapi3.ParameterInPath:
			values = []string{r.PathValue(p.name)}
		case openapi3.ParameterInQuery:
			values = query[p.name]
		case openapi3.ParameterInHeader:
			values = r.Header[p.header]
		}
		var f *fault
		switch {
		case len(values) == 0 && p.required:
			f = &fault{rule: "required", reason: "is required"}
		case len(values) == 0:
			continue
		case len(values) > 1:
			f = &fault{rule: RuleRepeated, reason: "must be given once"}
		default:
			f = p.node.checkText(values[0])
		}
		if f != nil {
			f.field = p.name
			return p.in, f
		}
	}
	return "", nil
}

// checkText validates a parameter's text: parsed as the generated code
// parses it (strconv, base 10), then checked as a JSON value would be.
func (n *node) checkText(s string) *fault {
	switch n.kind {
	case openapi3.TypeInteger:
		i, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return n.typeFault()
		}
		if n.int32 && (i < math.MinInt32 || i > math.MaxInt32) {
			return &fault{rule: "format", reason: "must be a 32-bit integer"}
		}
		return n.checkNumber(float64(i))
	case openapi3.TypeNumber:
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return n.typeFault()
		}
		return n.checkNumber(f)
	case openapi3.TypeBoolean:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return n.typeFault()
		}
		if n.enumBool != nil && !contains(n.enumBool, b) {
			return n.enumFault()
		}
		return nil
	}
	return n.checkString(s)
}
