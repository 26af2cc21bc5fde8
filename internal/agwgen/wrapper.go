package main

import (
	"fmt"
	"strings"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// wrapperData is wrapper/operations.gen.go: for each operation a method
// (on *Session when the path names {agentid}, else on *Client) and, when
// the spec bounds any of its inputs, a check run before any I/O.
type wrapperData struct {
	Patterns []pattern
	Confirms []confirmTable
	Ops      []wrapperOp
}

// confirmTable is what confirms and what refutes an operation (x-confirm).
type confirmTable struct {
	ID               string
	Success, Failure []string
}

type goParam struct{ Name, Type string }

// wrapperOp is one operation's method and check.
type wrapperOp struct {
	ID         string
	Doc        []string  // the method's comment, a line each; "" is a blank line
	OnSession  bool      // a Session method, else a Client method
	Params     []goParam // the inputs, after ctx
	Checks     []check   // the inputs' check; none, no check method
	UsesClient bool      // the check reads the client's settings
	CheckArgs  []string
	Method     bool     // false: a hand-written method covers the operation, with its check
	Reply      string   // how the method ends; see the reply constants
	Result     string   // the Go type the method returns besides an error, or ""
	Zero       bool     // an early return needs the result's zero value
	Confirm    bool     // it takes CallOptions and waits for its confirmation
	FailOver   bool     // x-idempotent: it may be sent once more, to a backup gateway
	APIArgs    []string // the generated client's arguments after ctx and the agent ID
	Secrets    []secret // the x-secret inputs, withheld from errors and logs
	Hook       string   // replyHook: the session method that sends it and applies its effect
	NoneCode   string   // replyNone: the retcode that means an empty result
	CallID     string   // replyConfirm: the params field naming the call the events must name
	CallIDOpt  bool     // that field is optional
}

// How a wrapper method handles the reply.
const (
	replyNone      = "none"      // no result: only the error
	replyResult    = "result"    // the decoded result
	replyEmpty     = "empty"     // the decoded result; NoneCode answers an empty one
	replyEvents    = "events"    // the events the reply carries
	replyHook      = "hook"      // a hand-written session method takes it over
	replyConfirm   = "confirm"   // no result; then the wait for the confirming event
	replyConfirmID = "confirmID" // a call ID, and the wait for that call's confirming event
)

// secret is an x-secret input: Expr, when every condition in If holds.
type secret struct {
	If   []string
	Expr string
}

// The hand-written Session methods that send an operation with a session
// effect and apply it, and what the generated method's comment says of it.
var sessionHooks = map[sessionEffect]struct{ method, doc string }{
	effectEnds:        {"endSession", "Once it succeeds, the session is over and its Poll ends without an error."},
	effectReturnsGuid: {"adoptGuid", "The session uses the Guid it returns from then on."},
}

func wrapperFile(m *model, pkg string) ([]byte, error) {
	c := &checker{im: imports{}}
	var d wrapperData
	for _, op := range m.ops {
		w, err := wrapperOperation(c, op)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op.OperationId, err)
		}
		if w.Confirm {
			s, f := confirmEvents(op)
			d.Confirms = append(d.Confirms, confirmTable{op.OperationId, s, f})
		}
		d.Ops = append(d.Ops, w)
		if w.Method {
			c.im.add("context", "net/http")
		}
		if w.FailOver && w.Method {
			c.im.add(transportImport)
		}
		if w.Reply == replyEmpty {
			c.im.add("errors")
		}
	}
	d.Patterns = c.patterns
	c.im.add(generatedImport)
	return m.render("wrapper.tmpl", pkg, c.im, d)
}

func wrapperOperation(c *checker, op codegen.OperationDefinition) (wrapperOp, error) {
	w := wrapperOp{ID: op.OperationId, OnSession: onSession(op), FailOver: extBool(op.Spec.Extensions, "x-idempotent")}
	effect, err := effectOf(op)
	if err != nil {
		return w, err
	}
	w.Method = effect != effectStarts // Client.SignIn is written by hand
	c.client = false
	input := func(name, typ string) {
		w.Params = append(w.Params, goParam{name, typ})
		w.APIArgs = append(w.APIArgs, name)
		w.CheckArgs = append(w.CheckArgs, name)
	}
	for _, pd := range op.PathParams {
		if pd.ParamName == "agentid" {
			continue // the session's own agent
		}
		name := pd.GoVariableName()
		typ, err := paramType(pd)
		if err != nil {
			return w, err
		}
		input(name, qualify(typ))
		checks, err := c.param(name, pd, false)
		if err != nil {
			return w, err
		}
		w.Checks = append(w.Checks, checks...)
		w.Secrets = append(w.Secrets, secretOf(nil, name, pd.Spec.Extensions, false)...)
	}
	if err := w.params(c, op); err != nil {
		return w, err
	}
	if body := jsonBody(op); body != nil {
		input("body", "generated."+op.OperationId+"JSONRequestBody")
		sch := body.Schema.OAPISchema
		if len(sch.Properties) == 0 {
			w.Checks = append(w.Checks, check{Kind: kindNil, Expr: "body", Field: "body", Value: "nil", Rule: "a JSON object"})
		}
		checks, err := c.object("body", "", sch)
		if err != nil {
			return w, err
		}
		w.Checks = append(w.Checks, checks...)
		for _, name := range sortedKeys(sch.Properties) {
			field := "body." + codegen.SchemaNameToTypeName(name)
			w.Secrets = append(w.Secrets, secretOf(nil, field, sch.Properties[name].Value.Extensions, optionalPointer(sch, name))...)
		}
	}
	w.UsesClient = c.client
	w.Doc = methodDoc(op, sessionHooks[effect].doc)
	return w, w.reply(op, effect)
}

// params adds the query and header parameters, which the generated client
// takes as one *Params struct.
func (w *wrapperOp) params(c *checker, op codegen.OperationDefinition) error {
	pds := append(append([]codegen.ParameterDefinition{}, op.QueryParams...), op.HeaderParams...)
	if len(pds) == 0 {
		return nil
	}
	w.Params = append(w.Params, goParam{"params", "*generated." + op.OperationId + "Params"})
	w.APIArgs = append(w.APIArgs, "params")
	w.CheckArgs = append(w.CheckArgs, "params")
	var required []string
	var inner []check
	for _, pd := range pds {
		if pd.Required {
			required = append(required, pd.ParamName)
		}
		expr := "params." + pd.GoName()
		checks, err := c.param(expr, pd, pd.HasOptionalPointer())
		if err != nil {
			return err
		}
		inner = append(inner, checks...)
		w.Secrets = append(w.Secrets, secretOf([]string{"params != nil"}, expr, pd.Spec.Extensions, pd.HasOptionalPointer())...)
	}
	switch {
	case len(required) > 0:
		w.Checks = append(w.Checks, check{Kind: kindNil, Expr: "params", Field: "params", Value: "nil", Rule: "required: " + strings.Join(required, ", ")})
		w.Checks = append(w.Checks, inner...)
	case len(inner) > 0:
		w.Checks = append(w.Checks, check{Kind: kindSet, Expr: "params", Body: inner})
	}
	return nil
}

// reply decides how the method sends the operation and ends.
func (w *wrapperOp) reply(op codegen.OperationDefinition, effect sessionEffect) error {
	if name, _ := resultSchema(op); name != "" {
		w.Result = "generated." + name
	}
	success, _ := confirmEvents(op)
	w.Confirm = w.OnSession && len(success) > 0
	hook, hooked := sessionHooks[effect]
	events := extBool(op.Spec.Extensions, "x-events-reply")
	if len(w.Secrets) > 0 && (events || hooked) {
		return fmt.Errorf("x-secret inputs are supported only on ordinary operations")
	}
	none := str(op.Spec.Extensions["x-none-retcode"])
	switch {
	case events:
		w.Reply, w.Result = replyEvents, "[]Event"
	case hooked:
		w.Reply, w.Hook, w.Result = replyHook, hook.method, ""
	case w.Confirm && w.Result == "generated.CallId":
		w.Reply = replyConfirmID
	case w.Confirm && w.Result == "":
		w.Reply = replyConfirm
		for _, pd := range op.QueryParams {
			if pd.ParamName == "callid" {
				w.CallID, w.CallIDOpt = pd.GoName(), !pd.Required
			}
		}
	case w.Confirm:
		return fmt.Errorf("x-confirm on an operation whose result is not a call ID")
	case w.Result != "" && none != "":
		w.Reply, w.NoneCode = replyEmpty, none
	case w.Result != "":
		w.Reply = replyResult
	default:
		w.Reply = replyNone
	}
	w.Zero = w.Result != "" && (len(w.Checks) > 0 || w.Confirm)
	return nil
}

// methodDoc is the method's comment: the request line, the spec's summary
// and description, the session effect, deprecation and confirmation.
func methodDoc(op codegen.OperationDefinition, effectDoc string) []string {
	doc := []string{fmt.Sprintf("%s sends %s %s.", op.OperationId, op.Method, op.Path)}
	if op.Summary != "" {
		doc = append(doc, strings.TrimSuffix(op.Summary, ".")+".")
	}
	paragraph := func(lines ...string) { doc = append(append(doc, ""), lines...) }
	if d := strings.TrimSpace(op.Spec.Description); d != "" {
		paragraph(strings.Split(d, "\n")...)
	}
	if effectDoc != "" {
		paragraph(effectDoc)
	}
	if op.Spec.Deprecated {
		paragraph("Deprecated: " + str(op.Spec.Extensions["x-deprecated-reason"]))
	}
	if success, failure := confirmEvents(op); onSession(op) && len(success) > 0 {
		line := "Confirm(&ev) waits for " + strings.Join(success, " or ")
		if len(failure) > 0 {
			line += "; " + strings.Join(failure, ", ") + " end the wait with ErrNotConfirmed"
		}
		paragraph(line + ".")
	}
	return doc
}

// secretOf is the x-secret input expr, which the conditions cond guard; a
// pointer counts when set.
func secretOf(cond []string, expr string, ext map[string]any, pointer bool) []secret {
	if !extBool(ext, "x-secret") {
		return nil
	}
	s := secret{If: append([]string{}, cond...), Expr: expr}
	if pointer {
		s.If = append(s.If, expr+" != nil")
		s.Expr = "*" + expr
	}
	return []secret{s}
}

// confirmEvents are the event types x-confirm says confirm and refute op.
func confirmEvents(op codegen.OperationDefinition) (success, failure []string) {
	c, _ := op.Spec.Extensions["x-confirm"].(map[string]any)
	return stringList(c["success"]), stringList(c["failure"])
}

// qualify prefixes the exported identifiers of a Go type expression from
// package generated with "generated.".
func qualify(t string) string {
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 'A' && c <= 'Z' && (i == 0 || !isIdentByte(t[i-1]) && t[i-1] != '.') {
			b.WriteString("generated.")
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
