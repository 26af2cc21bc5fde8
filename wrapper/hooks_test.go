package wrapper_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// hookLog records what a set of hooks is told, under a name.
type hookLog struct {
	mu    sync.Mutex
	lines []string
	calls []wrapper.CallResult
	waits []wrapper.EventInfo // the events seen by waits, with the waiting call's context
	gaps  []wrapper.Gap
}

type ctxKey string

func (l *hookLog) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, line)
}

func (l *hookLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}

// hooks logs each call's start and end as name+" start "+op, with the
// operation its context was started under (ctxKey "op"), and marks its
// own context for the calls under it.
func (l *hookLog) hooks(name string) wrapper.Hooks {
	return wrapper.Hooks{
		Call: func(ctx context.Context, info wrapper.CallInfo) (context.Context, func(wrapper.CallResult)) {
			parent, _ := ctx.Value(ctxKey(name)).(string)
			if info.Op != "PollEvent" {
				l.add(name + " start " + info.Op + " under " + parent)
			}
			return context.WithValue(ctx, ctxKey(name), info.Op), func(r wrapper.CallResult) {
				if info.Op == "PollEvent" {
					return
				}
				l.add(name + " end " + info.Op)
				l.mu.Lock()
				defer l.mu.Unlock()
				l.calls = append(l.calls, r)
			}
		},
		Event: func(ctx context.Context, ev wrapper.EventInfo) {
			if ev.Stage == wrapper.EventDelivered {
				return
			}
			op, _ := ctx.Value(ctxKey(name)).(string)
			l.add(name + " event " + ev.Event.EventType + " in " + op)
			l.mu.Lock()
			defer l.mu.Unlock()
			l.waits = append(l.waits, ev)
		},
		Gap: func(g wrapper.Gap) {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.gaps = append(l.gaps, g)
		},
	}
}

// TestHooksPickUp: the hooks see PickUp as one call over its snatch, in the
// order given (their ends reversed), the events that confirmed it with
// PickUp's context, and a refused call's retcode.
func TestHooksPickUp(t *testing.T) {
	f := newFake(t)
	var log hookLog
	delivered := make(chan wrapper.EventInfo, 256)
	c, err := wrapper.NewClient(f.srv.URL(), wrapper.WithTimeout(5*time.Second),
		wrapper.WithHooks(log.hooks("a")), wrapper.WithHooks(log.hooks("b")),
		wrapper.WithHooks(wrapper.Hooks{Event: func(_ context.Context, ev wrapper.EventInfo) {
			if ev.Stage == wrapper.EventDelivered {
				delivered <- ev
			}
		}}))
	require.NoError(t, err)
	f.client = c
	f.signIn(20001)
	picker, pickerEvents := f.signIn(20002)
	f.ring(20001, false)

	_, err = picker.PickUp(testContext(t), 20001)
	require.NoError(t, err)
	nextTypes(t, pickerEvents, 3)
	err = picker.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: 20001})
	require.ErrorIs(t, err, wrapper.ErrAgentOperation)

	lines := log.snapshot()
	pickUp := []string{"a start PickUp under ", "b start PickUp under ",
		"a start SnatchPickup under PickUp", "b start SnatchPickup under PickUp",
		"b end SnatchPickup", "a end SnatchPickup"}
	require.GreaterOrEqual(t, len(lines), len(pickUp)+4, lines)
	signIns := 2 * 4 // two agents, two hooks, start and end
	assert.Equal(t, pickUp, lines[signIns:signIns+len(pickUp)], "in order; ends reversed; the snatch under PickUp")
	assert.Contains(t, lines, "a event AgentEvent_Talking in PickUp", "the confirming event, with PickUp's context")
	assert.Contains(t, lines, "b event AgentOther_PhoneAlerting in PickUp", "an event the wait passed over")
	assert.Equal(t, []string{"b end PickUp", "a end PickUp"}, filter(lines, " end PickUp"))

	log.mu.Lock()
	calls := slices.Clone(log.calls)
	waits := slices.Clone(log.waits)
	log.mu.Unlock()
	last := calls[len(calls)-1]
	assert.Equal(t, 200, last.HTTPStatus)
	assert.Equal(t, "100-007", last.RetCode, "the refused snatch")
	assert.ErrorIs(t, last.Err, wrapper.ErrAgentOperation)
	assert.Equal(t, wrapper.CallResult{HTTPStatus: 200, RetCode: "0"}, calls[0], "a sign-in")
	stages := map[wrapper.EventStage]bool{}
	for _, w := range waits {
		stages[w.Stage] = true
		assert.Equal(t, 20002, w.AgentID)
	}
	assert.True(t, stages[wrapper.EventWaited] && stages[wrapper.EventConfirmed], "%v", stages)

	// Both agents' events are reported as delivered, each by its own poll
	// (20001's may come after PickUp returned).
	seen := map[string]bool{}
	ctx := testContext(t)
	for !seen["AgentEvent_Talking 20002"] || !seen["AgentEvent_Ringing 20001"] {
		select {
		case ev := <-delivered:
			seen[ev.Event.EventType+" "+ev.Event.Agent()] = true
		case <-ctx.Done():
			t.Fatalf("not delivered to the hook: %v", seen)
		}
	}
}

// TestHooksGap: a gap is reported once when noticed, however many marks
// merge into it, and again after it was taken.
func TestHooksGap(t *testing.T) {
	f := newFake(t)
	var log hookLog
	c, err := wrapper.NewClient(f.srv.URL(), wrapper.WithHooks(log.hooks("a")))
	require.NoError(t, err)
	f.client = c
	s, err := c.SignIn(testContext(t), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword})
	require.NoError(t, err)
	s.MarkGap(wrapper.GapReplyLost)
	s.MarkGap(wrapper.GapFailover)
	_, ok := s.TakeGap(testContext(t))
	require.True(t, ok)
	s.MarkGap(wrapper.GapRestored)
	log.mu.Lock()
	defer log.mu.Unlock()
	require.Len(t, log.gaps, 2)
	assert.Equal(t, wrapper.GapReplyLost, log.gaps[0].Reason)
	assert.Equal(t, wrapper.GapRestored, log.gaps[1].Reason)
	assert.Equal(t, 20001, log.gaps[1].Agent)
	assert.False(t, log.gaps[0].At.IsZero())
}

func filter(lines []string, part string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasSuffix(l, part) {
			out = append(out, l)
		}
	}
	return out
}
