package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// model is the spec and its operations as oapi-codegen names them, so every
// name agwgen writes is the name the generated client and server use.
type model struct {
	source string // the spec's path, for the files' header
	spec   *openapi3.T
	ops    []codegen.OperationDefinition // in spec order, callbacks left out
}

func load(path string) (*model, error) {
	spec, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, err
	}
	ops, err := operations(spec)
	if err != nil {
		return nil, err
	}
	return &model{source: path, spec: spec, ops: ops}, nil
}

// operations returns the spec's own operations in spec order.
//
// OperationDefinitions reads the spec from oapi-codegen's global state,
// which SetGlobalStateSpec sets. The rest of that state (options, type
// mapping, initialisms) has no exported setter: only Generate sets it.
// Left unset, it names everything as our configurations do (they change
// no naming option), except that a primitive parameter's Go type is
// empty; paramType fills those in.
func operations(spec *openapi3.T) ([]codegen.OperationDefinition, error) {
	codegen.SetGlobalStateSpec(spec)
	all, err := codegen.OperationDefinitions(spec)
	if err != nil {
		return nil, err
	}
	var ops []codegen.OperationDefinition
	for _, op := range all {
		if !op.IsCallback && !op.IsWebhook && !op.IsAlias {
			ops = append(ops, op)
		}
	}
	sort.SliceStable(ops, func(i, j int) bool { return ops[i].SpecOrder < ops[j].SpecOrder })
	return ops, nil
}

// paramType is a parameter's Go type as the generated client declares it:
// a named type, or the primitive oapi-codegen's default type mapping gives
// its schema (our configurations set no type-mapping).
func paramType(pd codegen.ParameterDefinition) (string, error) {
	if t := pd.TypeDef(); t != "" {
		return t, nil
	}
	s := pd.Spec.Schema.Value
	tm := codegen.DefaultTypeMapping
	var fm codegen.FormatMapping
	switch {
	case s.Type.Is("integer"):
		fm = tm.Integer
	case s.Type.Is("number"):
		fm = tm.Number
	case s.Type.Is("boolean"):
		fm = tm.Boolean
	case s.Type.Is("string"):
		fm = tm.String
	default:
		return "", fmt.Errorf("parameter %s: type %v is not supported", pd.ParamName, s.Type)
	}
	t := fm.Resolve(s.Format)
	if t.Import != "" {
		return "", fmt.Errorf("parameter %s: format %s needs an import", pd.ParamName, s.Format)
	}
	return t.Type, nil
}

// sessionEffect is what an operation does to the agent's session on the
// gateway, as the spec's x-session-effect says.
type sessionEffect string

const (
	effectNone        sessionEffect = ""
	effectStarts      sessionEffect = "starts"       // a sign-in: it makes the session
	effectEnds        sessionEffect = "ends"         // a sign-out: the session is over
	effectReturnsGuid sessionEffect = "returns-guid" // the reply's result carries the session's Guid
)

func effectOf(op codegen.OperationDefinition) (sessionEffect, error) {
	e, _ := op.Spec.Extensions["x-session-effect"].(string)
	switch sessionEffect(e) {
	case effectNone, effectStarts, effectEnds, effectReturnsGuid:
		return sessionEffect(e), nil
	}
	return "", fmt.Errorf("%s: x-session-effect %q is none of starts, ends, returns-guid", op.OperationId, e)
}

func onSession(op codegen.OperationDefinition) bool { return strings.Contains(op.Path, "{agentid}") }

func jsonBody(op codegen.OperationDefinition) *codegen.RequestBodyDefinition {
	for i, body := range op.Bodies {
		if body.NameTag == "JSON" {
			return &op.Bodies[i]
		}
	}
	return nil
}

// resultSchema is the 200 reply's result when the spec names a model for
// it: the reply schema's result property is a $ref other than the untyped
// Result. It returns the model's Go type name and schema, or "" and nil.
func resultSchema(op codegen.OperationDefinition) (string, *openapi3.Schema) {
	resp := op.Spec.Responses.Value("200")
	if resp == nil || resp.Value == nil {
		return "", nil
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return "", nil
	}
	res := media.Schema.Value.Properties["result"]
	if res == nil || res.Ref == "" || strings.HasSuffix(res.Ref, "/Result") {
		return "", nil
	}
	return codegen.SchemaNameToTypeName(res.Ref[strings.LastIndex(res.Ref, "/")+1:]), res.Value
}

func extBool(ext map[string]any, name string) bool {
	v, _ := ext[name].(bool)
	return v
}

func stringList(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func str(v any) string { s, _ := v.(string); return s }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
