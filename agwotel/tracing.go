package agwotel

import (
	"context"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// ScopeName is the instrumentation scope of this package's tracer and meter.
const ScopeName = "github.com/agentgateway-go/agentgateway/agwotel"

// WithTracing records a client span per request, named by its operationId
// ("SayBusy"), with agentgateway.agent_id, http.response.status_code,
// agentgateway.retcode and, on failure, error.type and the status Error;
// and one span per PickUp over its snatch (a child span) and its wait,
// with the events that wait saw as span events (agentgateway.event:
// type, stage, call ID). No error text is recorded: it may quote the
// gateway's message. tp nil is the global provider (otel.GetTracerProvider).
func WithTracing(tp trace.TracerProvider) wrapper.Option {
	if tp == nil {
		tp = otel.GetTracerProvider()
	}
	tracer := tp.Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL))
	return wrapper.WithHooks(wrapper.Hooks{
		Call: func(ctx context.Context, info wrapper.CallInfo) (context.Context, func(wrapper.CallResult)) {
			opts := []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)}
			if info.AgentID != 0 {
				opts = append(opts, trace.WithAttributes(AgentIDKey.Int(info.AgentID)))
			}
			ctx, span := tracer.Start(ctx, info.Op, opts...)
			return ctx, func(r wrapper.CallResult) { endSpan(span, r) }
		},
		Event: func(ctx context.Context, ev wrapper.EventInfo) {
			if ev.Stage == wrapper.EventDelivered {
				return // only a call's wait has a span to tell
			}
			span := trace.SpanFromContext(ctx)
			if !span.IsRecording() {
				return
			}
			attrs := []attribute.KeyValue{EventTypeKey.String(eventType(ev.Event.EventType)), EventStageKey.String(stageName(ev.Stage))}
			if id := ev.Event.CallID(); callIDPattern.MatchString(id) {
				attrs = append(attrs, CallIDKey.String(id))
			}
			span.AddEvent("agentgateway.event", trace.WithAttributes(attrs...))
		},
	})
}

func endSpan(span trace.Span, r wrapper.CallResult) {
	if !span.IsRecording() {
		span.End()
		return
	}
	attrs := make([]attribute.KeyValue, 0, 3)
	if r.HTTPStatus != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(r.HTTPStatus))
	}
	if c := retCode(r.RetCode); c != "" {
		attrs = append(attrs, RetCodeKey.String(c))
	}
	if r.Err != nil {
		typ := ErrorType(r.Err)
		attrs = append(attrs, semconv.ErrorTypeKey.String(typ))
		span.SetStatus(codes.Error, typ)
	}
	span.SetAttributes(attrs...)
	span.End()
}
