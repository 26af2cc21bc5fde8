package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// runDemo runs the pickup flow against the fake gateway from agwtest,
// started in-process: agent 20001 rings, agent 20002 snatches the call.
func runDemo(ctx context.Context, stdout, stderr io.Writer) int {
	srv := agwtest.New(agwtest.WithPollWait(2 * time.Second))
	defer srv.Close()
	if err := agwtest.Demo(srv.Gateway); err != nil {
		fmt.Fprintln(stderr, "snatchpickup:", err)
		return exitFailed
	}
	agents := agwtest.DemoAgents()
	ringing, picker := agents[0], agents[1]
	fmt.Fprintf(stdout, "Embedded fake gateway at %s, group %q: agent %d will ring, agent %d picks up.\n",
		srv.BaseURL(), agwtest.DemoGroup, ringing.ID, picker.ID)

	client, err := wrapper.NewClient(srv.URL())
	if err != nil {
		fmt.Fprintln(stderr, "snatchpickup:", describe(err))
		return exitFailed
	}
	events := make(chan wrapper.Event, 64) // the picker's events
	out := &printer{w: stdout, secrets: []string{agwtest.DemoPassword}, notify: func(agent int, ev wrapper.Event) {
		if agent == picker.ID {
			events <- ev
		}
	}}

	// The ringing agent is signed in and polling like any agent desk.
	a, err := client.SignIn(ctx, ringing.ID, wrapper.SignInOptions{Phone: ringing.Phone, Password: ringing.Password})
	if err != nil {
		fmt.Fprintln(stderr, "snatchpickup:", describe(err))
		return exitFailed
	}
	out.line("SIGNED IN agent %d", ringing.ID)
	defer signOut(a, out)
	pollCtx, stopPoll := context.WithCancel(ctx)
	polled, err := startPoll(pollCtx, a, out)
	if err != nil {
		stopPoll()
		fmt.Fprintln(stderr, "snatchpickup:", describe(err))
		return exitFailed
	}
	defer func() {
		stopPoll()
		<-polled
	}()

	callID, err := srv.Ring(ringing.ID, "13800000000")
	if err != nil {
		fmt.Fprintln(stderr, "snatchpickup:", err)
		return exitFailed
	}
	out.line("RING call %s from 13800000000 at agent %d", callID, ringing.ID)

	start := time.Now()
	_, err = pickUp(ctx, client, picker.ID, wrapper.SignInOptions{Phone: picker.Phone, Password: picker.Password},
		ringing.ID, 10*time.Second, out, func(ctx context.Context, call wrapper.CallDetails) error {
			took := time.Since(start)
			// Let the rest of the pickup's timeline arrive, then have the
			// customer hang up so the release shows too.
			if err := waitFor(ctx, events, string(generated.EventTypeAgentMediaEventRecord)); err != nil {
				return err
			}
			if err := srv.Hangup(call.CallID); err != nil {
				return err
			}
			if err := waitFor(ctx, events, string(generated.EventTypeAgentOtherPhoneRelease)); err != nil {
				return err
			}
			out.line("SUMMARY agent %d picked up call %s (caller %s, called %s) ringing at agent %d in %s",
				picker.ID, call.CallID, call.Caller, call.Called, ringing.ID, took.Round(time.Millisecond))
			return nil
		})
	if err != nil {
		fmt.Fprintln(stderr, "snatchpickup:", describe(err))
		return exitFailed
	}
	return exitOK
}

// waitFor drains events until one of type typ arrives.
func waitFor(ctx context.Context, events <-chan wrapper.Event, typ string) error {
	for {
		select {
		case ev := <-events:
			if ev.EventType == typ {
				return nil
			}
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", typ, ctx.Err())
		}
	}
}
