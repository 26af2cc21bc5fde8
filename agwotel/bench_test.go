package agwotel_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/agentgateway-go/agentgateway/agwotel"
	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// telemetryModes are the benchmarks' clients: without telemetry, with
// tracing (every span sampled, none exported), with metrics (a manual
// reader), and with both.
func telemetryModes() []struct {
	name string
	opts []wrapper.Option
} {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	return []struct {
		name string
		opts []wrapper.Option
	}{
		{"off", nil},
		{"tracing", []wrapper.Option{agwotel.WithTracing(tp)}},
		{"metrics", []wrapper.Option{agwotel.WithMetrics(mp)}},
		{"both", []wrapper.Option{agwotel.WithTracing(tp), agwotel.WithMetrics(mp)}},
	}
}

// BenchmarkCallTelemetry is one SayBusy (prolonged) per op against the
// fake gateway on loopback, in each of the telemetryModes.
//
//	go test -run '^$' -bench BenchmarkCallTelemetry -benchtime 2000x -count 3 ./agwotel
func BenchmarkCallTelemetry(b *testing.B) {
	srv := agwtest.New()
	defer srv.Close()
	require.NoError(b, agwtest.Demo(srv.Gateway))
	for i, mode := range telemetryModes() {
		b.Run(mode.name, func(b *testing.B) {
			c, err := wrapper.NewClient(srv.URL(), mode.opts...)
			require.NoError(b, err)
			ctx := context.Background()
			o := demoSignIn(20001 + i) // an agent per mode
			o.ForceIfSignedIn = true
			s, err := c.SignIn(ctx, 20001+i, o)
			require.NoError(b, err)
			require.NoError(b, s.SayBusy(ctx, &generated.SayBusyParams{}))
			again := &generated.SayBusyParams{Prolong: ptr(true)}
			b.ReportAllocs()
			for b.Loop() {
				if err := s.SayBusy(ctx, again); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTelemetryInMemory is BenchmarkCallTelemetry without the network:
// each SayBusy is answered in memory, so what differs between the modes is
// the telemetry's own cost.
//
//	go test -run '^$' -bench BenchmarkTelemetryInMemory -count 8 ./agwotel
func BenchmarkTelemetryInMemory(b *testing.B) {
	hc := &http.Client{Transport: answerSuccess{}}
	for _, mode := range telemetryModes() {
		b.Run(mode.name, func(b *testing.B) {
			c, err := wrapper.NewClient("http://gateway.invalid", append(mode.opts, wrapper.WithHTTPClient(hc))...)
			require.NoError(b, err)
			s, err := c.Resume(20001, "bench-guid")
			require.NoError(b, err)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				if err := s.SayBusy(ctx, &generated.SayBusyParams{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// answerSuccess answers every request with the gateway's success envelope.
type answerSuccess struct{}

func (answerSuccess) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: r,
		Header: http.Header{"Content-Type": {"application/json;charset=UTF-8"}},
		Body:   io.NopCloser(strings.NewReader(`{"message":"","retcode":"0","result":{}}`))}, nil
}
