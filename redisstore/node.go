package redisstore

import (
	"context"
	"sync"
	"time"
)

// node is one RunAgents: its agents, the loop that asks for their leases
// and the one that renews those held.
type node struct {
	*Poller
	ttl   time.Duration
	onEnd func(agent int, err error)

	mu      sync.Mutex
	waiting map[int]*agentRun // not held: ask for the lease at .due
	held    map[int]*holding  // polled by this process
	left    int               // agents not yet done
	polls   sync.WaitGroup    // holdings not yet finished
	wake    chan struct{}     // the acquire loop has work sooner than it thought
	allDone chan struct{}     // closed when left reaches 0
}

// workers bounds the Redis calls a node makes at once in each loop: a
// stalled Redis holds up that many, not one per agent.
const workers = 16

func (p *Poller) newNode(onEnd func(int, error)) *node {
	return &node{Poller: p, ttl: p.leaseTTL(), onEnd: onEnd, waiting: map[int]*agentRun{},
		held: map[int]*holding{}, wake: make(chan struct{}, 1), allDone: make(chan struct{})}
}

func (n *node) run(ctx context.Context, agents []int) error {
	for _, agent := range agents {
		if _, dup := n.waiting[agent]; !dup {
			a := &agentRun{node: n, agent: agent, owner: newName()}
			a.losses, _ = n.Store.lossCount()
			n.waiting[agent] = a
		}
	}
	n.left = len(n.waiting)
	if n.left == 0 {
		return nil
	}
	var loops sync.WaitGroup
	lctx, stop := context.WithCancel(ctx)
	loops.Go(func() { n.acquireLoop(lctx) })
	loops.Go(func() { n.renewLoop(lctx) })
	select {
	case <-ctx.Done():
	case <-n.allDone:
	}
	stop()
	loops.Wait()
	n.polls.Wait() // each holding ends on ctx, and releases its lease
	return ctx.Err()
}

// acquireLoop asks for the lease of each waiting agent whose time came,
// starting a holding for each granted, then sleeps until the next is due.
func (n *node) acquireLoop(ctx context.Context) {
	for ctx.Err() == nil {
		_ = n.Store.flush(ctx) // sessions this process holds that Redis lacks
		now := time.Now()
		var due []*agentRun
		next := now.Add(n.ttl / 4)
		n.mu.Lock()
		for _, a := range n.waiting {
			if !a.due.After(now) {
				due = append(due, a)
			} else if a.due.Before(next) {
				next = a.due
			}
		}
		n.mu.Unlock()
		parallel(due, func(a *agentRun) { a.try(ctx) })
		if len(due) > 0 {
			continue // time passed: look again
		}
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
		case <-n.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// renewLoop renews each held lease a third of the lease time after its
// last renewal (a tenth after a failure).
func (n *node) renewLoop(ctx context.Context) {
	tick := time.NewTicker(max(n.ttl/20, time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := time.Now()
		var due []*holding
		n.mu.Lock()
		for _, h := range n.held {
			if !h.renewAt.After(now) {
				due = append(due, h)
			}
		}
		n.mu.Unlock()
		parallel(due, func(h *holding) { h.renew(ctx) })
	}
}

// settle files agent a after a holding ended with err, or was refused
// with it: waiting again after a pause, or done.
func (n *node) settle(a *agentRun, err error) {
	wait, done := a.next(err)
	if done {
		a.ended = err
	}
	n.mu.Lock()
	delete(n.held, a.agent)
	if done {
		n.left--
		if n.left == 0 {
			close(n.allDone)
		}
	} else {
		a.due = time.Now().Add(wait)
		n.waiting[a.agent] = a
	}
	n.mu.Unlock()
	if done && n.onEnd != nil {
		n.onEnd(a.agent, a.ended)
	}
	if !done && wait == 0 {
		select {
		case n.wake <- struct{}{}:
		default:
		}
	}
}

// parallel runs f for each item, at most workers at a time, and waits.
func parallel[T any](items []T, f func(T)) {
	if len(items) == 1 {
		f(items[0])
		return
	}
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, it := range items {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f(it)
		})
	}
	wg.Wait()
}
