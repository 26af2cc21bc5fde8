// Command snatchpickup signs an agent in, polls its events, picks up the
// call ringing at another agent, and signs out on every way out:
//
//	AGW_PASSWORD=... go run ./examples/snatchpickup -base-url https://gw:8043 \
//	    -agent 20002 -phone 88002 -dest 20001 [-password-file f] [-ca ca.pem | -insecure] [-timeout 30s] [-wide-ids]
//
// With no flags it runs against the fake gateway from package agwtest,
// in-process, with a call ringing at demo agent 20001. It exits 0 only when
// the pickup connected, 2 for bad flags (before any request), else 1.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/connflags"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const exitOK, exitFailed, exitUsage = 0, 1, 2

func main() {
	log.SetOutput(io.Discard) // net/http logs bytes a server sent on an idle connection: they may echo a secret
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "snatchpickup:", err)
		}
		return exitUsage
	}
	if f.BaseURL == "" {
		srv, demo, err := startFake(stdout)
		if err != nil {
			fmt.Fprintln(stderr, "snatchpickup:", err)
			return exitFailed
		}
		defer srv.Close()
		f = demo
	}
	client, err := newClient(f)
	if err != nil {
		fmt.Fprintln(stderr, "snatchpickup:", err)
		return exitUsage
	}
	if err = pickUp(ctx, client, f, stdout); err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "snatchpickup:", err)
	if errors.Is(err, wrapper.ErrInvalidArgument) { // found before any request
		return exitUsage
	}
	return exitFailed
}

// pickUp signs f.agent in, polls, snatches the call ringing at f.dest and waits until it is
// connected. It signs out on every way out; that force sign-out also releases the call.
func pickUp(ctx context.Context, client *wrapper.Client, f flags, out io.Writer) error {
	s, err := client.SignIn(ctx, f.Agent, wrapper.SignInOptions{Phone: f.Phone, Password: f.password})
	if sie, ok := errors.AsType[*wrapper.SignInError](err); ok && sie.Session != nil {
		s = sie.Session // the outcome is unknown: the gateway may have signed the agent in
	}
	if s != nil {
		defer signOut(s, out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "SIGNED IN agent %d\n", f.Agent)

	// The handler runs on a goroutine of its own, OnError on the poll's.
	var mu sync.Mutex
	connected := false // PickUp returns on AgentEvent_Talking; later events are not printed
	pollCtx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	polled, err := s.PollInBackground(pollCtx, func(ev wrapper.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if !connected {
			printEvent(out, s, f.password, ev)
		}
		connected = connected || ev.EventType == string(generated.EventTypeAgentEventTalking)
		return nil
	}, wrapper.PollOptions{OnError: func(err error) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, "POLL ERROR %v (retrying)\n", err)
	}})
	if err != nil {
		return err
	}

	waitCtx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	start := time.Now()
	call, err := s.PickUp(waitCtx, f.dest)
	took := time.Since(start).Round(time.Millisecond)
	stopPoll()
	if perr := <-polled; perr != nil && !errors.Is(perr, context.Canceled) {
		fmt.Fprintf(out, "POLL ENDED %v\n", perr)
	}
	if err != nil {
		return err
	}
	// The poll has ended: nothing prints between this line and the sign-out's.
	text := fmt.Sprintf("call %s from %s to %s", call.CallID, call.Caller, call.Called)
	if holdsSecret(s, f.password, text) { // the gateway's text
		text = wrapper.Withheld
	}
	fmt.Fprintf(out, "PICKED UP %s in %s\n", text, took)
	return nil
}

func signOut(s *wrapper.Session, out io.Writer) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.ForceSignOut(ctx); err != nil {
		fmt.Fprintf(out, "SIGN-OUT FAILED agent %d: %v\n", s.AgentID(), err)
		return
	}
	fmt.Fprintf(out, "SIGNED OUT agent %d\n", s.AgentID())
}

// printEvent prints "EVENT <eventType> agent=<id> <content>", withheld
// whole if it holds a secret.
func printEvent(out io.Writer, s *wrapper.Session, password string, ev wrapper.Event) {
	typ, content := ev.EventType, string(ev.Content)
	if holdsSecret(s, password, typ+" "+content) {
		typ, content = wrapper.Withheld, wrapper.Withheld
	}
	fmt.Fprintf(out, "EVENT %s agent=%d %s\n", typ, s.AgentID(), content)
}

// holdsSecret reports whether text holds the session's Guid or cookies
// or the password.
func holdsSecret(s *wrapper.Session, password, text string) bool {
	return connflags.Withhold(s, password, text) == wrapper.Withheld
}
