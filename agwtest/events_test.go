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

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func TestPollEmptyAfterWait(t *testing.T) {
	t.Parallel()
	srv := newDemo(t) // 50ms poll wait
	guid := signIn(t, srv, agentA)
	ev, r := pollOnce(t, srv, agentA, guid)
	if ev.EventType != "" || string(r.env.Event) != "null" || r.env.Message != "" {
		t.Fatalf("empty poll answered %s", r.body)
	}
}

func TestPollAnswersAtOnceWhenQueued(t *testing.T) {
	t.Parallel()
	// With an hour's wait, a poll only returns in time if it answers at once.
	srv := newDemo(t, agwtest.WithPollWait(time.Hour))
	guid := signIn(t, srv, agentA)
	callID := ring(t, srv, agentA)
	ev, _ := pollOnce(t, srv, agentA, guid)
	if ev.EventType != "AgentEvent_Ringing" || ev.WorkNo != strconv.Itoa(agentA) {
		t.Fatalf("got %+v, want AgentEvent_Ringing for %d", ev, agentA)
	}
	ring := content[struct{ Callid, Caller, Called, Type, Feature, MediaAbility string }](t, ev)
	if ring.Callid != callID || ring.Caller != "13800000000" || ring.Called != demoPhone(agentA) ||
		ring.Type != "main" || ring.Feature != "0" || ring.MediaAbility != "1" {
		t.Fatalf("ringing content %s", ev.Content)
	}
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
		if err != nil {
			t.Error(err)
		}
		got <- ev
	}()
	<-waiting
	ring(t, srv, agentA)
	if ev := <-got; ev.EventType != "AgentEvent_Ringing" {
		t.Fatalf("waiting poll got %+v", ev)
	}
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
	if r := <-got; r.env.Retcode != "0" || string(r.env.Event) != "null" {
		t.Fatalf("poll pending at Close answered %s", r.body)
	}
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
			if err := json.Unmarshal(ev.Content, &c); err != nil {
				t.Error(err)
			}
			ringings[c.Callid]++
			seq := callSeq(c.Callid)
			if seq <= *lastSeq {
				t.Errorf("poller got call %d after call %d", seq, *lastSeq)
			}
			*lastSeq = seq
		case "AgentOther_PhoneRelease":
			releases++
		default:
			t.Errorf("unexpected %s", ev.EventType)
		}
	}
	for range pollers {
		wg.Go(func() {
			lastSeq := 0
			for received.Load() < total {
				ev, _, err := poll(t.Context(), srv, agentA, guid)
				if err != nil {
					t.Error(err)
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
		if err := srv.Hangup(id); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()

	if len(ringings) != calls || releases != calls {
		t.Errorf("got %d distinct ringing and %d release events, want %d each", len(ringings), releases, calls)
	}
	for id, n := range ringings {
		if n != 1 {
			t.Errorf("ringing of %s delivered %d times", id, n)
		}
	}
	if st := srv.Stats(); st.EventsQueued != total || st.EventsDelivered != total {
		t.Errorf("stats: queued %d delivered %d, want %d", st.EventsQueued, st.EventsDelivered, total)
	}
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
		if err != nil {
			t.Error(err)
		}
		got <- r
	}()
	return got
}
