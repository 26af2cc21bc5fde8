package wrapper_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// eventOf is one event of workNo ("" for none) in the array form of an
// all-agents poll reply.
func eventOf(workNo, typ, content string) string {
	w := ""
	if workNo != "" {
		w = `"workNo":"` + workNo + `",`
	}
	return `{"eventType":"` + typ + `",` + w + `"content":` + content + `}`
}

func arrayReply(events ...string) string {
	list := ""
	for i, ev := range events {
		if i > 0 {
			list += ","
		}
		list += ev
	}
	return `{"message":"","retcode":"0","event":[` + list + `]}`
}

// A poll reply that carries another agent's events: they reach neither the
// handler nor PickUp, and OnError hears of each.
func TestPollTakesOnlyItsAgentsEvents(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	scriptedPoll(g, snatchOpensGate(g),
		event("AgentOther_InService", "null"),
		arrayReply(
			eventOf("20002", "AgentOther_PhoneAlerting", "null"),
			eventOf("20002", "AgentEvent_Talking", `{"callid":"other-1","caller":"139","called":"88002"}`),
			eventOf("", "AgentOther_PhoneAlerting", "null"),
			eventOf("20001", "AgentEvent_Talking", `{"callid":"mine-1","caller":"138","called":"88001"}`),
		),
	)
	var (
		mu      sync.Mutex
		got     []string
		dropped []error
	)
	inService, talking := make(chan struct{}), make(chan struct{})
	_, err := s.PollInBackground(testContext(t), func(ev wrapper.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev.Agent()+" "+ev.EventType)
		switch ev.EventType {
		case "AgentOther_InService":
			close(inService)
		case "AgentEvent_Talking":
			close(talking)
		}
		return nil
	}, wrapper.PollOptions{IdleDelay: time.Millisecond, OnError: func(err error) {
		mu.Lock()
		defer mu.Unlock()
		dropped = append(dropped, err)
	}})
	require.NoError(t, err)
	<-inService

	call, err := s.PickUp(testContext(t), agentB)
	require.NoError(t, err)
	assert.Equal(t, wrapper.CallDetails{CallID: "mine-1", Caller: "138", Called: "88001"}, call)
	<-talking // PickUp may return before the handler has seen the event
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"20001 AgentOther_InService", " AgentOther_PhoneAlerting", "20001 AgentEvent_Talking"}, got)
	require.Len(t, dropped, 2)
	for _, err := range dropped {
		assert.ErrorIs(t, err, wrapper.ErrOtherAgentEvent)
	}
}

// Deliver refuses another agent's event, so PickUp in push mode cannot
// take it for its own.
func TestDeliverTakesOnlyItsAgentsEvents(t *testing.T) {
	g := newGateway(t)
	g.reply("PUT /onlineagent/20001", okReply, "Set-GUID", "JSESSIONID="+testGuid)
	snatched := snatchOpensGate(g)
	s, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{
		Phone: testPhone, Password: testPass, PushURL: "https://desk.example/cb", ServiceToken: pushToken})
	require.NoError(t, err)
	go func() {
		<-snatched
		for _, ev := range []wrapper.Event{
			mkEvent(generated.EventTypeAgentOtherPhoneAlerting, "20002", []byte(`null`)),
			mkEvent(generated.EventTypeAgentEventTalking, "20002", []byte(`{"callid":"other-1"}`)),
			mkEvent(generated.EventTypeAgentOtherPhoneAlerting, "20001", []byte(`null`)),
			mkEvent(generated.EventTypeAgentEventTalking, "20001", []byte(`{"callid":"mine-1"}`)),
		} {
			if err := s.Deliver(ev); ev.Agent() == "20001" {
				assert.NoError(t, err)
			} else {
				assert.True(t, errors.Is(err, wrapper.ErrOtherAgentEvent), "%v", err)
			}
		}
	}()
	call, err := s.PickUp(testContext(t), agentB)
	require.NoError(t, err)
	assert.Equal(t, "mine-1", call.CallID)
}

// A pickup that fails after events echoing the Guid: the error withholds
// those fields.
func TestPickupErrorWithholdsEchoedGuid(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	scriptedPoll(g, snatchOpensGate(g),
		event("AgentOther_InService", "null"),
		event("AgentOther_PhoneAlerting", "null"),
		event("AgentEvent_Incoming_CallInfo", `{"callId":"`+testGuid+`","caller":"138"}`),
		event("AgentOther_PhoneRelease", `{"phoneState":3}`),
	)
	events, _ := startPoll(t, s)
	waitPolling(t, events)
	_, err := s.PickUp(testContext(t), agentB)
	pe, ok := errors.AsType[*wrapper.PickUpError](err)
	require.True(t, ok, "%v", err)
	assert.ErrorIs(t, err, wrapper.ErrPickUpFailed)
	assert.Equal(t, wrapper.Withheld, pe.Call.CallID)
	assert.Equal(t, "138", pe.Call.Caller, "the rest stays")
	assertNoSecret(t, shown(err), testGuid)
}
