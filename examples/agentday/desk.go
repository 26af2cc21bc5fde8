package main

import (
	"context"
	"fmt"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// desk is one signed-in agent and the events its poll has received.
type desk struct {
	*wrapper.Session
	events chan wrapper.Event
}

// await reads the desk's events until one of type typ arrives.
func (d *desk) await(ctx context.Context, typ generated.EventType) error {
	for {
		select {
		case ev := <-d.events:
			if ev.EventType == string(typ) {
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("agent %d: no %s: %w", d.AgentID(), typ, ctx.Err())
		}
	}
}
