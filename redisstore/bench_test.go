package redisstore_test

import (
	"context"
	"sync"
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
	rdb := r.client(b)
	s := r.store(b, rdb)
	ctx := context.Background()
	if err := rdb.Set(ctx, "agw:{test}:epoch", "aged.0", 0).Err(); err != nil {
		b.Fatal(err)
	}
	l, err := s.Acquire(ctx, 20001, "bench", time.Hour)
	require.NoError(b, err)
	b.ReportAllocs()
	var seq int64
	for b.Loop() {
		seq++
		if _, err := s.Append(ctx, l, seq, benchEvent); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendParallel appends for many agents at once, one lease each.
func BenchmarkAppendParallel(b *testing.B) {
	r := startRedis(b)
	rdb := r.client(b)
	s := r.store(b, rdb)
	ctx := context.Background()
	if err := rdb.Set(ctx, "agw:{test}:epoch", "aged.0", 0).Err(); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int32
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		l, err := s.Acquire(ctx, 20000+int(next.Add(1)), "bench", time.Hour)
		if err != nil {
			b.Error(err)
			return
		}
		var seq int64
		for pb.Next() {
			seq++
			if _, err := s.Append(ctx, l, seq, benchEvent); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkRead reads 100 events (XRANGE) per op; ns/op / 100 is per event.
func BenchmarkRead(b *testing.B) {
	r := startRedis(b)
	rdb := r.client(b)
	s := r.store(b, rdb)
	ctx := context.Background()
	if err := rdb.Set(ctx, "agw:{test}:epoch", "aged.0", 0).Err(); err != nil {
		b.Fatal(err)
	}
	l, err := s.Acquire(ctx, 20001, "bench", time.Hour)
	require.NoError(b, err)
	for i := range 100 {
		_, err := s.Append(ctx, l, int64(i+1), benchEvent)
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

// TestStreamEntryBytes measures a stream's Redis memory per entry
// (MEMORY USAGE, every entry sampled), of 1,000 entries that repeat the
// events a pickup brings the picker from the fake: the figure
// DefaultStreamMaxLen's comment and the README give.
func TestStreamEntryBytes(t *testing.T) {
	srv := fake(t)
	plain, err := wrapper.NewClient(srv.URL())
	require.NoError(t, err)
	signIn(t, plain, 20001, "88001")
	picker := signIn(t, plain, 20002, "88002")
	var mu sync.Mutex
	var timeline []wrapper.Event
	ctx, stop := context.WithCancel(ctxFor(t))
	done, err := picker.PollInBackground(ctx, func(ev wrapper.Event) error {
		mu.Lock()
		timeline = append(timeline, ev)
		mu.Unlock()
		return nil
	}, fastPoll)
	require.NoError(t, err)
	_, err = srv.Ring(20001, "13800000000")
	require.NoError(t, err)
	_, err = picker.PickUp(ctx, 20001)
	require.NoError(t, err)
	require.NoError(t, picker.Release(ctx))
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(timeline) > 0 && timeline[len(timeline)-1].EventType == "AgentOther_PhoneRelease"
	}, 5*time.Second, 5*time.Millisecond)
	stop()
	<-done

	r := startRedis(t)
	rdb := r.client(t)
	s := r.store(t, rdb)
	ageEpoch(t, rdb)
	l, err := s.Acquire(ctxFor(t), 20002, "me", time.Hour)
	require.NoError(t, err)
	const n = 1000
	for i := range n {
		_, err := s.Append(ctxFor(t), l, int64(i+1), timeline[i%len(timeline)])
		require.NoError(t, err)
	}
	bytes, err := rdb.MemoryUsage(ctxFor(t), "agw:{test}:events:20002", 0).Result()
	require.NoError(t, err)
	t.Logf("%d entries (a pickup's %d events over and over): %d bytes, %d per entry", n, len(timeline), bytes, bytes/n)
	require.InDelta(t, 220, bytes/n, 50, "DefaultStreamMaxLen's comment and the README say about 220")
}
