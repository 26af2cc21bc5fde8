package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/redisstore"
)

// A desk process picks up a call for an agent that another process polls:
// the poller appends to the agent's stream, the desk consumes it into
// a fleet's Route, and PickUp on the desk's restored session sees the events.
func TestPickUpAcrossProcesses(t *testing.T) {
	r := startRedis(t)
	srv := fake(t)
	poller, desk := newProcess(t, r, srv.URL(), time.Second), newProcess(t, r, srv.URL(), time.Second)
	signIn(t, poller.client, 20001, "88001")
	signIn(t, poller.client, 20002, "88002")
	ctx, stop := context.WithCancel(ctxFor(t))
	defer stop()
	done1, done2 := poller.run(ctx, 20001), poller.run(ctx, 20002)

	st, err := desk.store.LoadState(ctx, 20002)
	require.NoError(t, err)
	s, err := desk.client.Restore(st)
	require.NoError(t, err)
	routes := fleet.New(desk.client)
	routes.Track(s)
	consumed := make(chan error, 1)
	go func() {
		consumed <- desk.store.Consume(ctx, 20002, "desks", "desk-1", func(ev redisstore.StreamEvent) error {
			if ev.Gap != nil {
				return nil // the desk shows ev.Gap.Snapshot; nothing to route
			}
			return routes.Route(ev.Event)
		})
	}()

	callID, err := srv.Ring(20001, "13800000000")
	require.NoError(t, err)
	call, err := s.PickUp(ctx, 20001)
	require.NoError(t, err)
	require.Equal(t, callID, call.CallID)

	stop()
	for _, ch := range []<-chan error{done1, done2, consumed} {
		require.True(t, errors.Is(<-ch, context.Canceled))
	}
}
