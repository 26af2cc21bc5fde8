package main

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// agwCmd is one `agw call` subcommand: an operation, its flags, and how
// its wrapper method is called with what they give.
type agwCmd struct {
	Name, Summary string
	Session       bool   // a *wrapper.Session method, else *wrapper.Client
	Manual        string // the hand-written wrapper method that covers it (x-session-effect: starts)
	Flags         []agwFlag
	BodyJSON      bool      // the body has nested or opaque content: -body
	Path          []agwPath // positional arguments, in order
	Params        string    // the generated params struct, "" when none
	Body          string    // the generated body type, "" when none
	Args          string    // the method's arguments after ctx
	Result        bool      // the method returns a result beside the error
}

// agwFlag is one flag: a parameter or a top-level scalar body field.
type agwFlag struct {
	Name, Kind, In, Help string // Kind: a kind constant of cmd/agw
	Enum                 []string
	Required, Secret     bool
}

// agwPath is a path parameter, decoded into a variable of its type.
type agwPath struct{ Var, Type, Flag string }

// agwCmdFile writes cmd/agw/operations.gen.go: the table of `agw call`
// subcommands, one per operation. Its package is main, whatever its
// directory is called.
func agwCmdFile(m *model, _ string) ([]byte, error) {
	im := imports{}
	im.add("context", wrapperImport)
	var cmds []agwCmd
	for _, op := range m.ops {
		cmd, err := agwCommand(op)
		if err != nil {
			return nil, err
		}
		if cmd.Params != "" || cmd.Body != "" {
			im.add(generatedImport)
		}
		for _, p := range cmd.Path {
			if strings.HasPrefix(p.Type, "generated.") {
				im.add(generatedImport)
			}
		}
		cmds = append(cmds, cmd)
	}
	return m.render("agwcmd.tmpl", "main", im, cmds)
}

func agwCommand(op codegen.OperationDefinition) (agwCmd, error) {
	id := op.OperationId
	cmd := agwCmd{Name: id, Summary: strings.TrimSuffix(oneLine(op.Summary), "."), Session: strings.Contains(op.Path, "{agentid}")}
	if op.Spec.Deprecated {
		cmd.Summary += " (deprecated)"
	}
	if effect, _ := effectOf(op); effect == effectStarts {
		cmd.Manual = "SignIn" // Client.SignIn covers every sign-in; its flags are cmd/agw's own
		return cmd, nil
	}
	seen := map[string]bool{}
	var err error
	add := func(f agwFlag) {
		switch {
		case f.Name == "body" && f.In != "body":
			err = cmp.Or(err, fmt.Errorf("%s: a parameter named body clashes with -body", id))
		case seen[f.Name]:
			err = cmp.Or(err, fmt.Errorf("%s: two inputs named %s", id, f.Name))
		}
		seen[f.Name] = true
		cmd.Flags = append(cmd.Flags, f)
	}
	var args []string
	for _, pd := range op.PathParams {
		if pd.ParamName == "agentid" && cmd.Session {
			continue // the session's own agent
		}
		t, terr := paramType(pd)
		if terr != nil {
			return cmd, terr
		}
		v := "arg" + strconv.Itoa(len(cmd.Path)+1)
		cmd.Path = append(cmd.Path, agwPath{Var: v, Type: qualify(t), Flag: pd.ParamName})
		args = append(args, v)
		add(paramFlag(pd, "path"))
	}
	if len(op.QueryParams)+len(op.HeaderParams) > 0 {
		cmd.Params = "generated." + id + "Params"
		args = append(args, "&params")
		for _, pd := range op.QueryParams {
			add(paramFlag(pd, "query"))
		}
		for _, pd := range op.HeaderParams {
			add(paramFlag(pd, "header"))
		}
	}
	if body := jsonBody(op); body != nil {
		cmd.Body = "generated." + id + "JSONRequestBody"
		args = append(args, "body")
		sch := body.Schema.OAPISchema
		cmd.BodyJSON = len(sch.Properties) == 0
		required := map[string]bool{}
		for _, r := range sch.Required {
			required[r] = true
		}
		for _, name := range sortedKeys(sch.Properties) {
			p := sch.Properties[name].Value
			kind := flagKind(p)
			if kind == "" {
				cmd.BodyJSON = true // nested: only -body sets it
				continue
			}
			add(agwFlag{Name: name, Kind: kind, In: "body", Help: oneLine(p.Description), Enum: enumStrings(p.Enum),
				Required: required[name], Secret: extBool(p.Extensions, "x-secret") || p.Format == "password"})
		}
	}
	cmd.Args = strings.Join(args, ", ")
	cmd.Result = agwHasResult(op)
	return cmd, err
}

// agwHasResult reports whether the wrapper method returns a result beside
// its error, by the rules wrapperOperation writes it with: the events of
// an x-events-reply operation, or the 200 reply's modelled result, unless
// a session effect consumes it.
func agwHasResult(op codegen.OperationDefinition) bool {
	if extBool(op.Spec.Extensions, "x-events-reply") {
		return true
	}
	effect, _ := effectOf(op)
	if _, hooked := sessionHooks[effect]; hooked {
		return false
	}
	name, _ := resultSchema(op)
	return name != ""
}

func paramFlag(pd codegen.ParameterDefinition, in string) agwFlag {
	s := pd.Spec.Schema.Value
	kind := flagKind(s)
	if kind == "" {
		kind = "kindJSON" // a structured parameter is given as JSON
	}
	desc := pd.Spec.Description
	if desc == "" {
		desc = s.Description
	}
	return agwFlag{Name: pd.ParamName, Kind: kind, In: in, Help: oneLine(desc), Enum: enumStrings(s.Enum),
		Required: pd.Required, Secret: extBool(pd.Spec.Extensions, "x-secret") || s.Format == "password"}
}

// flagKind is the kind constant of cmd/agw for a scalar, "" otherwise.
func flagKind(s *openapi3.Schema) string {
	switch {
	case s.Type.Is("integer"):
		return "kindInt"
	case s.Type.Is("number"):
		return "kindNumber"
	case s.Type.Is("boolean"):
		return "kindBool"
	case s.Type.Is("string"):
		return "kindString"
	}
	return ""
}

func enumStrings(values []any) []string {
	var out []string
	for _, v := range values {
		if f, ok := v.(float64); ok {
			v = strconv.FormatInt(int64(f), 10)
		}
		out = append(out, fmt.Sprint(v))
	}
	return out
}

// oneLine joins a description's lines for a flag's help.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
