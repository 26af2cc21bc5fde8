package agwtest

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
	nethttpmiddleware "github.com/oapi-codegen/nethttp-middleware"
)

// loadSpec returns the embedded spec prepared for serving: one relative
// server, so the validator matches paths under basePath and never checks
// the Host header, and the wide agent-ID range when asked for.
func loadSpec(wide bool) (*openapi3.T, error) {
	spec, err := openapi.Load()
	if err != nil {
		return nil, fmt.Errorf("agwtest: embedded spec: %w", err)
	}
	spec.Servers = openapi3.Servers{{URL: basePath}}
	if wide {
		widenAgentIDs(spec)
	}
	return spec, nil
}

// widenAgentIDs raises the maximum of every agent-ID parameter to the 2025
// pages' 999999.
func widenAgentIDs(spec *openapi3.T) {
	limit := float64(maxWideAgentID)
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			for _, p := range op.Parameters {
				if p.Value == nil || p.Value.Schema == nil || p.Value.Schema.Value == nil {
					continue
				}
				if name := p.Value.Name; name == "agentid" || name == "destWorkNo" {
					p.Value.Schema.Value.Max = &limit
				}
			}
		}
	}
}

// validator checks each request against the spec before it is routed.
// Every refusal is an envelope: unknown path 404/000-002, wrong method
// 200/000-001, anything else breaking the spec 200/000-002.
func (g *Gateway) validator() func(http.Handler) http.Handler {
	if g.cfg.wideAgentIDs {
		return wideValidator()
	}
	return narrowValidator()
}

// The validators hold only read-only spec data, so gateways share them
// instead of loading the spec (milliseconds) for each one.
var (
	narrowValidator = sync.OnceValue(func() func(http.Handler) http.Handler { return newValidator(false) })
	wideValidator   = sync.OnceValue(func() func(http.Handler) http.Handler { return newValidator(true) })
)

func newValidator(wide bool) func(http.Handler) http.Handler {
	spec, err := loadSpec(wide)
	if err != nil {
		// The spec is compiled into the binary: failing here is a build defect.
		panic(err)
	}
	return nethttpmiddleware.OapiRequestValidatorWithOptions(spec, &nethttpmiddleware.Options{
		Options: openapi3filter.Options{
			// The fake checks the Guid itself, with the vendor's retcodes.
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		},
		SilenceServersWarning: true,
		ErrorHandlerWithOpts:  validationFailed,
	})
}

func validationFailed(ctx context.Context, err error, w http.ResponseWriter, _ *http.Request, opts nethttpmiddleware.ErrorHandlerOpts) {
	if rec := recordFrom(ctx); rec != nil && opts.MatchedRoute != nil && opts.MatchedRoute.Route.Operation != nil {
		rec.op = opts.MatchedRoute.Route.Operation.OperationID
	}
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		writeEnvelope(w, http.StatusOK, failure(codeWrongMethod, "method not allowed"))
	case opts.MatchedRoute == nil:
		notFound(w, nil)
	default:
		writeEnvelope(w, http.StatusOK, failure(codeBadRequest, shortReason(err)))
	}
}

func notFound(w http.ResponseWriter, _ *http.Request) {
	writeEnvelope(w, http.StatusNotFound, failure(codeBadRequest, "no such resource"))
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
