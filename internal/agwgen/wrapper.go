package main

import (
	"bytes"
	"fmt"
	"log"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// wrapperGen writes wrapper/operations.gen.go: for each operation a method
// (on *Session when the path names {agentid}, else on *Client) and, when
// the spec bounds any of its inputs, a check run before any I/O.
type wrapperGen struct {
	b        bytes.Buffer
	confirms bytes.Buffer      // the x-confirm tables
	patterns map[string]string // regular expression -> variable name
	order    []string
}

func wrapperFile(ops []codegen.OperationDefinition) []byte {
	g := &wrapperGen{patterns: map[string]string{}}
	for _, op := range ops {
		g.operation(op)
	}
	var out bytes.Buffer
	out.WriteString(header + "//lint:file-ignore SA1019 the spec offers deprecated operations on purpose\n\npackage wrapper\n\nimport (\n\"context\"\n\"errors\"\n\"net/http\"\n\"regexp\"\n\"strconv\"\n\"unicode/utf8\"\n\n\"github.com/agentgateway-go/agentgateway/generated\"\n\"github.com/agentgateway-go/agentgateway/internal/transport\"\n)\n\n")
	out.WriteString("var (\n_ = errors.AsType[*APIError]\n_ = regexp.MustCompile\n_ = strconv.Itoa\n_ = utf8.RuneCountInString\n_ = transport.MayFailOver\n")
	for _, re := range g.order {
		fmt.Fprintf(&out, "%s = regexp.MustCompile(%s)\n", g.patterns[re], strconv.Quote(re))
	}
	out.WriteString(")\n\n")
	if g.confirms.Len() > 0 {
		out.WriteString("// What confirms and what refutes each call-control operation (x-confirm).\n")
		out.Write(g.confirms.Bytes())
		out.WriteString("\n")
	}
	out.Write(g.b.Bytes())
	return out.Bytes()
}

func (g *wrapperGen) operation(op codegen.OperationDefinition) {
	id := op.OperationId
	onSession := strings.Contains(op.Path, "{agentid}")
	var params, args, checkArgs []string // signature, call arguments, check arguments
	var checks, secrets bytes.Buffer     // secrets: statements that list the x-secret inputs
	for _, pd := range op.PathParams {
		if pd.ParamName == "agentid" {
			continue // the session's own agent
		}
		name := pd.GoVariableName()
		params = append(params, name+" "+qualify(pd.TypeDef()))
		args = append(args, name)
		checkArgs = append(checkArgs, name)
		g.param(&checks, name, pd, false)
		secretInput(&secrets, "", name, pd.Spec.Extensions, false)
	}
	if len(op.QueryParams)+len(op.HeaderParams) > 0 {
		params = append(params, "params *generated."+id+"Params")
		args = append(args, "params")
		checkArgs = append(checkArgs, "params")
		var required []string
		var inner bytes.Buffer
		for _, pd := range append(append([]codegen.ParameterDefinition{}, op.QueryParams...), op.HeaderParams...) {
			if pd.Required {
				required = append(required, pd.ParamName)
			}
			g.param(&inner, "params."+pd.GoName(), pd, pd.HasOptionalPointer())
			secretInput(&secrets, "params != nil", "params."+pd.GoName(), pd.Spec.Extensions, pd.HasOptionalPointer())
		}
		if len(required) > 0 {
			fmt.Fprintf(&checks, "if params == nil {\nreturn &ValidationError{Field: \"params\", Value: \"nil\", Rule: %q}\n}\n", "required: "+strings.Join(required, ", "))
			checks.Write(inner.Bytes())
		} else if inner.Len() > 0 {
			fmt.Fprintf(&checks, "if params != nil {\n%s}\n", inner.Bytes())
		}
	}
	if body := jsonBody(op); body != nil {
		params = append(params, "body generated."+id+"JSONRequestBody")
		args = append(args, "body")
		checkArgs = append(checkArgs, "body")
		sch := body.Schema.OAPISchema
		if len(sch.Properties) == 0 {
			checks.WriteString("if body == nil {\nreturn &ValidationError{Field: \"body\", Value: \"nil\", Rule: \"a JSON object\"}\n}\n")
		}
		g.object(&checks, "body", "", sch)
		required := map[string]bool{}
		for _, r := range sch.Required {
			required[r] = true
		}
		for _, name := range sortedKeys(sch.Properties) {
			p := sch.Properties[name].Value
			pointer := (!required[name] || p.Nullable) && !skipPointer(p)
			secretInput(&secrets, "", "body."+codegen.SchemaNameToTypeName(name), p.Extensions, pointer)
		}
	}

	result := resultType(op)
	ctxArg := "ctx"
	if idempotent, _ := op.Spec.Extensions["x-idempotent"].(bool); idempotent {
		ctxArg = "transport.MayFailOver(ctx)" // safe to send once more, to a backup gateway
	}
	recv, api := "s *Session", "s.api."+id+"("+ctxArg+", s.agentID"
	if !onSession {
		recv, api = "c *Client", "s.api."+id+"("+ctxArg
	}
	events, _ := op.Spec.Extensions["x-events-reply"].(bool)
	if events {
		result = "[]Event"
	}
	for _, a := range args {
		api += ", " + a
	}
	api += ")"

	if checks.Len() > 0 {
		fmt.Fprintf(&g.b, "// check%s checks the bounds the spec gives %s's inputs.\nfunc (c *Client) check%s(%s) error {\n_ = c\n%sreturn nil\n}\n\n", id, id, id, strings.Join(params, ", "), checks.Bytes())
	}
	if _, manual := op.Spec.Extensions["x-wrapper-method"]; manual {
		return // a hand-written method that adds behaviour covers it
	}
	fmt.Fprintf(&g.b, "// %s sends %s %s.\n", id, op.Method, op.Path)
	if op.Summary != "" {
		fmt.Fprintf(&g.b, "// %s.\n", strings.TrimSuffix(op.Summary, "."))
	}
	if d := strings.TrimSpace(op.Spec.Description); d != "" {
		g.b.WriteString("//\n// " + strings.ReplaceAll(d, "\n", "\n// ") + "\n")
	}
	if doc := sessionHookDoc(op); doc != "" {
		g.b.WriteString("//\n// " + doc + "\n")
	}
	if op.Spec.Deprecated {
		reason, _ := op.Spec.Extensions["x-deprecated-reason"].(string)
		fmt.Fprintf(&g.b, "//\n// Deprecated: %s\n", reason)
	}
	ret, zero := "error", ""
	if result != "" && sessionHook(op) == "" {
		ret, zero = "("+result+", error)", "zero, "
	}
	success, failure := confirmEvents(op)
	confirmed := onSession && len(success) > 0
	sig := append([]string{"ctx context.Context"}, params...)
	if confirmed {
		sig = append(sig, "opts ...CallOption")
		fmt.Fprintf(&g.b, "//\n// Confirm(&ev) waits for %s", strings.Join(success, " or "))
		if len(failure) > 0 {
			fmt.Fprintf(&g.b, "; %s end the wait with ErrNotConfirmed", strings.Join(failure, ", "))
		}
		g.b.WriteString(".\n")
	}
	fmt.Fprintf(&g.b, "func (%s) %s(%s) %s {\n", recv, id, strings.Join(sig, ", "), ret)
	if zero != "" && (checks.Len() > 0 || confirmed) {
		fmt.Fprintf(&g.b, "var zero %s\n", result)
	}
	c := "s.c"
	if !onSession {
		c = "c"
	}
	if checks.Len() > 0 {
		fmt.Fprintf(&g.b, "if err := %s.check%s(%s); err != nil {\nreturn %serr\n}\n", c, id, strings.Join(checkArgs, ", "), zero)
	}
	if !onSession {
		g.b.WriteString("s := c.anonymous()\n")
	}
	if confirmed {
		fmt.Fprintf(&g.b, "w, err := s.startConfirm(confirm%s, opts)\nif err != nil {\nreturn %serr\n}\ndefer w.close()\n", id, zero)
		fmt.Fprintf(&g.confirms, "var confirm%s = confirmation{success: %s, failure: %s}\n", id, eventList(success), eventList(failure))
	}
	send := fmt.Sprintf("s.call(ctx, %q, func(ctx context.Context) (*http.Response, error) {\nreturn %s\n})\n", id, api)
	if secrets.Len() > 0 {
		if events || sessionHook(op) != "" {
			log.Fatalf("%s: x-secret inputs are supported only on ordinary operations", id)
		}
		fmt.Fprintf(&g.b, "var secrets []string // errors and logs withhold them\n%s", secrets.Bytes())
		send = fmt.Sprintf("s.callWithSecrets(ctx, %q, secrets, func(ctx context.Context) (*http.Response, error) {\nreturn %s\n})\n", id, api)
	}
	if events { // the reply carries events, not a result
		fmt.Fprintf(&g.b, "return s.fetchEvents(ctx, %q, func(ctx context.Context) (*http.Response, error) {\nreturn %s\n})\n}\n\n", id, api)
		return
	}
	if hook := sessionHook(op); hook != "" {
		// The hand-written hook sends it and applies its effect on the session.
		fmt.Fprintf(&g.b, "return s.%s(ctx, %q, func(ctx context.Context) (*http.Response, error) {\nreturn %s\n})\n}\n\n", hook, id, api)
		return
	}
	if confirmed {
		callID, pick := `""`, "" // the call the events must name, if the request names one
		for _, pd := range op.QueryParams {
			if pd.ParamName == "callid" {
				callID, pick = "callID", "callID := \"\"\nif params != nil {\ncallID = deref(params.Callid)\n}\n"
				if pd.Required {
					callID, pick = "params.Callid", ""
				}
			}
		}
		if result == "generated.CallId" {
			fmt.Fprintf(&g.b, "raw, err := %sid, err := decodeResult[%s](%q, s.agentID, raw, err)\nif err != nil {\nreturn id, err\n}\nreturn id, w.wait(ctx, %q, string(id))\n}\n\n", send, result, id, id)
		} else if result == "" {
			fmt.Fprintf(&g.b, "if _, err := %s; err != nil {\nreturn err\n}\n%sreturn w.wait(ctx, %q, %s)\n}\n\n", strings.TrimSuffix(send, "\n"), pick, id, callID)
		} else {
			log.Fatalf("%s: x-confirm on an operation whose result is not a call ID", id)
		}
		return
	}
	if none, _ := op.Spec.Extensions["x-none-retcode"].(string); none != "" && result != "" {
		fmt.Fprintf(&g.b, "raw, err := %sif apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.RetCode == %q {\nreturn nil, nil // \"none\": an empty result\n}\nreturn decodeResult[%s](%q, s.agentID, raw, err)\n}\n\n", send, none, result, id)
	} else if result != "" {
		fmt.Fprintf(&g.b, "raw, err := %sreturn decodeResult[%s](%q, s.agentID, raw, err)\n}\n\n", send, result, id)
	} else {
		fmt.Fprintf(&g.b, "_, err := %sreturn err\n}\n\n", send)
	}
}

// sessionHook names the hand-written Session method (x-session-hook's
// method) that sends the operation and applies its effect on the session:
// func(ctx, op string, send sendFunc) error.
func sessionHook(op codegen.OperationDefinition) string {
	hook, _ := op.Spec.Extensions["x-session-hook"].(map[string]any)
	name, _ := hook["method"].(string)
	return name
}

// sessionHookDoc is what the hook does, for the method's comment.
func sessionHookDoc(op codegen.OperationDefinition) string {
	hook, _ := op.Spec.Extensions["x-session-hook"].(map[string]any)
	doc, _ := hook["doc"].(string)
	return doc
}

func jsonBody(op codegen.OperationDefinition) *codegen.RequestBodyDefinition {
	for i, body := range op.Bodies {
		if body.NameTag == "JSON" {
			return &op.Bodies[i]
		}
	}
	return nil
}

// resultType is the generated model of the 200 reply's result, when the
// spec names one: the reply schema's result property is a $ref other than
// the untyped Result.
func resultType(op codegen.OperationDefinition) string {
	resp := op.Spec.Responses.Value("200")
	if resp == nil || resp.Value == nil {
		return ""
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return ""
	}
	res := media.Schema.Value.Properties["result"]
	if res == nil || res.Ref == "" || strings.HasSuffix(res.Ref, "/Result") {
		return ""
	}
	return "generated." + codegen.SchemaNameToTypeName(res.Ref[strings.LastIndex(res.Ref, "/")+1:])
}

func (g *wrapperGen) param(w *bytes.Buffer, expr string, pd codegen.ParameterDefinition, pointer bool) {
	if pd.Spec == nil || pd.Spec.Schema == nil || pd.Spec.Schema.Value == nil {
		return
	}
	agentID, _ := pd.Spec.Extensions["x-agent-id"].(bool)
	secret, _ := pd.Spec.Extensions["x-secret"].(bool)
	g.value(w, expr, pd.ParamName, pd.Spec.Schema.Value, pointer, agentID, secret)
}

// object checks the properties of a struct-typed value.
func (g *wrapperGen) object(w *bytes.Buffer, expr, prefix string, sch *openapi3.Schema) {
	required := map[string]bool{}
	for _, r := range sch.Required {
		required[r] = true
	}
	for _, name := range sortedKeys(sch.Properties) {
		p := sch.Properties[name].Value
		pointer := (!required[name] || p.Nullable) && !skipPointer(p)
		secret, _ := p.Extensions["x-secret"].(bool)
		agentID, _ := p.Extensions["x-agent-id"].(bool)
		field := expr + "." + codegen.SchemaNameToTypeName(name)
		if required[name] && !pointer && p.Type.Is("array") && !p.Nullable {
			// A nil slice is sent as null, which the server refuses.
			fmt.Fprintf(w, "if %s == nil {\nreturn &ValidationError{Field: %q, Value: \"null\", Rule: \"required: a list\"}\n}\n", field, prefix+name)
		}
		g.value(w, field, prefix+name, p, pointer, agentID, secret)
	}
}

func skipPointer(s *openapi3.Schema) bool {
	skip, _ := s.Extensions["x-go-type-skip-optional-pointer"].(bool)
	return skip
}

// value writes the checks of one value; a pointer is checked when set.
func (g *wrapperGen) value(w *bytes.Buffer, expr, field string, s *openapi3.Schema, pointer, agentID, secret bool) {
	var body bytes.Buffer
	v := expr
	if pointer {
		v = "*" + expr
	}
	secret = secret || s.Format == "password"
	fail := func(value, rule string) string { // the statement that reports a broken bound
		return fmt.Sprintf("return &ValidationError{Field: %q, Value: %s, Rule: %q}\n", field, value, rule)
	}
	switch {
	case s.Type.Is("integer"):
		switch {
		case agentID:
			fmt.Fprintf(&body, "if err := c.checkAgentID(%q, int(%s)); err != nil {\nreturn err\n}\n", field, v)
		case len(s.Enum) > 0:
			fmt.Fprintf(&body, "if v := int64(%s); %s {\n%s}\n", v, notIn("v", s.Enum), fail("strconv.Quote(strconv.FormatInt(v, 10))", "one of "+enumText(s.Enum)))
		case s.Min != nil || s.Max != nil:
			if cond := outside("v", s.Min, s.Max); cond != "" {
				fmt.Fprintf(&body, "if v := int64(%s); %s {\n%s}\n", v, cond, fail("strconv.FormatInt(v, 10)", rangeText(s.Min, s.Max, "")))
			}
		}
	case s.Type.Is("number"):
		if s.Min != nil || s.Max != nil || len(s.Enum) > 0 {
			log.Fatalf("%s: bounds on a number are not supported", field)
		}
	case s.Type.Is("string"):
		value := fmt.Sprintf("quote(string(%s), %t)", v, secret)
		if len(s.Enum) > 0 {
			fmt.Fprintf(&body, "if v := string(%s); %s {\n%s}\n", v, notIn("v", s.Enum), fail(value, "one of "+enumText(s.Enum)))
		}
		var maxLen *float64
		if s.MaxLength != nil {
			maxLen = ptr(float64(*s.MaxLength))
		}
		minLen := ptr(float64(s.MinLength))
		if s.MinLength == 0 {
			minLen = nil
		}
		if cond := outside("n", minLen, maxLen); cond != "" {
			fmt.Fprintf(&body, "if n := utf8.RuneCountInString(string(%s)); %s {\n%s}\n", v, cond, fail(value, rangeText(minLen, maxLen, " characters")))
		}
		if s.Pattern != "" {
			fmt.Fprintf(&body, "if !%s.MatchString(string(%s)) {\n%s}\n", g.pattern(s.Pattern), v, fail(value, "matching "+s.Pattern))
		}
	case s.Type.Is("array"):
		var maxItems *float64
		if s.MaxItems != nil {
			maxItems = ptr(float64(*s.MaxItems))
		}
		minItems := ptr(float64(s.MinItems))
		if s.MinItems == 0 {
			minItems = nil
		}
		if cond := outside("n", minItems, maxItems); cond != "" {
			fmt.Fprintf(&body, "if n := len(%s); %s {\n%s}\n", v, cond, fail(`strconv.Itoa(n) + " items"`, rangeText(minItems, maxItems, " items")))
		}
		if s.Items != nil && s.Items.Value != nil {
			var each bytes.Buffer
			g.value(&each, "item", field+"[]", s.Items.Value, false, agentID, secret)
			if each.Len() > 0 {
				fmt.Fprintf(&body, "for _, item := range %s {\n%s}\n", v, each.Bytes())
			}
		}
	case s.Type.Is("object") && len(s.Properties) > 0:
		g.object(&body, "("+v+")", field+".", s)
	}
	if body.Len() == 0 {
		return
	}
	if pointer {
		fmt.Fprintf(w, "if %s != nil {\n%s}\n", expr, body.Bytes())
		return
	}
	w.Write(body.Bytes())
}

func (g *wrapperGen) pattern(re string) string {
	if re == "" {
		return "nil"
	}
	if name, ok := g.patterns[re]; ok {
		return name
	}
	name := "pattern" + strconv.Itoa(len(g.order)+1)
	g.patterns[re] = name
	g.order = append(g.order, re)
	return name
}

func ptr[T any](v T) *T { return &v }

// outside is the condition that x breaks the bounds lo and hi (nil: none),
// or "" when there are none.
func outside(x string, lo, hi *float64) string {
	var cond []string
	if lo != nil {
		cond = append(cond, x+" < "+strconv.FormatInt(int64(*lo), 10))
	}
	if hi != nil {
		cond = append(cond, x+" > "+strconv.FormatInt(int64(*hi), 10))
	}
	return strings.Join(cond, " || ")
}

// rangeText is the rule a value outside lo-hi breaks, as errors say it.
func rangeText(lo, hi *float64, unit string) string {
	n := func(v *float64) string { return strconv.FormatInt(int64(*v), 10) }
	switch {
	case hi == nil:
		return "at least " + n(lo) + unit
	case lo == nil:
		return "at most " + n(hi) + unit
	}
	return n(lo) + "-" + n(hi) + unit
}

// notIn is the condition that x is none of values.
func notIn(x string, values []any) string {
	var cond []string
	for _, v := range values {
		switch e := v.(type) {
		case string:
			cond = append(cond, x+" != "+strconv.Quote(e))
		case float64:
			cond = append(cond, x+" != "+strconv.FormatInt(int64(e), 10))
		default:
			log.Fatalf("enum value %v of type %T is not supported", v, v)
		}
	}
	return strings.Join(cond, " && ")
}

// enumText lists the allowed values as errors say them.
func enumText(values []any) string {
	var items []string
	for _, v := range values {
		if f, ok := v.(float64); ok {
			v = strconv.FormatInt(int64(f), 10)
		}
		items = append(items, strconv.Quote(fmt.Sprint(v)))
	}
	return strings.Join(items, ", ")
}

func sortedKeys(m openapi3.Schemas) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// confirmEvents are the event types x-confirm says confirm and refute op.
func confirmEvents(op codegen.OperationDefinition) (success, failure []string) {
	c, _ := op.Spec.Extensions["x-confirm"].(map[string]any)
	return stringList(c["success"]), stringList(c["failure"])
}

// eventList writes event types as a []generated.EventType literal.
func eventList(types []string) string {
	if len(types) == 0 {
		return "nil"
	}
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = strconv.Quote(t)
	}
	return "[]generated.EventType{" + strings.Join(parts, ", ") + "}"
}
