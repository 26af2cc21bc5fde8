package redisstore_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

var benchEvent = wrapper.Event{Event: generated.Event{EventType: "AgentEvent_Talking",
	Content: []byte(`{"callid":"1795615402-1","caller":"13800000000","called":"88001","feature":"0"}`)}}

// BenchmarkAppend is one fenced XADD (a Lua script) per event.
func BenchmarkAppend(b *testing.B) {
	r := startRedis(b)
	s := r.store(b, r.client(b))
	ctx := context.Background()
	l, err := s.Acquire(ctx, 20001, time.Hour)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Append(ctx, l, benchEvent); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendParallel appends for many agents at once, one lease each.
func BenchmarkAppendParallel(b *testing.B) {
	r := startRedis(b)
	s := r.store(b, r.client(b))
	ctx := context.Background()
	var next atomic.Int32
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		l, err := s.Acquire(ctx, 20000+int(next.Add(1)), time.Hour)
		if err != nil {
			b.Error(err)
			return
		}
		for pb.Next() {
			if _, err := s.Append(ctx, l, benchEvent); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRead reads 100 events (XRANGE) per op; ns/op / 100 is per event.
func BenchmarkRead(b *testing.B) {
	r := startRedis(b)
	s := r.store(b, r.client(b))
	ctx := context.Background()
	l, err := s.Acquire(ctx, 20001, time.Hour)
	require.NoError(b, err)
	for range 100 {
		_, err := s.Append(ctx, l, benchEvent)
		require.NoError(b, err)
	}
	b.ReportAllocs()
	for b.Loop() {
		evs, err := s.Read(ctx, 20001, "", 100)
		if err != nil || len(evs) != 100 {
			b.Fatal(err, len(evs))
		}
	}
}
