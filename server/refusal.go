package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Refusal is why the kit answered a request itself instead of handing it to
// an operation. It names where and which rule, never a value sent: Field
// and Reason come from the spec and the kit's rules, not from the request.
// WithRefusalHook receives it; its Message is the reply's message.
type Refusal struct {
	Operation string // operationId; "" when the path and method matched none
	In        string // "path", "query", "header" or "body"; "" for the request as a whole
	Field     string // the parameter or header, or the body field's path ("skills.0"); "" for the whole body
	Rule      string // the rule broken: a schema keyword ("maximum", "required", "type", ...) or a Rule constant
	Reason    string // the rule in words ("must be at most 59999")
	Status    int    // the reply's HTTP status
	RetCode   string // the reply's retcode
}

// The kit's own rules, beside the schema keywords a Refusal's Rule may name.
const (
	RuleNotFound  = "notFound"  // no operation has this path (HTTP 404)
	RuleMethod    = "method"    // the path exists, the method does not
	RuleTooLarge  = "tooLarge"  // the body is over the limit (HTTP 413)
	RuleMediaType = "mediaType" // the body is not application/json
	RuleSyntax    = "syntax"    // the body is not one JSON value
	RuleEncoding  = "encoding"  // the body is not UTF-8
	RuleRead      = "read"      // the body could not be read
	RuleCase      = "case"      // a key differs only in case from a property
	RuleRepeated  = "repeated"  // a parameter given more than once
	RuleGuid      = "guid"      // WithGuidCheck refused the Guid (retcode 100-006)
	RuleBind      = "bind"      // the generated code could not bind a validated value
)

// Message is the reply's message: the field and the rule, never a value.
func (r Refusal) Message() string {
	switch {
	case r.Rule == RuleNotFound:
		return "no such resource"
	case r.Rule == RuleMethod:
		return "method not allowed"
	case r.Rule == RuleTooLarge:
		return "request body too large: " + r.Reason
	case r.Rule == RuleGuid:
		return r.Field + " " + r.Reason
	case r.In == "body" && r.Field != "":
		return "invalid request body: " + r.Field + ": " + r.Reason
	case r.In == "body":
		return "invalid request body: " + r.Reason
	case r.In == "header" && r.Field != "":
		return "invalid header " + r.Field + ": " + r.Reason
	case r.Field != "":
		return "invalid parameter " + r.Field + ": " + r.Reason
	}
	return "invalid request: " + r.Reason
}

// Error is the operation, the message, the HTTP status and the retcode.
func (r Refusal) Error() string {
	s := r.Message() + " (HTTP " + strconv.Itoa(r.Status) + ", retcode " + r.RetCode + ")"
	if r.Operation != "" {
		s = r.Operation + ": " + s
	}
	return s
}

// badRequest is the refusal of a request breaking the spec: HTTP 200,
// retcode 000-002, as the vendor answers.
func badRequest(op *operation, in string, f *fault) Refusal {
	return Refusal{Operation: op.id, In: in, Field: f.field, Rule: f.rule, Reason: f.reason,
		Status: http.StatusOK, RetCode: CodeBadRequest}
}

// refuse calls the hook, then answers with the refusal's envelope.
func (k *kit) refuse(ctx context.Context, w http.ResponseWriter, r Refusal) {
	if k.onRefused != nil {
		k.onRefused(ctx, r)
	}
	writeEnvelope(w, r.Status, r.RetCode, r.Message())
}

// bindRefused answers what the generated code could not bind, after the
// kit validated it; it names the parameter, never the parser's error, which
// quotes the value.
func (k *kit) bindRefused(w http.ResponseWriter, r *http.Request, err error) {
	ref := Refusal{In: "body", Rule: RuleBind, Reason: "cannot be bound to the operation's types",
		Status: http.StatusOK, RetCode: CodeBadRequest}
	op := k.spec.ops[r.Pattern]
	if op != nil {
		ref.Operation = op.id
	}
	if name := paramName(err); name != "" {
		ref.In, ref.Field = "", name
		if op != nil {
			for _, p := range op.params {
				if p.name == name {
					ref.In = p.in
				}
			}
		}
	}
	k.refuse(r.Context(), w, ref)
}

// paramName is the parameter a generated binding error names, if any.
func paramName(err error) string {
	var (
		format   *generated.InvalidParamFormatError
		required *generated.RequiredParamError
		many     *generated.TooManyValuesForParamError
		header   *generated.RequiredHeaderError
		unmarsh  *generated.UnmarshalingParamError
		cookie   *generated.UnescapedCookieParamError
	)
	switch {
	case errors.As(err, &format):
		return format.ParamName
	case errors.As(err, &required):
		return required.ParamName
	case errors.As(err, &many):
		return many.ParamName
	case errors.As(err, &header):
		return header.ParamName
	case errors.As(err, &unmarsh):
		return unmarsh.ParamName
	case errors.As(err, &cookie):
		return cookie.ParamName
	}
	return ""
}
