package fleet

import (
	"container/heap"
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// maxBeatsInFlight bounds KeepAliveAll's concurrent heartbeats.
const maxBeatsInFlight = 64

// KeepAliveAll sends heartbeats for every push-mode session the fleet
// tracks, now and later, on one goroutine instead of one
// wrapper.Session.KeepAlive each: a session's first heartbeat
// comes interval after it joined, then one every interval, none early
// and none while its last one is still in flight. A session leaves when
// it ends or another session of its agent replaces it. Failures go to onError, if set (from
// several goroutines at once). It returns ctx's error when ctx ends. One
// KeepAliveAll runs per fleet at a time. The arguments are KeepAlive's,
// checked before anything is sent.
func (f *Fleet) KeepAliveAll(ctx context.Context, serviceToken string, interval time.Duration, onError func(*wrapper.Session, error)) error {
	params, err := f.c.HeartbeatParams(serviceToken, interval)
	if err != nil {
		return err
	}
	b := &beats{interval: interval, wake: make(chan struct{}, 1), in: map[*wrapper.Session]bool{}}
	f.mu.Lock()
	if f.beats != nil {
		f.mu.Unlock()
		return errors.New("agentgateway: KeepAliveAll is already running")
	}
	f.beats = b
	for _, s := range f.routes {
		b.add(s, time.Now().Add(interval))
	}
	f.mu.Unlock()
	var wg sync.WaitGroup
	defer func() { // leave the sessions free for the next KeepAliveAll
		f.mu.Lock()
		f.beats = nil
		f.mu.Unlock()
		wg.Wait()
		for _, e := range b.q {
			b.leave(e.s)
		}
	}()
	sem := make(chan struct{}, maxBeatsInFlight)
	timer := time.NewTimer(interval)
	defer timer.Stop()
	for {
		due, next := b.takeDue(time.Now())
		for i, e := range due {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				for _, e := range due[i:] {
					b.leave(e.s)
				}
				return ctx.Err()
			}
			wg.Go(func() {
				defer func() { <-sem }()
				if f.Session(strconv.Itoa(e.s.AgentID())) != e.s {
					b.leave(e.s) // ended or replaced
					return
				}
				err := e.s.Handshake(ctx, params)
				switch {
				case ctx.Err() != nil, errors.Is(err, wrapper.ErrNotSignedIn):
					b.leave(e.s) // we stop, or the session ended (the call forgot it)
					return
				case err != nil:
					e.s.MarkGap(wrapper.GapPushFailed) // the gateway's pushes may have failed too
					if onError != nil {
						onError(e.s, err)
					}
				default:
					f.reportGap(ctx, e.s, f.onGap, false) // a later beat or event reports it otherwise
				}
				at := e.due.Add(interval)
				if late := time.Since(at); late > 0 { // skip the beats missed
					at = at.Add((late/interval + 1) * interval)
				}
				b.requeue(e.s, at)
			})
		}
		timer.Reset(next)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
		case <-b.wake:
		}
	}
}

// beats is KeepAliveAll's schedule: each push session once, by the time
// of its next heartbeat (or not at all while that heartbeat is in flight).
type beats struct {
	interval time.Duration
	wake     chan struct{} // an entry became the earliest
	mu       sync.Mutex
	q        beatQueue
	in       map[*wrapper.Session]bool // scheduled or in flight
}

type beat struct {
	due time.Time
	s   *wrapper.Session
}

// add schedules s at due, unless it is not a push session or is already
// scheduled or in flight.
func (b *beats) add(s *wrapper.Session, due time.Time) {
	if !s.State().Push {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.in[s] {
		b.in[s] = true
		b.push(s, due)
	}
}

// requeue schedules s, whose heartbeat came back, at due.
func (b *beats) requeue(s *wrapper.Session, due time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.push(s, due)
}

// leave drops s, whose heartbeat is not requeued, from the schedule.
func (b *beats) leave(s *wrapper.Session) {
	b.mu.Lock()
	delete(b.in, s)
	b.mu.Unlock()
}

func (b *beats) push(s *wrapper.Session, due time.Time) {
	heap.Push(&b.q, beat{due: due, s: s})
	if b.q[0].s == s {
		select {
		case b.wake <- struct{}{}:
		default:
		}
	}
}

// takeDue removes the entries due at now (their heartbeats go in flight)
// and returns them with the wait until the next.
func (b *beats) takeDue(now time.Time) ([]beat, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var due []beat
	for len(b.q) > 0 && !b.q[0].due.After(now) {
		due = append(due, heap.Pop(&b.q).(beat))
	}
	if len(b.q) == 0 {
		return due, b.interval
	}
	return due, b.q[0].due.Sub(now)
}

// beatQueue is a min-heap by due time (container/heap).
type beatQueue []beat

func (q beatQueue) Len() int           { return len(q) }
func (q beatQueue) Less(i, j int) bool { return q[i].due.Before(q[j].due) }
func (q beatQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *beatQueue) Push(x any)        { *q = append(*q, x.(beat)) }
func (q *beatQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}
