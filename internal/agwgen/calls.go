package main

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// The agent a test session signs in as, and the one every other agent-ID
// input names.
const (
	callsAgent = 20001
	callsOther = 20002
)

// operationCall is a call of one generated method with the smallest
// arguments the spec accepts, and the request line it must send.
type operationCall struct {
	Op, Method, Path string
	Result           string   // a reply result the spec accepts
	Session          bool     // a Session method, else a Client method
	Args             []string // the arguments after ctx, Go expressions
	Discard          bool     // the method returns a result besides the error
}

// callsFile writes the external test file's table of a call of every
// generated wrapper method, for a test to check each method end to end.
func callsFile(m *model, pkg string) ([]byte, error) {
	im := imports{}
	im.add("context", wrapperImport)
	var calls []operationCall
	for _, op := range m.ops {
		effect, err := effectOf(op)
		if err != nil {
			return nil, err
		}
		if effect != effectNone {
			continue // hand-written behaviour, tested by hand
		}
		oc, err := operationCallOf(op)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op.OperationId, err)
		}
		for _, a := range oc.Args {
			if strings.Contains(a, "generated.") {
				im.add(generatedImport)
			}
		}
		calls = append(calls, oc)
	}
	return m.render("calls.tmpl", pkg+"_test", im, calls)
}

func operationCallOf(op codegen.OperationDefinition) (operationCall, error) {
	_, result := resultSchema(op)
	oc := operationCall{
		Op: op.OperationId, Method: op.Method, Session: onSession(op),
		Path:    strings.ReplaceAll(op.Path, "{agentid}", strconv.Itoa(callsAgent)),
		Result:  sampleResult(result),
		Discard: extBool(op.Spec.Extensions, "x-events-reply") || result != nil,
	}
	for _, pd := range op.PathParams {
		if pd.ParamName == "agentid" {
			continue
		}
		expr, text, err := sample(pd.Spec.Schema.Value, extBool(pd.Spec.Extensions, "x-agent-id"), pd.ParamName)
		if err != nil {
			return oc, err
		}
		oc.Args = append(oc.Args, expr)
		oc.Path = strings.ReplaceAll(oc.Path, "{"+pd.ParamName+"}", text)
	}
	if len(op.QueryParams)+len(op.HeaderParams) > 0 {
		var fields []string
		for _, pd := range append(append([]codegen.ParameterDefinition{}, op.QueryParams...), op.HeaderParams...) {
			if pd.Required {
				expr, _, err := sample(pd.Spec.Schema.Value, extBool(pd.Spec.Extensions, "x-agent-id"), pd.ParamName)
				if err != nil {
					return oc, err
				}
				fields = append(fields, pd.GoName()+": "+expr)
			}
		}
		if len(fields) == 0 {
			oc.Args = append(oc.Args, "nil")
		} else {
			oc.Args = append(oc.Args, "&generated."+op.OperationId+"Params{"+strings.Join(fields, ", ")+"}")
		}
	}
	if body := jsonBody(op); body != nil {
		expr, err := sampleBody(op.OperationId, body.Schema.OAPISchema)
		if err != nil {
			return oc, err
		}
		oc.Args = append(oc.Args, expr)
	}
	return oc, nil
}

// sampleBody fills the body's required properties; optional ones stay unset.
func sampleBody(opID string, s *openapi3.Schema) (string, error) {
	typ := "generated." + opID + "JSONRequestBody"
	if len(s.Properties) == 0 {
		return typ + `{"sample": "1"}`, nil
	}
	var fields []string
	for _, name := range s.Required {
		p := s.Properties[name].Value
		field := codegen.SchemaNameToTypeName(name)
		switch {
		case p.Type.Is("array") && p.Items != nil && p.Items.Ref == "":
			item, _, err := sample(p.Items.Value, extBool(p.Items.Value.Extensions, "x-agent-id"), name+"[]")
			if err != nil {
				return "", err
			}
			typ, err := goPrimitive(p.Items.Value)
			if err != nil {
				return "", fmt.Errorf("%s: %w", name, err)
			}
			fields = append(fields, field+": []"+typ+"{"+item+"}")
		case p.Type.Is("object") || p.Type.Is("array"):
			// its zero value is what a minimal body sends
		default:
			expr, _, err := sample(p, extBool(p.Extensions, "x-agent-id"), name)
			if err != nil {
				return "", err
			}
			fields = append(fields, field+": "+expr)
		}
	}
	return typ + "{" + strings.Join(fields, ", ") + "}", nil
}

// sample returns a Go constant the schema accepts and its text in a path.
func sample(s *openapi3.Schema, agentID bool, field string) (expr, text string, err error) {
	switch {
	case len(s.Enum) > 0:
		return literal(s.Enum[0])
	case s.Type.Is("integer"):
		n := int64(1)
		switch {
		case agentID:
			n = callsOther
		case s.Min != nil:
			n = int64(*s.Min)
		case s.Max != nil && *s.Max < 1:
			n = int64(*s.Max)
		}
		t := strconv.FormatInt(n, 10)
		return t, t, nil
	case s.Type.Is("boolean"):
		return "true", "true", nil
	case s.Type.Is("string"):
		for _, c := range []string{"1", "a", "A1", "1-1"} {
			for uint64(len(c)) < s.MinLength {
				c += c[:1]
			}
			if s.MaxLength != nil && uint64(len(c)) > *s.MaxLength {
				continue
			}
			if s.Pattern == "" || regexp.MustCompile(s.Pattern).MatchString(c) {
				return strconv.Quote(c), c, nil
			}
		}
	}
	return "", "", fmt.Errorf("%s: no sample value fits its schema; give the generator one", field)
}

// sampleResult is a reply result of the schema's JSON type.
func sampleResult(s *openapi3.Schema) string {
	switch {
	case s == nil:
		return "{}"
	case s.Type.Is("array"):
		return "[]"
	case s.Type.Is("string"):
		return `"1"`
	case s.Type.Is("integer") || s.Type.Is("number"):
		return "1"
	case s.Type.Is("boolean"):
		return "true"
	}
	return "{}"
}

// goPrimitive is the Go type oapi-codegen gives a primitive schema.
func goPrimitive(s *openapi3.Schema) (string, error) {
	switch {
	case s.Type.Is("integer") && s.Format == "int64":
		return "int64", nil
	case s.Type.Is("integer"):
		return "int", nil
	case s.Type.Is("boolean"):
		return "bool", nil
	case s.Type.Is("string"):
		return "string", nil
	}
	return "", fmt.Errorf("array of %v: not a primitive", s.Type)
}
