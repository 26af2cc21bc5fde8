package agwotel_test

import (
	"context"
	"fmt"

	"go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/agentgateway-go/agentgateway/agwotel"
	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// A client traced and measured. Here the providers keep what they record
// in memory; a service passes its own (OTLP exporters, say), or nil for
// the global ones.
func Example() {
	srv := agwtest.New() // the fake gateway, in place of a real one
	defer srv.Close()
	if err := agwtest.Demo(srv.Gateway); err != nil {
		fmt.Println(err)
		return
	}
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := metric.NewManualReader()
	mp := metric.NewMeterProvider(metric.WithReader(reader))

	c, err := wrapper.NewClient(srv.URL(), agwotel.WithTracing(tp), agwotel.WithMetrics(mp))
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx := context.Background()
	s, err := c.SignIn(ctx, 20001, wrapper.SignInOptions{Phone: "88001", Password: agwtest.DemoPassword})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.SayBusy(ctx, &generated.SayBusyParams{}))
	err = s.SayBusy(ctx, &generated.SayBusyParams{}) // busy already: the gateway refuses
	fmt.Println(agwotel.ErrorType(err))

	for _, span := range spans.Ended() {
		fmt.Println("span", span.Name(), span.Status().Code)
		for _, kv := range span.Attributes() {
			fmt.Println("  ", kv.Key, kv.Value.String())
		}
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		fmt.Println("metric", m.Name)
	}
	// Output:
	// <nil>
	// agent_operation
	// span SignIn Unset
	//    agentgateway.agent_id 20001
	//    http.response.status_code 200
	//    agentgateway.retcode 0
	// span SayBusy Unset
	//    agentgateway.agent_id 20001
	//    http.response.status_code 200
	//    agentgateway.retcode 0
	// span SayBusy Error
	//    agentgateway.agent_id 20001
	//    http.response.status_code 200
	//    agentgateway.retcode 100-009
	//    error.type agent_operation
	// metric agentgateway.call.duration
	// metric agentgateway.call.errors
}
