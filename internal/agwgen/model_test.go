package main

import (
	"strings"
	"testing"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// TestParamTypesMatchGenerate: without codegen.Generate, the operation
// model gives every path parameter the Go type Generate would, once
// paramType fills in the primitives. Generate runs here only, as the
// reference, with openapi/models.cfg.yaml's options.
func TestParamTypesMatchGenerate(t *testing.T) {
	m, err := load("../../openapi/agentgateway.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]string{}
	for _, op := range m.ops {
		for _, pd := range op.PathParams {
			typ, err := paramType(pd)
			if err != nil {
				t.Fatal(err)
			}
			ours[op.OperationId+" "+pd.ParamName] = typ
		}
	}
	cfg := codegen.Configuration{
		PackageName:   "generated",
		Generate:      codegen.GenerateOptions{Models: true},
		OutputOptions: codegen.OutputOptions{SkipPrune: true, ExcludeSchemas: []string{"FlexString", "FlexInt"}},
		Compatibility: codegen.CompatibilityOptions{AlwaysPrefixEnumValues: true},
	}.UpdateDefaults()
	if _, err := codegen.Generate(m.spec, cfg); err != nil {
		t.Fatal(err)
	}
	ops, err := operations(m.spec)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, op := range ops {
		for _, pd := range op.PathParams {
			key := op.OperationId + " " + pd.ParamName
			if got, want := ours[key], pd.TypeDef(); got != want {
				t.Errorf("%s: %q, Generate gives %q", key, got, want)
			}
			n++
		}
	}
	if n != len(ours) || n < 100 {
		t.Errorf("%d path parameters after Generate, %d before", n, len(ours))
	}
}

// TestSpecMistakesAreErrors: what the generator cannot write stops it
// with an error naming the operation, not with wrong code.
func TestSpecMistakesAreErrors(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		breakIt    func(m *model)
		build      func(m *model, pkg string) ([]byte, error)
	}{
		{"unknown session effect", `SignOut: x-session-effect "closes"`, func(m *model) {
			op(t, m, "SignOut").Spec.Extensions["x-session-effect"] = "closes"
		}, wrapperFile},
		{"secret on an events reply", "PollEvent: x-secret inputs are supported only on ordinary operations", func(m *model) {
			op(t, m, "PollEvent").QueryParams[0].Spec.Extensions = map[string]any{"x-secret": true}
		}, wrapperFile},
		{"confirm without a call ID result", "GetHeldCalls: x-confirm on an operation whose result is not a call ID", func(m *model) {
			op(t, m, "GetHeldCalls").Spec.Extensions["x-confirm"] = map[string]any{"success": []any{"AgentEvent_Talking"}}
		}, wrapperFile},
		{"retcode without meaning", "x-retcodes 200-001: name, meaning and x-vendor-source are required", func(m *model) {
			delete(m.spec.Extensions["x-retcodes"].(map[string]any)["200-001"].(map[string]any), "meaning")
		}, familiesFile},
		{"event type of two schemas", "event AgentEvent_Hold is in x-event-types of two schemas", func(m *model) {
			m.spec.Components.Schemas["CallFailContent"].Value.Extensions["x-event-types"] = []any{"AgentEvent_Hold"}
		}, eventsFile},
		{"a parameter named body", "PollEvent: a parameter named body clashes with -body", func(m *model) {
			op(t, m, "PollEvent").QueryParams[0].ParamName = "body"
		}, agwCmdFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := load("testdata/spec.yaml")
			if err != nil {
				t.Fatal(err)
			}
			tc.breakIt(m)
			_, err = tc.build(m, "wrapper")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func op(t *testing.T, m *model, id string) codegen.OperationDefinition {
	t.Helper()
	for _, o := range m.ops {
		if o.OperationId == id {
			return o
		}
	}
	t.Fatalf("no operation %s", id)
	return codegen.OperationDefinition{}
}
