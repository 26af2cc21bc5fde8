package wrapper

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
)

const (
	wantDepthReason = "JSON nested deeper than 10000 levels"
	maxReply        = 1 << 20 // the client's default reply limit, and the push handler's
)

// nest wraps inner in n arrays, or n objects.
func nest(n int, inner string, object bool) string {
	if object {
		return strings.Repeat(`{"k":`, n) + inner + strings.Repeat("}", n)
	}
	return strings.Repeat("[", n) + inner + strings.Repeat("]", n)
}

// decodeAll returns a func that decodes body as an envelope, a poll
// reply, a relayed event reply and a push, and returns each error. What it
// returns does only that: the reading is done first.
func decodeAll(t *testing.T, body string) func() []error {
	var rs [2]wireReply
	for i := range rs {
		r, err := readReply(testCtx(t), replyOwner{Op: "PollEvent", AgentID: 20001}, response(200, jsonUTF8, body), maxReply)
		require.NoError(t, err)
		t.Cleanup(r.Release)
		rs[i] = r
	}
	b := []byte(body)
	return func() []error {
		_, envErr := rs[0].Envelope()
		_, eventsErr := rs[1].Events(nil)
		_, relayErr := DecodeEventReply(b)
		_, pushErr := ParsePush("application/json", b)
		return []error{envErr, eventsErr, relayErr, pushErr}
	}
}

// A body is refused as a bad reply once it nests deeper than the standard
// library allows, wherever the nesting is; brackets inside strings do not count.
func TestDeepNestingRefused(t *testing.T) {
	for _, object := range []bool{false, true} {
		for name, body := range map[string]string{
			"in result":     `{"retcode":"0","result":` + nest(10000, "1", object) + `}`,
			"in event":      `{"retcode":"0","event":{"eventType":"X","content":` + nest(9999, "1", object) + `}}`,
			"in push":       `{"workNo":"1","eventList":[{"eventType":"X","content":` + nest(9998, "1", object) + `}]}`,
			"before fields": nest(10001, "1", object),
		} {
			t.Run(name, func(t *testing.T) {
				for i, err := range decodeAll(t, body)() {
					re, ok := errors.AsType[*ReplyError](err)
					require.True(t, ok, "decoder %d: %v", i, err)
					assert.ErrorIs(t, err, ErrBadReply)
					assert.Contains(t, re.Reason, wantDepthReason, "decoder %d", i)
					assert.LessOrEqual(t, len(re.Body), 512)
				}
			})
		}
	}
	// 10,000 levels, and brackets in strings, escaped quotes among them, pass.
	atLimit := `{"retcode":"0","result":` + nest(9999, `"[{\"[{"`, false) + `}`
	for i, err := range decodeAll(t, atLimit)()[:3] {
		assert.NoError(t, err, "decoder %d", i)
	}
	push := `{"workNo":"1","eventList":[{"eventType":"X","content":` + nest(9997, "1", true) + `}]}`
	_, err := ParsePush("application/json", []byte(push))
	assert.NoError(t, err)
}

func TestEventDecodeRefusesDeepContent(t *testing.T) {
	ev := Event{Event: generated.Event{EventType: "AgentEvent_Talking", Content: []byte(nest(10001, "1", true))}}
	_, err := ev.Decode()
	re, ok := errors.AsType[*ReplyError](err)
	require.True(t, ok, "%v", err)
	assert.ErrorIs(t, err, ErrBadReply)
	assert.Equal(t, "AgentEvent_Talking content: "+wantDepthReason, re.Reason)
	assert.True(t, strings.HasPrefix(err.Error(), "agentgateway: AgentEvent_Talking content: "+wantDepthReason), err.Error())
	assert.Empty(t, ev.CallID(), "too deep to read")

	ev.Content = []byte(`{"callid":"1-1","x":` + nest(9999, "1", false) + `}`)
	_, err = ev.Decode()
	assert.NoError(t, err, "10,000 levels")
	assert.Equal(t, "1-1", ev.CallID())
}

// stackGrowth runs f on a fresh goroutine and returns how much the
// process's stack memory and heap allocations grew while f ran there.
func stackGrowth(f func()) (stack, alloc uint64) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		stack = after.StackInuse - min(after.StackInuse, before.StackInuse)
		alloc = after.TotalAlloc - before.TotalAlloc
	}()
	<-done
	return stack, alloc
}

// A body of the largest size the client reads, nested as deep as it can
// be, is refused without a deep stack (the decoder alone would grow one
// goroutine's stack to 128 MiB); the deepest body accepted needs a few MiB.
func TestDeepBodyStackBounded(t *testing.T) {
	for _, object := range []bool{false, true} {
		levels := (maxReply - 1) / 2
		if object {
			levels = (maxReply - 1) / 6
		}
		body := nest(levels, "1", object)
		require.LessOrEqual(t, len(body), maxReply)
		decode := decodeAll(t, body)
		var errs []error
		stack, alloc := stackGrowth(func() { errs = decode() })
		for i, err := range errs {
			re, ok := errors.AsType[*ReplyError](err)
			require.True(t, ok, "decoder %d: %v", i, err)
			assert.Equal(t, wantDepthReason, re.Reason, "decoder %d", i)
		}
		assert.Less(t, stack, uint64(1<<20), "stack grew %d bytes refusing %d bytes", stack, len(body))
		assert.Less(t, alloc, uint64(1<<20), "allocated %d bytes refusing %d bytes", alloc, len(body))
	}

	atLimit := []byte(`{"retcode":"0","event":{"eventType":"AgentEvent_Talking","content":{"callid":"1-1","x":` +
		nest(9997, "1", false) + `}}}`)
	var err error
	stack, _ := stackGrowth(func() {
		var evs []Event
		if evs, err = DecodeEventReply(atLimit); err == nil {
			_, err = evs[0].Decode()
		}
	})
	require.NoError(t, err, "10,000 levels")
	assert.Less(t, stack, uint64(16<<20), "stack grew %d bytes at 10,000 levels", stack)
}
