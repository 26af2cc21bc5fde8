package main

import (
	"context"
	"maps"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/redisstore"
)

// desk reads every agent's stream as a desk would, live: all of them in
// one Store.ReadMany every 100 ms, each entry once. What it read stays
// read when Redis loses its streams (-fault restart without persistence).
type desk struct {
	store   *redisstore.Store
	mu      sync.Mutex
	after   map[int]string // by agent: the last entry ID read
	entries map[int][]redisstore.StreamEvent
	events  int // entries that are events, not gaps
	stop    context.CancelFunc
	done    chan struct{}
}

func startDesk(ctx context.Context, store *redisstore.Store, n int) *desk {
	d := &desk{store: store, after: map[int]string{}, entries: map[int][]redisstore.StreamEvent{}, done: make(chan struct{})}
	for i := range n {
		d.after[agentBase+i] = ""
	}
	ctx, d.stop = context.WithCancel(ctx)
	go func() {
		defer close(d.done)
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			_ = d.read(ctx) // Redis may be down: read again at the next tick
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return d
}

// read reads what is new, once.
func (d *desk) read(ctx context.Context) error {
	d.mu.Lock()
	after := maps.Clone(d.after)
	d.mu.Unlock()
	rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	got, err := d.store.ReadMany(rctx, after, 1000)
	d.mu.Lock()
	defer d.mu.Unlock()
	for agent, evs := range got {
		if len(evs) == 0 || d.after[agent] != after[agent] {
			continue
		}
		d.entries[agent] = append(d.entries[agent], evs...)
		d.after[agent] = evs[len(evs)-1].ID
		for _, ev := range evs {
			if ev.Gap == nil {
				d.events++
			}
		}
	}
	return err
}

// count is how many events the desk has read.
func (d *desk) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.events
}

// close stops the live reads, reads once more and returns every entry.
func (d *desk) close(ctx context.Context) (map[int][]redisstore.StreamEvent, error) {
	d.stop()
	<-d.done
	err := d.read(ctx)
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.entries, err
}
