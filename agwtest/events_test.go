package agwtest_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func TestPollEmptyAfterWait(t *testing.T) {
	t.Parallel()
	srv := newDemo(t) // 50ms poll wait
	guid := signIn(t, srv, agentA)
	ev, r := pollOnce(t, srv, agentA, guid)
	require.Empty(t, ev.EventType, "empty poll answered %s", r.body)
	require.Equal(t, "null", string(r.env.Event), "empty poll answered %s", r.body)
	require.Empty(t, r.env.Message, "empty poll answered %s", r.body)
}

func TestPollAnswersAtOnceWhenQueued(t *testing.T) {
	t.Parallel()
	// With an hour's wait, a poll only returns in time if it answers at once.
	srv := newDemo(t, agwtest.WithPollWait(time.Hour))
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	ev, _ := pollOnce(t, srv, agentA, guid)
	require.Equal(t, "AgentEvent_Ringing", ev.EventType)
	require.Equal(t, strconv.Itoa(agentA), ev.WorkNo)
	type ringing struct{ Callid, Caller, Called, Type, Feature, MediaAbility string }
	require.Equal(t, ringing{
		Callid: callID, Caller: "13800000000", Called: demoPhone(agentA),
		Type: "main", Feature: "0", MediaAbility: "1",
	}, content[ringing](t, ev), "ringing content")
}

// waitingServer is newDemo with an hour's poll wait and a channel that
// receives the agent ID of each poll that starts waiting.
func waitingServer(t *testing.T) (*agwtest.Server, <-chan int) {
	waiting := make(chan int, 16)
	srv := newDemo(t, agwtest.WithPollWait(time.Hour), agwtest.WithPollWaitHook(func(id int) { waiting <- id }))
	return srv, waiting
}

func TestWaitingPollWakesOnEvent(t *testing.T) {
	t.Parallel()
	srv, waiting := waitingServer(t)
	guid := signIn(t, srv, agentA)
	got := make(chan event, 1)
	go func() {
		ev, _, err := poll(t.Context(), srv, agentA, guid)
		assert.NoError(t, err)
		got <- ev
	}()
	<-waiting
	ring(t, srv, agentA)
	ev := <-got
	require.Equal(t, "AgentEvent_Ringing", ev.EventType, "waiting poll got %+v", ev)
}

func TestWaitingPollEndsWithSession(t *testing.T) {
	t.Parallel()
	srv, waiting := waitingServer(t)
	guid := signIn(t, srv, agentA)
	got := pollAsync(t, srv, agentA, guid)
	<-waiting
	wantRetcode(t, do(t, srv, http.MethodDelete, agentPath(agentA, "/logout"), guid, nil), "0")
	wantRetcode(t, <-got, "100-006")
}

func TestCloseEndsWaitingPolls(t *testing.T) {
	t.Parallel()
	srv, waiting := waitingServer(t)
	guid := signIn(t, srv, agentA)
	got := pollAsync(t, srv, agentA, guid)
	<-waiting
	srv.Close()
	r := <-got
	require.Equal(t, "0", r.env.Retcode, "poll pending at Close answered %s", r.body)
	require.Equal(t, "null", string(r.env.Event), "poll pending at Close answered %s", r.body)
}

// TestConcurrentPollersGetEveryEventOnce runs several polls for one agent
// while events are queued: every event must come out exactly once, and
// each poller must see the events it gets in queue order.
func TestConcurrentPollersGetEveryEventOnce(t *testing.T) {
	t.Parallel()
	srv := newDemo(t) // short wait: idle pollers come back to check for the end
	guid := signIn(t, srv, agentA)
	const calls, pollers = 100, 4
	const total = 2 * calls // AgentEvent_Ringing, then AgentOther_PhoneRelease

	var (
		received atomic.Int64
		mu       sync.Mutex
		ringings = make(map[string]int) // by call ID
		releases int
		wg       sync.WaitGroup
	)
	handle := func(ev event, lastSeq *int) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.EventType {
		case "AgentEvent_Ringing":
			var c struct{ Callid string }
			assert.NoError(t, json.Unmarshal(ev.Content, &c))
			ringings[c.Callid]++
			seq := callSeq(c.Callid)
			assert.Greater(t, seq, *lastSeq, "poller got a call after a later one")
			*lastSeq = seq
		case "AgentOther_PhoneRelease":
			releases++
		default:
			assert.Fail(t, "unexpected event", ev.EventType)
		}
	}
	for range pollers {
		wg.Go(func() {
			lastSeq := 0
			for received.Load() < total {
				ev, _, err := poll(t.Context(), srv, agentA, guid)
				if !assert.NoError(t, err) {
					return
				}
				if ev.EventType != "" {
					received.Add(1)
					handle(ev, &lastSeq)
				}
			}
		})
	}
	for range calls {
		id := ring(t, srv, agentA)
		require.NoError(t, srv.Hangup(id))
	}
	wg.Wait()

	assert.Len(t, ringings, calls, "distinct ringing events")
	assert.Equal(t, calls, releases, "release events")
	for id, n := range ringings {
		assert.Equal(t, 1, n, "times the ringing of %s was delivered", id)
	}
	st := srv.Stats()
	assert.Equal(t, total, st.EventsQueued, "stats: events queued")
	assert.Equal(t, total, st.EventsDelivered, "stats: events delivered")
}

// callSeq is the sequence part of a call ID "<epoch>-<seq>", or -1.
func callSeq(id string) int {
	_, s, _ := strings.Cut(id, "-")
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// pollAsync sends one event poll in the background; the channel receives
// its reply.
func pollAsync(t *testing.T, srv *agwtest.Server, id int, guid string) <-chan response {
	got := make(chan response, 1)
	go func() {
		r, err := send(t.Context(), srv, http.MethodGet, "/agentevent/"+strconv.Itoa(id), guid, nil)
		assert.NoError(t, err)
		got <- r
	}()
	return got
}
