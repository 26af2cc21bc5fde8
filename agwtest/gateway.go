package agwtest

import (
	"context"
	"maps"
	"net/http"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// maxBody bounds request bodies, as the server kit does by default; the
// largest valid one (a transfer with 16 KB of call data) is far smaller.
const maxBody = server.DefaultMaxBodyBytes

// Gateway is an in-memory agent gateway. It is an http.Handler serving
// every operation of the embedded spec under /agentgateway/resource.
//
// All agent, call and event state sits behind one mutex that is never held
// while a poll waits: a poll waits on its session's wake channel, so
// thousands of concurrent long polls do not contend.
type Gateway struct {
	cfg     config
	handler http.Handler
	epoch   int64 // call IDs look like the vendor's "1455885056-1095"

	mu       sync.Mutex
	groups   map[string]bool
	agents   map[int]*agent
	byGuid   map[string]*agent // current and previous Guid of every session
	calls    map[string]*call
	callSeq  int
	taskSeq  int
	requests map[string]int
	queued   int
	sent     int
	allNext  int        // agent ID the next all-agent reply starts from
	console  consoleLog // recent events, for ConsoleHandler's timeline

	desk deskState // skills, queues and monitors of the agent-desk operations

	nextExpiry   time.Time // no idle session expires before this; zero: none pending
	idleSignOuts int
	pushFailures int

	closing    context.Context // cancelled by Close: ends push deliveries
	stopPushes context.CancelFunc
	pusher     *generated.CallbackInitiator
}

// NewGateway returns a gateway with no groups or agents; see AddGroup,
// AddAgent and Demo.
func NewGateway(opts ...Option) *Gateway {
	g := &Gateway{
		cfg:      newConfig(opts),
		epoch:    time.Now().Unix(),
		groups:   make(map[string]bool),
		agents:   make(map[int]*agent),
		byGuid:   make(map[string]*agent),
		calls:    make(map[string]*call),
		requests: make(map[string]int),
	}
	g.closing, g.stopPushes = context.WithCancel(context.Background())
	g.pusher = &generated.CallbackInitiator{Client: g.cfg.pushClient}
	g.handler = g.routes()
	return g
}

// routes serves the operations with the server kit: spec validation,
// vendor envelopes on every error path, and the operation middleware.
func (g *Gateway) routes() http.Handler {
	opts := []server.Option{
		server.WithStrictMiddleware(g.operationMiddleware),
		server.WithMaxBodyBytes(maxBody),
		server.WithRefusalHook(func(ctx context.Context, r server.Refusal) {
			if rec := recordFrom(ctx); rec != nil && r.Operation != "" {
				rec.op = r.Operation
			}
		}),
	}
	if g.cfg.wideAgentIDs {
		opts = append(opts, server.WithWideAgentIDs())
	}
	return server.NewHandler(api{g: g}, opts...)
}

// ServeHTTP serves one request; see the package documentation for the
// replies.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &record{}
	rw := &replyWriter{ResponseWriter: w, sniff: g.cfg.logger != nil}
	g.handler.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), recordKey{}, rec)))
	if g.cfg.logger != nil {
		g.logRequest(r, rec, rw, time.Since(start))
	}
}

// record collects what the log line needs from deeper layers.
type record struct{ op string }

type recordKey struct{}

func recordFrom(ctx context.Context) *record {
	rec, _ := ctx.Value(recordKey{}).(*record)
	return rec
}

// caller is what an operation needs from the HTTP exchange that the strict
// request objects do not carry.
type caller struct {
	guid   string      // the Guid request header
	header http.Header // reply headers, for the affinity cookie
}

type callerKey struct{}

func callerFrom(ctx context.Context) caller {
	c, _ := ctx.Value(callerKey{}).(caller)
	return c
}

// operationMiddleware counts the request, names it for the log and hands
// the operation its caller.
func (g *Gateway) operationMiddleware(f generated.StrictHandlerFunc, op string) generated.StrictHandlerFunc {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, req any) (any, error) {
		g.mu.Lock()
		g.requests[op]++
		g.mu.Unlock()
		if rec := recordFrom(ctx); rec != nil {
			rec.op = op
		}
		ctx = context.WithValue(ctx, callerKey{}, caller{guid: r.Header.Get("Guid"), header: w.Header()})
		return f(ctx, w, r, req)
	}
}

// Stats is a snapshot of the gateway's counters.
type Stats struct {
	Requests        map[string]int // per operationId, requests that reached the operation
	EventsQueued    int
	EventsDelivered int
	IdleSignOuts    int // sessions ended for want of a poll or heartbeat (WithIdleSignOut)
	PushFailures    int // push-mode deliveries that failed and were retried
}

// Stats returns a snapshot of the counters.
func (g *Gateway) Stats() Stats {
	g.lock()
	defer g.mu.Unlock()
	return Stats{Requests: maps.Clone(g.requests), EventsQueued: g.queued, EventsDelivered: g.sent, IdleSignOuts: g.idleSignOuts, PushFailures: g.pushFailures}
}

// Requests returns how many requests for operationID passed validation and
// reached the operation, e.g. to prove a client sent one SnatchPickup.
func (g *Gateway) Requests(operationID string) int {
	g.lock()
	defer g.mu.Unlock()
	return g.requests[operationID]
}
