package wrapper_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// One all-agent poll feeds every tracked session: the picker, which runs no
// Poll of its own, picks up a call; the untracked ringing agent's events go
// to OnError as ErrUnknownAgent.
func TestPollAllAgentsFeedsPickUp(t *testing.T) {
	f := newFake(t, agwtest.WithAllAgentEvents())
	signIn := func(id int) *wrapper.Session {
		s, err := f.client.SignIn(testContext(t), id, wrapper.SignInOptions{Phone: phones[id], Password: agwtest.DemoPassword})
		require.NoError(t, err)
		return s
	}
	signIn(20001)
	picker := signIn(20002)
	f.client.Track(picker)

	var (
		mu      sync.Mutex
		unknown int
		seen    []string
	)
	ctx, cancel := context.WithCancel(testContext(t))
	done := make(chan error, 1)
	go func() {
		done <- f.client.PollAllAgents(ctx, func(ev wrapper.Event) error {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, ev.Agent()+" "+ev.EventType)
			return nil
		}, wrapper.PollOptions{IdleDelay: fastPoll.IdleDelay, MinBackoff: fastPoll.MinBackoff, MaxBackoff: fastPoll.MaxBackoff,
			OnError: func(err error) {
				mu.Lock()
				defer mu.Unlock()
				if errors.Is(err, wrapper.ErrUnknownAgent) {
					unknown++
				}
			}})
	}()

	callID := f.ring(20001, false)
	call, err := picker.PickUp(testContext(t), 20001)
	require.NoError(t, err)
	assert.Equal(t, callID, call.CallID)
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)

	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, seen, "20001 AgentEvent_Ringing", "the ringing agent's events come through the same poll")
	assert.Contains(t, seen, "20002 AgentEvent_Talking")
	assert.Positive(t, unknown, "events of the untracked agent are reported")
}

// A gateway not set up for the all-agent poll refuses it with 000-003; the
// poll ends after MaxNoRight of them, as Poll does.
func TestPollAllAgentsEndsWhenRefused(t *testing.T) {
	f := newFake(t)
	opts := fastPoll
	opts.MaxNoRight = 2
	err := f.client.PollAllAgents(testContext(t), nil, opts)
	require.ErrorIs(t, err, wrapper.ErrNoRight)
	assert.Equal(t, 2, f.srv.Requests("PollAllAgentEvents"))
}
