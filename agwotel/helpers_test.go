package agwotel_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/agentgateway-go/agentgateway/agwotel"
	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// env is the fake gateway with its demo agents and a client recording its
// spans and metrics in memory.
type env struct {
	t      *testing.T
	srv    *agwtest.Server
	client *wrapper.Client
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader

	mu    sync.Mutex
	guids []string // every Guid the client held, from its state hook
}

func newEnv(t *testing.T, opts ...agwtest.Option) *env {
	t.Helper()
	srv := agwtest.New(append([]agwtest.Option{agwtest.WithPollWait(100 * time.Millisecond)}, opts...)...)
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	e := &env{t: t, srv: srv, spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(e.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(e.reader))
	c, err := wrapper.NewClient(srv.URL(), wrapper.WithTimeout(5*time.Second),
		agwotel.WithTracing(tp), agwotel.WithMetrics(mp),
		wrapper.WithStateHook(func(st wrapper.SessionState) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.guids = append(e.guids, st.Guid)
		}))
	require.NoError(t, err)
	e.client = c
	return e
}

// testContext bounds every test's network work.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// signIn signs a demo agent in and keeps it polling until the test ends;
// the channel gets its events.
func (e *env) signIn(id int) (*wrapper.Session, <-chan wrapper.Event) {
	e.t.Helper()
	s, err := e.client.SignIn(testContext(e.t), id, demoSignIn(id))
	require.NoError(e.t, err)
	events := make(chan wrapper.Event, 256)
	ctx, cancel := context.WithCancel(context.Background())
	done, err := s.PollInBackground(ctx, func(ev wrapper.Event) error {
		events <- ev
		return nil
	}, wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	require.NoError(e.t, err)
	e.t.Cleanup(func() {
		cancel()
		<-done
	})
	return s, events
}

// demoSignIn signs in demo agent id (20001-20005).
func demoSignIn(id int) wrapper.SignInOptions {
	a := agwtest.DemoAgents()[id-20001]
	return wrapper.SignInOptions{Phone: a.Phone, Password: a.Password}
}

// ring signs id in at the gateway (no client of its own) and rings it.
func (e *env) ring(id int) string {
	e.t.Helper()
	_, err := e.srv.SignIn(id)
	require.NoError(e.t, err)
	callID, err := e.srv.Ring(id, "13800000000")
	require.NoError(e.t, err)
	return callID
}

// waitFor reads events until one of type typ.
func waitFor(t *testing.T, events <-chan wrapper.Event, typ string) {
	t.Helper()
	ctx := testContext(t)
	for {
		select {
		case ev := <-events:
			if ev.EventType == typ {
				return
			}
		case <-ctx.Done():
			require.FailNow(t, "no event "+typ)
		}
	}
}

// ended returns the ended spans named name, in the order they ended.
func (e *env) ended(name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range e.spans.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

// attrs maps attributes to their values as text.
func attrs(kvs []attribute.KeyValue) map[string]string {
	m := map[string]string{}
	for _, kv := range kvs {
		m[string(kv.Key)] = kv.Value.String()
	}
	return m
}

// metrics collects what the reader holds, by metric name.
func (e *env) metrics() map[string]metricdata.Metrics {
	e.t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(e.t, e.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// counts maps each data point of an int64 counter, by its attributes
// ("k=v,k=v", sorted by key), to its value.
func counts(t *testing.T, m metricdata.Metrics) map[string]int64 {
	t.Helper()
	sum, ok := m.Data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is %T", m.Name, m.Data)
	out := map[string]int64{}
	for _, dp := range sum.DataPoints {
		out[setKey(dp.Attributes)] = dp.Value
	}
	return out
}

// histograms maps each data point of a float64 histogram, by its
// attributes, to the point.
func histograms(t *testing.T, m metricdata.Metrics) map[string]metricdata.HistogramDataPoint[float64] {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[float64])
	require.True(t, ok, "%s is %T", m.Name, m.Data)
	out := map[string]metricdata.HistogramDataPoint[float64]{}
	for _, dp := range h.DataPoints {
		out[setKey(dp.Attributes)] = dp
	}
	return out
}

func setKey(s attribute.Set) string {
	var parts []string
	for _, kv := range s.ToSlice() { // sorted by key
		parts = append(parts, string(kv.Key)+"="+kv.Value.String())
	}
	return strings.Join(parts, ",")
}

func (e *env) heldGuids() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.guids)
}
