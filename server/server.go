package server

import (
	"context"
	"net/http"

	"github.com/agentgateway-go/agentgateway/generated"
)

// DefaultMaxBodyBytes is the largest request body the kit reads unless
// WithMaxBodyBytes says otherwise: 1 MiB, far above the largest valid body
// (a transfer with 16 KB of call data).
const DefaultMaxBodyBytes = 1 << 20

// Option configures NewHandler.
type Option func(*config)

type config struct {
	wideAgentIDs bool
	maxBody      int64
	guidValid    func(ctx context.Context, agentID int, guid string) bool
	strict       []generated.StrictMiddlewareFunc
	middleware   []func(http.Handler) http.Handler
	onRefused    func(ctx context.Context, r Refusal)
}

// WithWideAgentIDs raises the maximum of every parameter the spec marks
// `x-agent-id: true` to generated.MaxAgentIDWide, as the 2025 vendor pages allow.
func WithWideAgentIDs() Option { return func(c *config) { c.wideAgentIDs = true } }

// WithMaxBodyBytes sets the largest request body read (default
// DefaultMaxBodyBytes); n <= 0 keeps the default. A larger body is refused
// with HTTP 413 and retcode 000-002 before it is read in full: at once when
// its Content-Length says so, else when the limit is reached.
func WithMaxBodyBytes(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.maxBody = n
		}
	}
}

// WithGuidCheck has valid judge the Guid header of every request to an
// operation whose spec requires it (all but SignIn, ForceSignIn and
// PollAllAgentEvents), after its parameters are checked and before its body
// is read. agentID is the path's {agentid}. A request without a Guid, or
// one valid refuses, is answered as the gateway does: HTTP 200, retcode
// 100-006. Without this option the kit checks no Guid: the operations must.
func WithGuidCheck(valid func(ctx context.Context, agentID int, guid string) bool) Option {
	return func(c *config) { c.guidValid = valid }
}

// WithStrictMiddleware adds middleware around each operation of the
// strict server; they see the operationId and the decoded request object.
func WithStrictMiddleware(mw ...generated.StrictMiddlewareFunc) Option {
	return func(c *config) { c.strict = append(c.strict, mw...) }
}

// WithMiddleware wraps the whole handler: the middleware sees every request,
// refused ones included, before it is checked. The first one given is the
// outermost.
func WithMiddleware(mw ...func(http.Handler) http.Handler) Option {
	return func(c *config) { c.middleware = append(c.middleware, mw...) }
}

// WithRefusalHook calls f for each request the kit answers itself instead
// of an operation (unknown path, wrong method, a request breaking the spec,
// a body too large, a Guid refused), with the Refusal, which holds no
// value of the request.
func WithRefusalHook(f func(ctx context.Context, r Refusal)) Option {
	return func(c *config) { c.onRefused = f }
}

// NewHandler serves impl under generated.BasePath behind the spec's request
// validation; see the package documentation for the replies.
func NewHandler(impl generated.StrictServerInterface, opts ...Option) http.Handler {
	c := config{maxBody: DefaultMaxBodyBytes}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	k := &kit{spec: specFor(c.wideAgentIDs), mux: http.NewServeMux(), maxBody: c.maxBody,
		guidValid: c.guidValid, onRefused: c.onRefused}
	strict := generated.NewStrictHandlerWithOptions(impl, c.strict,
		generated.StrictHTTPServerOptions{
			RequestErrorHandlerFunc: k.bindRefused,
			ResponseErrorHandlerFunc: func(w http.ResponseWriter, _ *http.Request, _ error) {
				writeEnvelope(w, http.StatusOK, CodeOperationFailed, "internal error")
			},
		})
	// The generated code registers each operation under its pattern; the
	// kit serves that pattern behind the operation's checks.
	routes := patterns{}
	generated.HandlerWithOptions(strict, generated.StdHTTPServerOptions{
		BaseURL: generated.BasePath, BaseRouter: routes, ErrorHandlerFunc: k.bindRefused,
	})
	for pattern, h := range routes {
		op := k.spec.ops[pattern]
		if op == nil {
			panic("server: the generated code serves " + pattern + ", which the spec does not name")
		}
		k.mux.Handle(pattern, &opHandler{k: k, op: op, next: h})
	}
	k.mux.HandleFunc("/", k.unrouted)
	var h http.Handler = k
	for i := len(c.middleware) - 1; i >= 0; i-- {
		h = c.middleware[i](h)
	}
	return vendorWire(h)
}

// patterns records what the generated code registers.
type patterns map[string]http.HandlerFunc

func (p patterns) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	p[pattern] = h
}

func (patterns) ServeHTTP(http.ResponseWriter, *http.Request) {
	panic("server: patterns only records routes")
}
