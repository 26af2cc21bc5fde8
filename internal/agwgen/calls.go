package main

import (
	"bytes"
	"fmt"
	"log"
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

// callsFile writes wrapper/operations_gen_test.go: a call of every generated
// method with the smallest arguments the spec accepts, and the request line
// it must send, for a test to check each method end to end.
func callsFile(ops []codegen.OperationDefinition) []byte {
	var b bytes.Buffer
	b.WriteString(header + "//lint:file-ignore SA1019 every operation is called, deprecated ones too\n\npackage wrapper_test\n\nimport (\n\"context\"\n\n\"github.com/agentgateway-go/agentgateway/generated\"\n\"github.com/agentgateway-go/agentgateway/wrapper\"\n)\n\n")
	b.WriteString("var _ generated.AgentId\n\n// operationCalls calls every generated wrapper method once.\nvar operationCalls = []struct {\nop, method, path string // the request line, relative to the base path\nresult string // a reply result the spec accepts\nguid bool // the request carries the session's Guid\ncall func(ctx context.Context, s *wrapper.Session, c *wrapper.Client) error\n}{\n")
	for _, op := range ops {
		if _, manual := op.Spec.Extensions["x-wrapper-method"]; manual || sessionHook(op) != "" {
			continue // hand-written behaviour, tested by hand
		}
		path := strings.ReplaceAll(op.Path, "{agentid}", strconv.Itoa(callsAgent))
		var args []string
		for _, pd := range op.PathParams {
			if pd.ParamName == "agentid" {
				continue
			}
			expr, text := sample(pd.Spec.Schema.Value, isAgentID(pd.Spec.Extensions), pd.ParamName)
			args = append(args, expr)
			path = strings.ReplaceAll(path, "{"+pd.ParamName+"}", text)
		}
		if len(op.QueryParams)+len(op.HeaderParams) > 0 {
			var fields []string
			for _, pd := range append(append([]codegen.ParameterDefinition{}, op.QueryParams...), op.HeaderParams...) {
				if pd.Required {
					expr, _ := sample(pd.Spec.Schema.Value, isAgentID(pd.Spec.Extensions), pd.ParamName)
					fields = append(fields, pd.GoName()+": "+expr)
				}
			}
			if len(fields) == 0 {
				args = append(args, "nil")
			} else {
				args = append(args, "&generated."+op.OperationId+"Params{"+strings.Join(fields, ", ")+"}")
			}
		}
		if body := jsonBody(op); body != nil {
			args = append(args, sampleBody(op.OperationId, body.Schema.OAPISchema))
		}
		recv := "s"
		if !strings.Contains(op.Path, "{agentid}") {
			recv = "c"
		}
		call := fmt.Sprintf("%s.%s(%s)", recv, op.OperationId, strings.Join(append([]string{"ctx"}, args...), ", "))
		if events, _ := op.Spec.Extensions["x-events-reply"].(bool); events || resultType(op) != "" {
			call = "_, err := " + call + "\nreturn err"
		} else {
			call = "return " + call
		}
		fmt.Fprintf(&b, "{%q, %q, %q, %q, %t, func(ctx context.Context, s *wrapper.Session, c *wrapper.Client) error {\n%s\n}},\n",
			op.OperationId, op.Method, path, sampleResult(op), recv == "s", call)
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func isAgentID(ext map[string]any) bool {
	v, _ := ext["x-agent-id"].(bool)
	return v
}

// sampleBody fills the body's required properties; optional ones stay unset.
func sampleBody(opID string, s *openapi3.Schema) string {
	typ := "generated." + opID + "JSONRequestBody"
	if len(s.Properties) == 0 {
		return typ + `{"sample": "1"}`
	}
	var fields []string
	for _, name := range s.Required {
		p := s.Properties[name].Value
		if p.Type.Is("array") && p.Items != nil && p.Items.Ref == "" {
			item, _ := sample(p.Items.Value, isAgentID(p.Items.Value.Extensions), name+"[]")
			fields = append(fields, codegen.SchemaNameToTypeName(name)+": []"+goPrimitive(p.Items.Value)+"{"+item+"}")
			continue
		}
		if p.Type.Is("object") || p.Type.Is("array") {
			continue // its zero value is what a minimal body sends
		}
		expr, _ := sample(p, isAgentID(p.Extensions), name)
		fields = append(fields, codegen.SchemaNameToTypeName(name)+": "+expr)
	}
	return typ + "{" + strings.Join(fields, ", ") + "}"
}

// sample returns a Go constant the schema accepts and its text in a path.
func sample(s *openapi3.Schema, agentID bool, field string) (expr, text string) {
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
		return t, t
	case s.Type.Is("boolean"):
		return "true", "true"
	case s.Type.Is("string"):
		for _, c := range []string{"1", "a", "A1", "1-1"} {
			for uint64(len(c)) < s.MinLength {
				c += c[:1]
			}
			if s.MaxLength != nil && uint64(len(c)) > *s.MaxLength {
				continue
			}
			if s.Pattern == "" || regexp.MustCompile(s.Pattern).MatchString(c) {
				return strconv.Quote(c), c
			}
		}
	}
	log.Fatalf("%s: no sample value fits its schema; give the generator one", field)
	return "", ""
}

func literal(v any) (string, string) {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x), x
	case float64:
		t := strconv.FormatInt(int64(x), 10)
		return t, t
	}
	log.Fatalf("enum value %v of type %T is not supported", v, v)
	return "", ""
}

// sampleResult is a reply result of the schema's JSON type.
func sampleResult(op codegen.OperationDefinition) string {
	if resultType(op) == "" {
		return "{}"
	}
	s := op.Spec.Responses.Value("200").Value.Content.Get("application/json").Schema.Value.Properties["result"].Value
	switch {
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
func goPrimitive(s *openapi3.Schema) string {
	switch {
	case s.Type.Is("integer") && s.Format == "int64":
		return "int64"
	case s.Type.Is("integer"):
		return "int"
	case s.Type.Is("boolean"):
		return "bool"
	case s.Type.Is("string"):
		return "string"
	}
	log.Fatalf("array of %v: not a primitive", s.Type)
	return ""
}
