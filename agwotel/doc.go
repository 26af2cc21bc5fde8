// Package agwotel records OpenTelemetry traces and metrics of a
// wrapper.Client, through wrapper.WithHooks, so that the client itself
// links no telemetry SDK. Pass WithTracing and WithMetrics to
// wrapper.NewClient (tracing first, so that the metrics' exemplars name
// its spans).
//
// Spans: one client span per request, named by the spec's operationId
// ("SayBusy", "PollEvent"); one "PickUp" span over its SnatchPickup and
// its wait, with the events that wait saw as span events. Each request
// is sent under its span's context, so a transport instrumented with
// otelhttp (wrapper.WithTransport) adds its spans beneath. Metrics:
// agentgateway.call.duration, agentgateway.call.errors,
// agentgateway.events, agentgateway.poll.gaps, agentgateway.event.lag.
// Nothing recorded holds a Guid, password, service token or an event's
// content: attributes are agent IDs, operation IDs, HTTP statuses, and
// values from closed sets (retcodes and event types the spec documents,
// else "other"; the error types of ErrorType), and call IDs in span events.
package agwotel
