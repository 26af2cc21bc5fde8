package wrapper_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// Push mode end to end: the fake POSTs events to PushHandler, which hands
// them to the session, and PickUp completes without any Poll.
func TestFakePushModePickUp(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	var (
		mu     sync.Mutex
		picker *wrapper.Session
		pushed []string // the picker's event types, in arrival order
	)
	cb := httptest.NewServer(wrapper.PushHandler("tok3n", func(ev wrapper.Event) {
		mu.Lock()
		s := picker
		if s != nil && ev.Agent() == "20002" {
			pushed = append(pushed, ev.EventType)
		}
		mu.Unlock()
		if s != nil {
			s.Deliver(ev)
		}
	}))
	t.Cleanup(cb.Close)

	f.signIn(20001) // the ringing agent polls
	s, err := f.client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword,
		PushURL: cb.URL + "/agentevent/pushresult", ServiceToken: "tok3n"})
	require.NoError(t, err)
	mu.Lock()
	picker = s
	mu.Unlock()
	callID := f.ring(20001, false)

	call, err := s.PickUp(ctx, 20001)
	require.NoError(t, err)
	assert.Equal(t, callID, call.CallID)
	assert.Equal(t, "13800000000", call.Caller)
	require.NoError(t, s.Handshake(ctx, &generated.HandshakeParams{ServiceToken: ptr("tok3n")}))
	require.NoError(t, s.ForceSignOut(ctx))
	mu.Lock()
	defer mu.Unlock()
	require.GreaterOrEqual(t, len(pushed), 3)
	assert.Equal(t, []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Talking"}, pushed[:3])
}

// Client.PushHandler routes pushed events to the right session by workNo,
// so several push sessions share one callback URL, and stops routing to a
// session once it signs out.
func TestFakeClientPushHandlerRoutes(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	type seen struct {
		agent int // the session's agent, 0 for none
		typ   string
	}
	var (
		mu  sync.Mutex
		got []seen
	)
	ringerReleased := make(chan struct{})
	var releasedOnce sync.Once
	cb := httptest.NewServer(f.client.PushHandler("tok3n", func(s *wrapper.Session, ev wrapper.Event) {
		id := 0
		if s != nil {
			id = s.AgentID()
			assert.Equal(t, ev.Agent(), strconv.Itoa(id), "routed to the session of its workNo")
		}
		mu.Lock()
		got = append(got, seen{id, ev.EventType})
		mu.Unlock()
		if (seen{id, ev.EventType}) == (seen{20001, "AgentOther_PhoneRelease"}) {
			releasedOnce.Do(func() { close(ringerReleased) })
		}
	}))
	t.Cleanup(cb.Close)
	signInPush := func(id int) *wrapper.Session {
		s, err := f.client.SignIn(ctx, id, wrapper.SignInOptions{Phone: phones[id], Password: agwtest.DemoPassword,
			PushURL: cb.URL, ServiceToken: "tok3n"})
		require.NoError(t, err)
		return s
	}
	ringer, picker := signInPush(20001), signInPush(20002)

	callID := f.ring(20001, false)
	call, err := picker.PickUp(ctx, 20001)
	require.NoError(t, err, "PickUp sees the events routed to its session")
	require.Equal(t, callID, call.CallID)

	select { // the ringer's events are pushed by their own delivery
	case <-ringerReleased:
	case <-ctx.Done():
		require.FailNow(t, "the ringer was not pushed AgentOther_PhoneRelease")
	}
	require.NoError(t, ringer.SignOut(ctx))
	// A pushed event for an agent with no push session reaches handle with nil.
	status, _ := push(t, cb.URL, "tok3n", "application/json",
		`{"workNo":"20001","eventList":[{"eventType":"AgentOther_ShutdownService","workNo":"20001","content":null}]}`)
	require.Equal(t, http.StatusOK, status)
	require.NoError(t, picker.ForceSignOut(ctx))

	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, got, seen{20001, "AgentEvent_Ringing"})
	assert.Contains(t, got, seen{20001, "AgentOther_PhoneRelease"})
	assert.Contains(t, got, seen{20002, "AgentOther_PhoneAlerting"})
	assert.Contains(t, got, seen{20002, "AgentEvent_Talking"})
	assert.Equal(t, seen{0, "AgentOther_ShutdownService"}, got[len(got)-1], "a signed-out session is no longer routed to")
}
