package agwotel

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// The metrics WithMetrics records.
const (
	CallDuration = "agentgateway.call.duration" // histogram, s: operation
	CallErrors   = "agentgateway.call.errors"   // counter: operation, retcode, error.type
	Events       = "agentgateway.events"        // counter: event_type
	PollGaps     = "agentgateway.poll.gaps"     // counter: gap_reason
	EventLag     = "agentgateway.event.lag"     // histogram, s
)

// durationBuckets span a quick query to an event poll's wait (about
// 10 s) and a PickUp's.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60}

// lagBuckets span an event fetched at once to one held by a slow poll.
var lagBuckets = []float64{0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

type meters struct {
	duration metric.Float64Histogram
	errors   metric.Int64Counter
	events   metric.Int64Counter
	gaps     metric.Int64Counter
	lag      metric.Float64Histogram
	byOp     sync.Map // operation → metric.MeasurementOption; operation IDs are a closed set
	byType   sync.Map // event type (or other) → metric.MeasurementOption
}

// WithMetrics records, per operation (PickUp as a whole too), each call's
// duration (agentgateway.call.duration) and failures
// (agentgateway.call.errors, with its retcode and error.type); each event
// handed to a session (agentgateway.events, by type); each gap noticed
// (agentgateway.poll.gaps, by reason); and, for events that carry their
// eventGenTime, the time from it to delivery (agentgateway.event.lag; a
// clock behind the gateway's counts as 0). Every label value is from a
// closed set: an event type or retcode the spec does not know is "other".
// mp nil is the global provider (otel.GetMeterProvider). An instrument the
// provider refuses goes to otel.Handle; the SDK still records with it.
func WithMetrics(mp metric.MeterProvider) wrapper.Option {
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	meter := mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))
	m := &meters{}
	var errs [5]error
	m.duration, errs[0] = meter.Float64Histogram(CallDuration, metric.WithUnit("s"),
		metric.WithDescription("Duration of agent gateway calls, by operation."), metric.WithExplicitBucketBoundaries(durationBuckets...))
	m.errors, errs[1] = meter.Int64Counter(CallErrors, metric.WithUnit("{call}"),
		metric.WithDescription("Failed agent gateway calls, by operation, retcode and error type."))
	m.events, errs[2] = meter.Int64Counter(Events, metric.WithUnit("{event}"),
		metric.WithDescription("Agent events handed to sessions, by type."))
	m.gaps, errs[3] = meter.Int64Counter(PollGaps, metric.WithUnit("{gap}"),
		metric.WithDescription("Places where an agent's events may have been lost, by reason."))
	m.lag, errs[4] = meter.Float64Histogram(EventLag, metric.WithUnit("s"),
		metric.WithDescription("Time from an event's eventGenTime to its delivery."), metric.WithExplicitBucketBoundaries(lagBuckets...))
	for _, err := range errs {
		if err != nil {
			otel.Handle(err)
		}
	}
	return wrapper.WithHooks(wrapper.Hooks{Call: m.call, Event: m.event, Gap: m.gap})
}

func (m *meters) call(ctx context.Context, info wrapper.CallInfo) (context.Context, func(wrapper.CallResult)) {
	start := time.Now()
	return ctx, func(r wrapper.CallResult) {
		m.duration.Record(ctx, time.Since(start).Seconds(), cached(&m.byOp, info.Op, OperationKey))
		if r.Err == nil {
			return
		}
		attrs := []attribute.KeyValue{OperationKey.String(info.Op), semconv.ErrorTypeKey.String(ErrorType(r.Err))}
		if c := retCode(r.RetCode); c != "" {
			attrs = append(attrs, RetCodeKey.String(c))
		}
		m.errors.Add(ctx, 1, metric.WithAttributes(attrs...))
	}
}

func (m *meters) event(ctx context.Context, ev wrapper.EventInfo) {
	if ev.Stage != wrapper.EventDelivered {
		return // a wait sees events already counted
	}
	m.events.Add(ctx, 1, cached(&m.byType, eventType(ev.Event.EventType), EventTypeKey))
	if gen := ev.Event.EventGenTime; gen != nil {
		m.lag.Record(ctx, max(time.Since(time.UnixMilli(*gen)).Seconds(), 0))
	}
}

func (m *meters) gap(g wrapper.Gap) {
	m.gaps.Add(context.Background(), 1, metric.WithAttributes(GapReasonKey.String(gapReason(g.Reason))))
}

// cached is the measurement option of key=value, made once per value:
// values come from a closed set.
func cached(c *sync.Map, value string, key attribute.Key) metric.MeasurementOption {
	if o, ok := c.Load(value); ok {
		return o.(metric.MeasurementOption)
	}
	o, _ := c.LoadOrStore(value, metric.WithAttributeSet(attribute.NewSet(key.String(value))))
	return o.(metric.MeasurementOption)
}
