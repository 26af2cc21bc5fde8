package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// runWorker is one client process of -processes: a redisstore.Poller
// standing by for every agent, polling those whose lease it holds, until
// stdin closes. It
// then prints "WORKER <bytes per polled agent> <window p50> <p99> <max>
// <errors> <agents polled>" (nanoseconds), the window being from a poll
// reply read to its event in Redis (what a kill at that moment loses),
// errors the failures its pollers survived (Poller.OnError).
func runWorker(root, redisAddr, prefix string, n int, lease time.Duration) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	redis.SetLogger(quiet{}) // Poller.OnError counts the failures
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	w := &window{read: map[int]time.Time{}}
	// A poller's commands and replies are small: 4 KiB buffers, not 32.
	rdb := redis.NewClient(&redis.Options{Addr: redisAddr, PoolSize: 64, ContextTimeoutEnabled: true,
		ReadBufferSize: 4 << 10, WriteBufferSize: 4 << 10})
	defer rdb.Close()
	rdb.AddHook(w)
	store, err := redisstore.New(rdb, prefix)
	if err != nil {
		return err
	}
	client, err := wrapper.NewClient(root, wrapper.WithStateHook(store.Hook(nil)),
		wrapper.WithHeader("X-Worker", strconv.Itoa(os.Getpid())), // the gateway tells workers apart
		wrapper.WithHooks(wrapper.Hooks{Call: w.timePoll}))
	if err != nil {
		return err
	}
	var survived atomic.Int64
	p := &redisstore.Poller{Store: store, Client: client, LeaseTTL: lease,
		OnError: func(int, error) { survived.Add(1) },
		OnEnd: func(agent int, err error) {
			fmt.Fprintf(os.Stderr, "worker %d: agent %d: %v\n", os.Getpid(), agent, err)
		}}
	agents := make([]int, n)
	for i := range agents {
		agents[i] = agentBase + i
	}
	ran := make(chan error, 1)
	go func() { ran <- p.RunAgents(ctx, agents) }()
	_, _ = io.Copy(io.Discard, os.Stdin) // until the parent says stop
	var idle runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&idle)
	polling := w.polling.Load()
	perAgent := (int64(idle.HeapInuse+idle.StackInuse) - int64(before.HeapInuse+before.StackInuse)) / max(polling, 1)
	cancel()
	<-ran
	l := w.percentiles()
	fmt.Printf("WORKER %d %d %d %d %d %d\n", perAgent, l.P50, l.P99, l.Max, survived.Load(), polling)
	return nil
}

// window times each poll reply from its read to its event's append.
type window struct {
	polling atomic.Int64 // event polls in flight
	mu      sync.Mutex
	read    map[int]time.Time // by agent: when its last poll reply was read
	spans   []time.Duration
}

func (w *window) percentiles() latency {
	w.mu.Lock()
	defer w.mu.Unlock()
	return percentiles(w.spans)
}

// timePoll counts the event polls in flight and notes when each reply
// has been read (a wrapper.Hooks.Call).
func (w *window) timePoll(ctx context.Context, info wrapper.CallInfo) (context.Context, func(wrapper.CallResult)) {
	if info.Op != "PollEvent" {
		return ctx, nil
	}
	w.polling.Add(1)
	return ctx, func(wrapper.CallResult) {
		w.polling.Add(-1)
		w.mu.Lock()
		w.read[info.AgentID] = time.Now()
		w.mu.Unlock()
	}
}

// The redis.Hook methods: an append's (a script on the events key) end
// closes the window of its agent's last reply.
func (w *window) DialHook(next redis.DialHook) redis.DialHook { return next }

func (w *window) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func (w *window) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		err := next(ctx, cmd)
		if name := cmd.Name(); err != nil || (name != "evalsha" && name != "eval") {
			return err
		}
		for _, a := range cmd.Args() {
			if k, ok := a.(string); ok && strings.Contains(k, ":events:") {
				agent, _ := strconv.Atoi(k[strings.LastIndexByte(k, ':')+1:])
				w.mu.Lock()
				if t, ok := w.read[agent]; ok {
					w.spans = append(w.spans, time.Since(t))
				}
				w.mu.Unlock()
			}
		}
		return err
	}
}

// quiet is a go-redis logger that says nothing.
type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}
