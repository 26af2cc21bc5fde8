package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/agentgateway-go/agentgateway/openapi"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// served is the spec prepared for serving and its router.
type served struct {
	spec   *openapi3.T
	router routers.Router
}

// Handlers share the served spec, which holds only read-only data, instead
// of loading it (milliseconds) for each one: one per option set.
var (
	narrowSpec = sync.OnceValue(func() *served { return newServed(false) })
	wideSpec   = sync.OnceValue(func() *served { return newServed(true) })
)

func specFor(wide bool) *served {
	if wide {
		return wideSpec()
	}
	return narrowSpec()
}

// newServed loads the embedded spec with one relative server, so routes
// match under BasePath and the Host header is never checked, and widens
// agent IDs when asked.
func newServed(wide bool) *served {
	spec, err := openapi.Load()
	if err != nil {
		// The spec is compiled into the binary: failing here is a build defect.
		panic("server: " + err.Error())
	}
	spec.Servers = openapi3.Servers{{URL: BasePath}}
	if wide {
		widenAgentIDs(spec)
	}
	router, err := gorillamux.NewRouter(spec)
	if err != nil {
		panic("server: routing the embedded spec: " + err.Error())
	}
	return &served{spec: spec, router: router}
}

// widenAgentIDs raises the maximum of every parameter marked
// `x-agent-id: true` to MaxWideAgentID.
func widenAgentIDs(spec *openapi3.T) {
	limit := float64(MaxWideAgentID)
	widen := func(p *openapi3.ParameterRef) {
		if p == nil || p.Value == nil || p.Value.Extensions["x-agent-id"] != true {
			return
		}
		if s := p.Value.Schema; s != nil && s.Value != nil {
			s.Value.Max = &limit
		}
	}
	if spec.Components != nil {
		for _, p := range spec.Components.Parameters {
			widen(p)
		}
	}
	for _, item := range spec.Paths.Map() {
		for _, p := range item.Parameters {
			widen(p)
		}
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				widen(p)
			}
		}
	}
}

// gate routes each request by the spec, coerces its body and validates it
// before it reaches next. Every refusal is an envelope: unknown path
// 404/000-002, wrong method 200/000-001, anything else breaking the spec
// 200/000-002.
type gate struct {
	spec      *served
	next      http.Handler
	onRefused func(ctx context.Context, operationID string, err error)
}

// filterOptions leave the Guid to the implementation, which answers a bad
// one with the vendor's retcodes.
var filterOptions = &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, params, err := g.spec.router.FindRoute(r)
	if err != nil {
		g.refuse(r.Context(), "", err)
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			writeEnvelope(w, http.StatusOK, CodeWrongMethod, "method not allowed")
			return
		}
		notFound(w, r)
		return
	}
	if err := coerceBody(r, route.Operation); err != nil {
		g.refuse(r.Context(), route.Operation.OperationID, err)
		writeEnvelope(w, http.StatusOK, CodeBadRequest, firstLine("invalid request body: "+err.Error()))
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: filterOptions}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		g.refuse(r.Context(), route.Operation.OperationID, err)
		writeEnvelope(w, http.StatusOK, CodeBadRequest, shortReason(err))
		return
	}
	g.next.ServeHTTP(w, r)
}

func (g *gate) refuse(ctx context.Context, op string, err error) {
	if g.onRefused != nil {
		g.onRefused(ctx, op, err)
	}
}

// shortReason turns a validation or binding error into a one-line message
// naming the parameter or body field. Schema violations are described by
// their rule alone, never with the offending value, which may be a
// password.
func shortReason(err error) string {
	var reqErr *openapi3filter.RequestError
	if !errors.As(err, &reqErr) {
		return firstLine("invalid request: " + err.Error())
	}
	reason := reqErr.Reason
	var schemaErr *openapi3.SchemaError
	if errors.As(reqErr.Err, &schemaErr) {
		reason = schemaErr.Reason
		if ptr := schemaErr.JSONPointer(); len(ptr) > 0 {
			reason = strings.Join(ptr, ".") + ": " + reason
		}
	} else if reason == "" && reqErr.Err != nil {
		reason = reqErr.Err.Error()
	}
	switch {
	case reqErr.Parameter != nil:
		return firstLine(fmt.Sprintf("invalid parameter %s: %s", reqErr.Parameter.Name, reason))
	case reqErr.RequestBody != nil:
		return firstLine("invalid request body: " + reason)
	}
	return firstLine("invalid request: " + reason)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
