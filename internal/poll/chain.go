package poll

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Chain is Loop without a goroutine of its own: fetch starts a fetch and
// calls back (once) with its result, on any goroutine; pauses are timers
// (time.AfterFunc). done is called once, with what Loop would return.
//
// The rules are Loop's (options, end conditions, OnError and OnLost, the
// result). ctx ending during a pause stops the timer and calls done at
// once; ctx ending while a fetch is in flight calls done only after that
// fetch's then, so the fetcher must end on ctx. fetch is never called
// after ctx ended, nor before the previous fetch both returned and called
// then; deliver, OnError and OnLost run in order on the goroutine that
// called then, and done after fetch returned. A second then is ignored.
// A then called before fetch returns does not nest the next fetch: Chain
// runs it when fetch returns, so synchronous fetches do not grow the stack.
func Chain[E any](ctx context.Context, opts Options, fetch func(ctx context.Context, then func([]E, error)),
	deliver func(E) (skipped, fatal error), final func(error) error, done func(error)) {
	c := &chain[E]{ctx: ctx, step: newStep(opts, deliver, final), fetch: fetch, done: done}
	c.run()
}

type chain[E any] struct {
	ctx   context.Context
	step  *step[E]
	fetch func(context.Context, func([]E, error))
	done  func(error)
}

// call is one fetch in flight. Whichever comes second of fetch returning
// and then acts on the judgement: so fetches never overlap, and a then
// inside fetch leaves the next fetch to run's loop (the trampoline).
type call struct {
	called  atomic.Bool
	pending atomic.Int32 // of fetch returning and then; starts at 2
	pause   time.Duration
	stop    bool
	result  error
}

// run fetches until a fetch completes later (its then carries on), a pause
// starts (its timer carries on), or the poll ends.
func (c *chain[E]) run() {
	for {
		if stop, result := c.step.before(c.ctx); stop {
			c.done(result)
			return
		}
		k := new(call)
		k.pending.Store(2)
		c.fetch(c.ctx, func(events []E, err error) {
			if !k.called.CompareAndSwap(false, true) {
				return
			}
			k.pause, k.stop, k.result = c.step.after(c.ctx, events, err)
			if k.pending.Add(-1) == 0 && c.next(k) {
				c.run() // fetch returned before then: no stack to unwind to
			}
		})
		if k.pending.Add(-1) != 0 || !c.next(k) {
			return
		}
	}
}

// next acts on a judged fetch; it reports whether to fetch again at once.
func (c *chain[E]) next(k *call) bool {
	switch {
	case k.stop:
		c.done(k.result)
		return false
	case k.pause > 0:
		c.sleep(k.pause)
		return false
	}
	return true
}

// sleep pauses d, then runs on; ctx ending first stops the timer and runs
// on at once (run then ends the poll), without a goroutine waiting.
func (c *chain[E]) sleep(d time.Duration) {
	p := new(pause)
	p.mu.Lock()
	defer p.mu.Unlock() // the callbacks wait until both are set
	p.timer = time.AfterFunc(d, func() {
		if p.finish() {
			p.stopCtx()
			c.run()
		}
	})
	p.stopCtx = context.AfterFunc(c.ctx, func() {
		if p.finish() {
			p.timer.Stop()
			c.run()
		}
	})
}

// pause is a timer raced by ctx: only the first to finish it runs on, so
// the next fetch or done happens once.
type pause struct {
	mu      sync.Mutex
	over    bool
	timer   *time.Timer
	stopCtx func() bool
}

func (p *pause) finish() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.over {
		return false
	}
	p.over = true
	return true
}
