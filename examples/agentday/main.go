// Command agentday walks through an agent's day against the fake gateway
// from package agwtest, in-process, with no flags: sign in with a skill
// queue, go busy, rest on a short timer, come back idle, watch a supervisor
// listen to a colleague's call, pick up a ringing colleague's call with the
// prerequisites checked first, wrap up and sign out. It prints each step
// and every agent's events as they arrive.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "agentday:", err)
		os.Exit(1)
	}
}

func run(out io.Writer) error {
	srv := agwtest.New(agwtest.WithPollWait(50 * time.Millisecond))
	defer srv.Close()
	if err := agwtest.Demo(srv.Gateway); err != nil {
		return err
	}
	client, err := wrapper.NewClient(srv.URL())
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var mu sync.Mutex // one line at a time from the polls and the steps
	say := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, format+"\n", args...)
	}
	signIn := func(a agwtest.Agent, o wrapper.SignInOptions) (*desk, error) {
		o.Phone, o.Password = a.Phone, agwtest.DemoPassword
		s, err := client.SignIn(ctx, a.ID, o)
		if err != nil {
			return nil, err
		}
		d := &desk{Session: s, events: make(chan wrapper.Event, 256)}
		_, err = s.PollInBackground(ctx, func(ev wrapper.Event) error {
			say("  EVENT agent %d %s", a.ID, ev.EventType)
			select {
			case d.events <- ev:
			case <-ctx.Done():
			}
			return nil
		}, wrapper.PollOptions{IdleDelay: 10 * time.Millisecond})
		return d, err
	}

	say("SIGN IN agent 20002 to skill queue %d, wrap-up after calls", agwtest.DemoSkill.ID)
	agents, inspector := agwtest.DemoAgents(), agwtest.DemoInspector()
	var desks []*desk
	defer func() { // sign out on every way out; an error once signed out does no harm
		for _, d := range desks {
			_ = d.ForceSignOut(context.Background())
		}
	}()
	for _, in := range []struct {
		agent agwtest.Agent
		opts  wrapper.SignInOptions
	}{
		{agents[1], wrapper.SignInOptions{Skills: []int{agwtest.DemoSkill.ID}, WrapUpAfterCall: true}}, // 20002, this desk
		{agents[0], wrapper.SignInOptions{}}, // 20001, a colleague
		{inspector, wrapper.SignInOptions{}},
	} {
		d, err := signIn(in.agent, in.opts)
		if err != nil {
			return err
		}
		desks = append(desks, d)
	}
	me, colleague, supervisor := desks[0], desks[1], desks[2]

	ring := func(caller string) func() error {
		return func() error { _, err := srv.Ring(20001, caller); return err }
	}
	var call wrapper.CallDetails
	pickUp := func() (err error) { call, err = me.PickUp(ctx, 20001, wrapper.CheckFirst()); return err }
	day := []struct {
		step  string
		calls []func() error
	}{
		{"BUSY, then a 1 s rest", []func() error{
			func() error { return me.SayBusy(ctx, nil) },
			func() error { return me.await(ctx, generated.EventTypeAgentStateSetNotReadySuccess) },
			func() error { return me.CancelBusy(ctx) },
			func() error { return me.Rest(ctx, 1, 0, nil) },
			func() error { return me.await(ctx, generated.EventTypeAgentStateRestTimeout) },
		}},
		{fmt.Sprintf("SUPERVISOR %d listens to agent 20001's call", inspector.ID), []func() error{
			ring("13800000000"),
			func() error { return colleague.await(ctx, generated.EventTypeAgentEventRinging) },
			func() error { return colleague.Answer(ctx, nil) },
			func() error { return supervisor.AddSupervise(ctx, 20001) },
			func() error { return colleague.await(ctx, generated.EventTypeAgentOtherBeQcStart) },
			func() error { return supervisor.StopSupervision(ctx, 20001) },
			func() error { return colleague.await(ctx, generated.EventTypeAgentOtherBeQcStop) },
			func() error { return colleague.Release(ctx) },
		}},
		{"PICK UP the call ringing at agent 20001, checks first", []func() error{
			ring("13900000000"),
			func() error { return colleague.await(ctx, generated.EventTypeAgentEventRinging) },
			pickUp,
			func() error { say("PICKED UP call %s from %s", call.CallID, call.Caller); return nil },
		}},
		{"HANG UP and wrap up", []func() error{
			func() error { return me.Release(ctx) },
			func() error { return me.await(ctx, generated.EventTypeAgentStateWork) },
			func() error { return me.CancelWork(ctx) },
			func() error { return me.await(ctx, generated.EventTypeAgentStateCancelWorkSuccess) },
			func() error { return me.SignOut(ctx) },
		}},
	}
	for _, part := range day {
		say("%s", part.step)
		for _, c := range part.calls {
			if err := c(); err != nil {
				return err
			}
		}
	}
	say("SIGNED OUT agent 20002")
	return nil
}
