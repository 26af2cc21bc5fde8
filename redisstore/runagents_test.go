package redisstore_test

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// TestRunAgentsSharesAgents runs two processes standing by for the same
// agents: each agent is polled by one at a time, its events land once,
// the survivor takes over the other's agents, and an agent signed out
// ends with OnEnd. Agents waiting for a lease hold no goroutine.
func TestRunAgentsSharesAgents(t *testing.T) {
	r := startRedis(t)
	srv := fake(t)
	f := newFront(t, srv)
	const n = 24
	agents := make([]int, n)
	for i := range agents {
		agents[i] = 20101 + i
		require.NoError(t, srv.Gateway.AddAgent(agwtest.Agent{ID: agents[i], Password: agwtest.DemoPassword,
			Phone: strconv.Itoa(88101 + i), Group: agwtest.DemoGroup}))
	}
	const ttl = 400 * time.Millisecond
	a, b := newProcess(t, r, f.URL, ttl), newProcess(t, r, f.URL, ttl)
	for i, id := range agents {
		signIn(t, a.client, id, strconv.Itoa(88101+i))
	}
	var mu sync.Mutex
	ended := map[int]error{}
	b.poller.OnEnd = func(agent int, err error) { mu.Lock(); ended[agent] = err; mu.Unlock() }

	before := pollerGoroutines()
	ctxA, stopA := context.WithCancel(ctxFor(t))
	doneA := make(chan error, 1)
	go func() { doneA <- a.poller.RunAgents(ctxA, agents) }()
	doneB := make(chan error, 1)
	ctxB, stopB := context.WithCancel(ctxFor(t))
	defer stopB()
	go func() { doneB <- b.poller.RunAgents(ctxB, append(agents, agents[0])) }() // a duplicate is polled once
	polledAll := func() bool {
		for _, id := range agents {
			if !f.polling(id) {
				return false
			}
		}
		return true
	}
	require.Eventually(t, polledAll, 10*time.Second, 5*time.Millisecond)
	// Two nodes: their acquire and renew loops, and one reader per agent
	// polled (between polls, a moment of a timer or a handler); none for
	// the agents each waits for. A goroutine per agent and node would be
	// 2n at least.
	require.Eventually(t, func() bool { return pollerGoroutines()-before <= 4+n }, 5*time.Second, time.Millisecond)

	for _, id := range agents {
		c, err := srv.Ring(id, "13800000000")
		require.NoError(t, err)
		require.NoError(t, srv.Hangup(c))
	}
	require.Eventually(t, func() bool {
		for _, id := range agents {
			if got, _ := streamTypes(t, a.store, id); len(got) < 2 {
				return false
			}
		}
		return true
	}, 10*time.Second, 5*time.Millisecond)

	stopA()
	require.ErrorIs(t, <-doneA, context.Canceled)
	since := time.Now()
	require.Eventually(t, func() bool {
		for _, id := range agents {
			if !f.polledSince(id, since) {
				return false
			}
		}
		return true
	}, 10*time.Second, 5*time.Millisecond, "b takes over a's agents")
	for _, id := range agents {
		got, _ := streamTypes(t, b.store, id)
		require.Len(t, got, 2, "agent %d: each event once", id)
	}
	require.Zero(t, f.overlapping(), "never two pollers of one agent")

	// An agent signed out elsewhere ends; the others go on.
	s, err := a.client.Restore(mustLoad(t, a, agents[3]))
	require.NoError(t, err)
	require.NoError(t, s.SignOut(ctxFor(t)))
	require.Eventually(t, func() bool { mu.Lock(); defer mu.Unlock(); return ended[agents[3]] != nil }, 10*time.Second, 5*time.Millisecond)
	mu.Lock()
	require.ErrorIs(t, ended[agents[3]], wrapper.ErrNotSignedIn)
	require.Len(t, ended, 1)
	mu.Unlock()
	stopB()
	require.ErrorIs(t, <-doneB, context.Canceled)
}

func mustLoad(t *testing.T, p *process, agent int) wrapper.SessionState {
	st, err := p.store.LoadState(ctxFor(t), agent)
	require.NoError(t, err)
	return st
}

// pollerGoroutines counts the goroutines running redisstore's, the
// wrapper's or its transport's code (not net/http's idle connections of
// ordinary calls: a pool bounded per host).
func pollerGoroutines() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for g := range strings.SplitSeq(string(buf), "\n\n") {
		if strings.Contains(g, "agentgateway/redisstore.") || strings.Contains(g, "agentgateway/wrapper.") ||
			strings.Contains(g, "agentgateway/internal/transport.") {
			n++
		}
	}
	return n
}
