package wrapper_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// These tests run the wrapper against the fake gateway in agwtest.

type fakeEnv struct {
	t      *testing.T
	srv    *agwtest.Server
	client *wrapper.Client
}

func newFake(t *testing.T, opts ...agwtest.Option) *fakeEnv {
	t.Helper()
	srv := agwtest.New(append([]agwtest.Option{agwtest.WithPollWait(100 * time.Millisecond)}, opts...)...)
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	require.NoError(t, srv.AddGroup("other"))
	require.NoError(t, srv.AddAgent(agwtest.Agent{ID: 30001, Password: agwtest.DemoPassword, Phone: "89001", Group: "other", CanPickUp: true}))
	require.NoError(t, srv.AddAgent(agwtest.Agent{ID: 20009, Password: agwtest.DemoPassword, Phone: "88009", Group: agwtest.DemoGroup}))
	c, err := wrapper.NewClient(srv.URL(), wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	return &fakeEnv{t: t, srv: srv, client: c}
}

var phones = map[int]string{20001: "88001", 20002: "88002", 20003: "88003", 20004: "88004", 20005: "88005", 30001: "89001", 20009: "88009"}

// signIn signs an agent in and keeps it polling until the test ends.
func (f *fakeEnv) signIn(id int, opts ...func(*wrapper.SignInOptions)) (*wrapper.Session, <-chan wrapper.Event) {
	f.t.Helper()
	o := wrapper.SignInOptions{Phone: phones[id], Password: agwtest.DemoPassword}
	for _, opt := range opts {
		opt(&o)
	}
	s, err := f.client.SignIn(testContext(f.t), id, o)
	require.NoError(f.t, err)
	events := make(chan wrapper.Event, 256)
	ctx, cancel := context.WithCancel(context.Background())
	done, err := s.PollInBackground(ctx, func(ev wrapper.Event) error {
		events <- ev
		return nil
	}, wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	require.NoError(f.t, err)
	f.t.Cleanup(func() {
		cancel()
		<-done
	})
	return s, events
}

func (f *fakeEnv) ring(id int, internal bool) string {
	f.t.Helper()
	ring := f.srv.Ring
	if internal {
		ring = f.srv.RingInternal
	}
	callID, err := ring(id, "13800000000")
	require.NoError(f.t, err)
	return callID
}

func nextTypes(t *testing.T, events <-chan wrapper.Event, n int) []string {
	return types(collect(t, events, n))
}

func TestFakePickUpHappyPath(t *testing.T) {
	f := newFake(t)
	_, ringingEvents := f.signIn(20001)
	picker, pickerEvents := f.signIn(20002)
	callID := f.ring(20001, false)
	require.Equal(t, []string{"AgentEvent_Ringing"}, nextTypes(t, ringingEvents, 1))

	call, err := picker.PickUp(testContext(t), 20001)
	require.NoError(t, err)
	assert.Equal(t, callID, call.CallID)
	assert.Equal(t, "13800000000", call.Caller)
	assert.Equal(t, []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Talking",
		"AgentEvent_Incoming_CallInfo", "AgentMediaEvent_Record"}, nextTypes(t, pickerEvents, 5))
	assert.Equal(t, []string{"AgentOther_PhoneRelease"}, nextTypes(t, ringingEvents, 1), "the ringing agent stops ringing")
	assert.Equal(t, agwtest.StateTalking, f.srv.AgentState(20002))
	assert.Equal(t, agwtest.StateIdle, f.srv.AgentState(20001))
	got, ok := f.srv.Call(callID)
	require.True(t, ok)
	assert.Equal(t, 20002, got.Agent, "the call moved to the picker")
	assert.Equal(t, 1, f.srv.Requests("SnatchPickup"))

	require.NoError(t, picker.Release(testContext(t)))
	assert.Equal(t, agwtest.StateIdle, f.srv.AgentState(20002))
}

func TestFakeManualAnswer(t *testing.T) {
	f := newFake(t)
	f.signIn(20001)
	picker, pickerEvents := f.signIn(20002, func(o *wrapper.SignInOptions) { o.ManualAnswer = true })
	f.ring(20001, false)
	require.NoError(t, picker.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: 20001}))
	require.Equal(t, []string{"AgentOther_PhoneAlerting"}, nextTypes(t, pickerEvents, 1))
	require.NoError(t, picker.Answer(testContext(t), nil))
	require.Equal(t, []string{"AgentOther_PhoneOffhook", "AgentEvent_Talking"}, nextTypes(t, pickerEvents, 2))
	require.ErrorIs(t, picker.Answer(testContext(t), nil), wrapper.ErrCallState, "nothing left to answer: 200-002")
}

// TestFakePickUpPrerequisites: every prerequisite of the vendor page, broken
// one at a time, is refused by the gateway with the documented code.
func TestFakePickUpPrerequisites(t *testing.T) {
	tests := []struct {
		name   string
		picker int
		setup  func(f *fakeEnv) (dest int)
		want   error
	}{
		{"target not ringing", 20002, func(f *fakeEnv) int { f.signIn(20001); return 20001 }, wrapper.ErrAgentOperation},
		{"target not signed in", 20002, func(f *fakeEnv) int { return 20001 }, wrapper.ErrAgentOperation},
		{"internal call", 20002, func(f *fakeEnv) int { f.signIn(20001); f.ring(20001, true); return 20001 }, wrapper.ErrAgentOperation},
		{"different group", 30001, func(f *fakeEnv) int { f.signIn(20001); f.ring(20001, false); return 20001 }, wrapper.ErrAgentOperation},
		{"no pickup permission", 20009, func(f *fakeEnv) int { f.signIn(20001); f.ring(20001, false); return 20001 }, wrapper.ErrAgentOperation},
		{"picker not idle", 20002, func(f *fakeEnv) int {
			f.signIn(20001)
			f.ring(20001, false)
			require.NoError(f.t, f.srv.SetState(20002, agwtest.StateBusy))
			return 20001
		}, wrapper.ErrAgentOperation},
		{"picking up from oneself", 20002, func(f *fakeEnv) int { return 20002 }, wrapper.ErrAgentOperation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			picker, _ := f.signIn(tt.picker)
			dest := tt.setup(f)
			_, err := picker.PickUp(testContext(t), dest)
			require.ErrorIs(t, err, tt.want)
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "100-007", apiErr.RetCode)
			assert.NotEmpty(t, apiErr.Message, "the fake says which prerequisite failed")
			assert.Equal(t, 1, f.srv.Requests("SnatchPickup"))
		})
	}
}

func TestFakeAuthFailures(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)

	stale, err := f.client.Resume(20002, "not-the-guid.AgentGateway0")
	require.NoError(t, err)
	require.ErrorIs(t, stale.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001}), wrapper.ErrNotSignedIn, "not signed in")

	f.signIn(20002)
	require.ErrorIs(t, stale.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001}), wrapper.ErrNotSignedIn, "wrong Guid")

	_, err = f.client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword})
	require.ErrorIs(t, err, wrapper.ErrAlreadySignedIn)
	_, err = f.client.SignIn(ctx, 20003, wrapper.SignInOptions{Phone: "88003", Password: "wrong"})
	require.ErrorIs(t, err, wrapper.ErrBadCredentials)

	// A range the spec does not allow gets past a widened wrapper and is
	// refused by the gateway's validation with 000-002.
	wide, err := wrapper.NewClient(f.srv.URL(), wrapper.WithWideAgentIDs())
	require.NoError(t, err)
	s, err := wide.SignIn(ctx, 20003, wrapper.SignInOptions{Phone: "88003", Password: agwtest.DemoPassword})
	require.NoError(t, err)
	require.ErrorIs(t, s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 600000}), wrapper.ErrInvalidParam)
}

func TestFakeForceSignIn(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	first, _ := f.signIn(20002)
	second, err := f.client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword, ForceIfSignedIn: true})
	require.NoError(t, err)
	require.NotEqual(t, first.Guid(), second.Guid())
	require.ErrorIs(t, first.Release(ctx), wrapper.ErrNotSignedIn, "the taken-over session is gone")
	require.ErrorIs(t, second.Release(ctx), wrapper.ErrCallState, "the new one works: no call (200-017)")
}

func TestFakeDynamicGuid(t *testing.T) {
	f := newFake(t, agwtest.WithDynamicGuid(1))
	f.signIn(20001)
	picker, pickerEvents := f.signIn(20002)
	ctx := testContext(t)
	first := picker.Guid()
	require.NotEmpty(t, first)

	f.ring(20001, false)
	call, err := picker.PickUp(ctx, 20001)
	require.NoError(t, err)
	require.NotEmpty(t, call.CallID)
	require.NotEqual(t, first, picker.Guid(), "polls rotated the Guid and the session followed")

	// The fake rotates on every poll reply and honours one rotation of
	// grace; let the burst of pickup events drain so polls are idle again
	// (a real gateway rotates every few minutes, not every reply).
	collect(t, pickerEvents, 5)

	stale, err := f.client.Resume(20002, first)
	require.NoError(t, err)
	require.ErrorIs(t, stale.Release(ctx), wrapper.ErrNotSignedIn, "a Guid two rotations old is refused")
	require.NoError(t, picker.Release(ctx))
}

// TestFakeConcurrentSnatch: two pickers race for each of many calls;
// exactly one wins every time.
func TestFakeConcurrentSnatch(t *testing.T) {
	f := newFake(t)
	f.signIn(20001)
	pickers := []*wrapper.Session{}
	for _, id := range []int{20002, 20003, 20004} {
		s, _ := f.signIn(id)
		pickers = append(pickers, s)
	}
	ctx := testContext(t)
	const rounds = 25
	for round := 0; round < rounds; round++ {
		callID := f.ring(20001, false)
		errs := make([]error, len(pickers))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, p := range pickers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = p.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001})
			}()
		}
		close(start)
		wg.Wait()
		winners := 0
		for i, err := range errs {
			if err == nil {
				winners++
				got, _ := f.srv.Call(callID)
				require.Equal(t, pickers[i].AgentID(), got.Agent)
				require.NoError(t, pickers[i].Release(ctx))
				continue
			}
			require.True(t, errors.Is(err, wrapper.ErrAgentOperation), "loser gets 100-007, got %v", err)
		}
		require.Equal(t, 1, winners, "round %d", round)
	}
	require.Equal(t, rounds*len(pickers), f.srv.Requests("SnatchPickup"), "every PUT reached the gateway once")
}

func TestFakeOtherOperations(t *testing.T) {
	f := newFake(t)
	f.signIn(20001)
	s, _ := f.signIn(20002)
	ctx := testContext(t)
	f.ring(20001, false)
	_, err := s.PickUp(ctx, 20001)
	require.NoError(t, err)

	require.NoError(t, s.Hold(ctx))
	held, err := s.HeldCalls(ctx)
	require.NoError(t, err)
	require.Len(t, held, 1)
	require.NoError(t, s.Unhold(ctx, &generated.GetHoldParams{Callid: string(held[0].CallID)}))
	require.NoError(t, s.Mute(ctx))
	require.NoError(t, s.Unmute(ctx))
	require.NoError(t, s.SendDigits(ctx, "12#"))
	require.NoError(t, s.Handshake(ctx, nil))
	require.NoError(t, s.UpdateGuid(ctx))
	require.NoError(t, s.Release(ctx))
	require.ErrorIs(t, s.Release(ctx), wrapper.ErrCallState)
	held, err = s.HeldCalls(ctx)
	require.NoError(t, err, "the gateway's 400-003 (no held call) is an empty list")
	require.Empty(t, held)
}

// A Guid rotated on a heartbeat reply (dynamic mode, push agents) is the one
// the session sends next.
func TestFakeHeartbeatRotatesGuid(t *testing.T) {
	f := newFake(t, agwtest.WithDynamicGuid(1))
	ctx := testContext(t)
	s, err := f.client.SignIn(ctx, 20003, wrapper.SignInOptions{Phone: "88003", Password: agwtest.DemoPassword})
	require.NoError(t, err)
	before := s.Guid()
	require.NoError(t, s.Handshake(ctx, nil))
	current, ok := f.srv.Guid(20003)
	require.True(t, ok)
	require.NotEqual(t, before, current)
	require.Equal(t, current, s.Guid())
	require.NoError(t, s.Handshake(ctx, nil))
	require.ErrorIs(t, s.Release(ctx), wrapper.ErrCallState, "the session still works: no call (200-017)")
}

// A session that stops polling is signed out by the gateway after two
// minutes; every later call is ErrNotSignedIn, and signing in again works.
func TestFakeIdleSignOut(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	f := newFake(t, agwtest.WithClock(clock))
	ctx := testContext(t)
	opts := wrapper.SignInOptions{Phone: "88004", Password: agwtest.DemoPassword}
	s, err := f.client.SignIn(ctx, 20004, opts)
	require.NoError(t, err)

	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	require.ErrorIs(t, s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001}), wrapper.ErrNotSignedIn)
	require.ErrorIs(t, s.Poll(ctx, func(wrapper.Event) error { return nil }, wrapper.PollOptions{}), wrapper.ErrNotSignedIn)
	assert.Equal(t, 1, f.srv.Requests("SnatchPickup"), "the refused PUT was sent once, not retried")

	again, err := f.client.SignIn(ctx, 20004, opts)
	require.NoError(t, err, "an agent signed out for idleness signs in without 100-002")
	require.NotEqual(t, s.Guid(), again.Guid())
}

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

// A blind transfer to another agent moves the call there; the wrapper's
// mute and transfer errors map to ErrCallState.
func TestFakeTransferToAgent(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	from, fromEvents := f.signIn(20001)
	to, toEvents := f.signIn(20002)
	callID := f.ring(20001, false)
	require.Equal(t, []string{"AgentEvent_Ringing"}, nextTypes(t, fromEvents, 1))
	require.ErrorIs(t, from.Mute(ctx), wrapper.ErrCallState, "ringing, not connected")
	require.NoError(t, from.Answer(ctx, nil))
	require.Equal(t, []string{"AgentEvent_Talking"}, nextTypes(t, fromEvents, 1))

	require.NoError(t, from.Transfer(ctx, generated.TransferRequest{Devicetype: 2, Address: "20002"}))
	assert.Equal(t, []string{"AgentEvent_Call_Release", "AgentOther_PhoneRelease"}, nextTypes(t, fromEvents, 2))
	ringing := collect(t, toEvents, 1)
	require.Equal(t, string(generated.EventTypeAgentEventRinging), ringing[0].EventType)
	content, err := ringing[0].Decode()
	require.NoError(t, err)
	assert.Equal(t, callID, string(*content.(*generated.RingingContent).Callid))

	require.ErrorIs(t, from.Transfer(ctx, generated.TransferRequest{Devicetype: 2, Address: "20002"}), wrapper.ErrCallState)
	require.NoError(t, to.Answer(ctx, &generated.AnswerParams{Callid: &callID}))
	require.NoError(t, to.Mute(ctx))
	require.NoError(t, to.Unmute(ctx))
	require.ErrorIs(t, to.Unmute(ctx), wrapper.ErrCallState)
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

// A callout through the wrapper: its events arrive on the poll, and the
// call's ID comes from AgentEvent_Customer_Alerting.
func TestFakeCallout(t *testing.T) {
	f := newFake(t)
	ctx := testContext(t)
	s, events := f.signIn(20003)
	require.NoError(t, s.Callout(ctx, generated.CalloutRequest{Called: "13912345678"}))
	got := collect(t, events, 3)
	require.Equal(t, []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Customer_Alerting"}, types(got))
	var alerting struct{ Callid string }
	require.NoError(t, json.Unmarshal(got[2].Content, &alerting))

	require.NoError(t, f.srv.RemoteAnswer(alerting.Callid))
	require.Equal(t, []string{"AgentEvent_Talking"}, nextTypes(t, events, 1))
	require.ErrorIs(t, s.Callout(ctx, generated.CalloutRequest{Called: "1"}), wrapper.ErrAgentOperation, "already in a call")
	require.NoError(t, s.Release(ctx))
}
