package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"
)

// kit routes with the generated code's own ServeMux patterns and puts each
// operation behind its compiled checks.
type kit struct {
	spec      *served
	mux       *http.ServeMux
	maxBody   int64
	guidValid func(ctx context.Context, agentID int, guid string) bool
	onRefused func(ctx context.Context, r Refusal)
}

func (k *kit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// ServeMux would redirect an unclean path; the gateway has none there.
	if p := r.URL.Path; p == "" || path.Clean(p) != p {
		k.refuse(r.Context(), w, notFound)
		return
	}
	k.mux.ServeHTTP(w, r)
}

var notFound = Refusal{Rule: RuleNotFound, Reason: "no such resource", Status: http.StatusNotFound, RetCode: CodeBadRequest}

// unrouted answers what no operation's pattern matched: a path served with
// another method is a wrong method, anything else unknown.
func (k *kit) unrouted(w http.ResponseWriter, r *http.Request) {
	for _, m := range k.spec.methods {
		if m == r.Method {
			continue
		}
		if _, pattern := k.mux.Handler(&http.Request{Method: m, URL: r.URL, Host: r.Host}); k.spec.ops[pattern] != nil {
			k.refuse(r.Context(), w, Refusal{Rule: RuleMethod, Reason: "method not allowed",
				Status: http.StatusOK, RetCode: CodeWrongMethod})
			return
		}
	}
	k.refuse(r.Context(), w, notFound)
}

// opHandler checks a request to one operation (size, parameters, Guid,
// body, in that order) before the generated code binds it.
type opHandler struct {
	k    *kit
	op   *operation
	next http.HandlerFunc
}

func (h *opHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k, op := h.k, h.op
	if r.ContentLength > k.maxBody {
		k.refuse(r.Context(), w, k.tooLarge(w, op))
		return
	}
	if in, f := op.checkParams(r); f != nil {
		k.refuse(r.Context(), w, badRequest(op, in, f))
		return
	}
	if op.needsGuid && k.guidValid != nil {
		if ref, ok := k.checkGuid(r, op); !ok {
			k.refuse(r.Context(), w, ref)
			return
		}
	}
	if op.body != nil {
		if !k.checkBody(w, r, op) {
			return
		}
	} else if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, k.maxBody)
	}
	h.next(w, r)
}

// checkGuid asks WithGuidCheck's function about the request's Guid; a
// missing one is refused without asking.
func (k *kit) checkGuid(r *http.Request, op *operation) (Refusal, bool) {
	reason := "header missing"
	if guid := r.Header.Get("Guid"); guid != "" {
		id := 0
		if op.agentID {
			id, _ = strconv.Atoi(r.PathValue("agentid")) // validated already
		}
		if k.guidValid(r.Context(), id, guid) {
			return Refusal{}, true
		}
		reason = "not valid"
	}
	return Refusal{Operation: op.id, In: "header", Field: "Guid", Rule: RuleGuid, Reason: reason,
		Status: http.StatusOK, RetCode: CodeNotSignedIn}, false
}

// checkBody reads the body (at most maxBody bytes), checks its syntax,
// decodes once what the schema describes (see decode) and checks that; the
// request then carries the checked value for the generated code to bind
// (validatedBody). It answers a refusal and reports false.
func (k *kit) checkBody(w http.ResponseWriter, r *http.Request, op *operation) bool {
	isJSON := mediaTypeIsJSON(r.Header.Get("Content-Type"))
	if r.ContentLength > 0 && !isJSON {
		return k.refuseBody(w, r, op, "header", "Content-Type", RuleMediaType, "must be "+jsonMediaType)
	}
	body, err := k.read(w, r)
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		k.refuse(r.Context(), w, k.tooLarge(w, op))
		return false
	case err != nil:
		return k.refuseBody(w, r, op, "body", "", RuleRead, "could not be read")
	case len(bytes.TrimLeft(body, " \t\r\n")) == 0:
		if op.bodyRequired {
			return k.refuseBody(w, r, op, "body", "", "required", "is required")
		}
		r.Body, r.ContentLength = http.NoBody, 0
		return true
	case !isJSON:
		return k.refuseBody(w, r, op, "header", "Content-Type", RuleMediaType, "must be "+jsonMediaType)
	case !utf8.Valid(body):
		return k.refuseBody(w, r, op, "body", "", RuleEncoding, "must be UTF-8")
	}
	if !json.Valid(body) {
		return k.refuseBody(w, r, op, "body", "", RuleSyntax, "must be one JSON value")
	}
	v, err := op.body.decode(bytes.TrimSpace(body))
	if err != nil {
		return k.refuseBody(w, r, op, "body", "", RuleSyntax, "must be one JSON value")
	}
	v, _, f := op.body.check(v)
	if f != nil {
		k.refuse(r.Context(), w, badRequest(op, "body", f))
		return false
	}
	r.Body = &validatedBody{Reader: bytes.NewReader(body), value: v}
	r.ContentLength, r.GetBody = int64(len(body)), nil
	return true
}

func (k *kit) refuseBody(w http.ResponseWriter, r *http.Request, op *operation, in, field, rule, reason string) bool {
	k.refuse(r.Context(), w, badRequest(op, in, &fault{field: field, rule: rule, reason: reason}))
	return false
}

// read reads the whole body, refusing more than maxBody bytes.
func (k *kit) read(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, nil
	}
	body := http.MaxBytesReader(w, r.Body, k.maxBody)
	if n := r.ContentLength; n > 0 {
		buf := make([]byte, n) // n <= maxBody, checked first
		_, err := io.ReadFull(body, buf)
		return buf, err
	}
	return io.ReadAll(body)
}

// tooLarge is the refusal of a body over the limit: HTTP 413 and the
// connection closed, so the rest of the body is never read.
func (k *kit) tooLarge(w http.ResponseWriter, op *operation) Refusal {
	w.Header().Set("Connection", "close")
	return Refusal{Operation: op.id, In: "body", Rule: RuleTooLarge,
		Reason: "the limit is " + strconv.FormatInt(k.maxBody, 10) + " bytes",
		Status: http.StatusRequestEntityTooLarge, RetCode: CodeBadRequest}
}

func mediaTypeIsJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), jsonMediaType)
}

// validatedBody is a request body the kit checked. The generated code binds
// ValidatedValue (the oapi-codegen runtime asks for it), matching names
// exactly: the operation receives exactly the value checked, decoded once.
// Reading it gives the body as sent.
type validatedBody struct {
	*bytes.Reader
	value any
}

func (b *validatedBody) ValidatedValue() any { return b.value }

func (*validatedBody) Close() error { return nil }
