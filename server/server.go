package server

import (
	"context"
	"net/http"

	"github.com/agentgateway-go/agentgateway/generated"
)

// BasePath is where the vendor gateway serves its REST resources.
const BasePath = "/agentgateway/resource"

// MaxWideAgentID is the top of the agent-ID range of the 2025 vendor pages,
// which WithWideAgentIDs allows.
const MaxWideAgentID = 999999

// Option configures NewHandler.
type Option func(*config)

type config struct {
	wideAgentIDs bool
	strict       []generated.StrictMiddlewareFunc
	middleware   []func(http.Handler) http.Handler
	onRefused    func(ctx context.Context, operationID string, err error)
}

// WithWideAgentIDs raises the maximum of every parameter the spec marks
// `x-agent-id: true` to MaxWideAgentID, as the 2025 vendor pages allow.
func WithWideAgentIDs() Option { return func(c *config) { c.wideAgentIDs = true } }

// WithStrictMiddleware adds middleware around each operation of the
// strict server; they see the operationId and the decoded request object.
func WithStrictMiddleware(mw ...generated.StrictMiddlewareFunc) Option {
	return func(c *config) { c.strict = append(c.strict, mw...) }
}

// WithMiddleware wraps the whole handler: the middleware sees every request,
// refused ones included, before coercion and validation. The first one
// given is the outermost.
func WithMiddleware(mw ...func(http.Handler) http.Handler) Option {
	return func(c *config) { c.middleware = append(c.middleware, mw...) }
}

// WithRefusalHook calls f for each request refused before it reaches an
// operation (unknown path, wrong method, spec violation), with the
// operationId when the path and method matched one, else "".
func WithRefusalHook(f func(ctx context.Context, operationID string, err error)) Option {
	return func(c *config) { c.onRefused = f }
}

// NewHandler serves impl under BasePath behind the spec's request
// validation; see the package documentation for the replies.
func NewHandler(impl generated.StrictServerInterface, opts ...Option) http.Handler {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	strict := generated.NewStrictHandlerWithOptions(impl, c.strict,
		generated.StrictHTTPServerOptions{
			RequestErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
				writeEnvelope(w, http.StatusOK, CodeBadRequest, shortReason(err))
			},
			ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, _ error) {
				writeEnvelope(w, http.StatusOK, CodeOperationFailed, "internal error")
			},
		})
	mux := http.NewServeMux()
	// Validation answers unknown paths first; this catches what slips past.
	mux.HandleFunc("/", notFound)
	generated.HandlerWithOptions(strict, generated.StdHTTPServerOptions{
		BaseURL:    BasePath,
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeEnvelope(w, http.StatusOK, CodeBadRequest, shortReason(err))
		},
	})
	var h http.Handler = &gate{spec: specFor(c.wideAgentIDs), next: mux, onRefused: c.onRefused}
	for i := len(c.middleware) - 1; i >= 0; i-- {
		h = c.middleware[i](h)
	}
	return vendorWire(h)
}
