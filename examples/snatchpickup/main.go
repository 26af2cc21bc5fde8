// Command snatchpickup picks up, for one agent, the call ringing at another.
//
// With no flags it runs the whole flow against the fake gateway embedded
// from package agwtest: two agents of one group sign in, the first one's
// phone rings, the second snatches the call, and the event timeline is
// printed.
//
// Against a real gateway:
//
//	AGW_PASSWORD=... go run ./examples/snatchpickup -base-url https://gw:8043 \
//	    -agent 20002 -phone 88002 -dest 20001 [-ca ca.pem] [-insecure] [-timeout 30s] [-wide-ids]
//
// It signs in, polls events, snatches the call ringing at -dest, prints one
// "EVENT <eventType> ..." line per event, signs out on every way out, and
// exits 0 only when the pickup connected. The password may be given with
// -password, but AGW_PASSWORD keeps it out of the process list.
package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

func main() {
	// net/http writes to the standard logger by itself, quoting bytes a
	// server sent on an idle connection, which may echo a secret.
	log.SetOutput(io.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

type flags struct {
	baseURL  string
	agent    int
	password string
	phone    string
	dest     int
	insecure bool
	caFile   string
	timeout  time.Duration
	wideIDs  bool
}

func parseFlags(args []string, stderr io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("snatchpickup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.baseURL, "base-url", "", "gateway URL, e.g. https://gw:8043 (empty: run against the embedded fake gateway)")
	fs.IntVar(&f.agent, "agent", 0, "ID of the agent who picks up")
	fs.StringVar(&f.password, "password", "", "the agent's password (default $AGW_PASSWORD)")
	fs.StringVar(&f.phone, "phone", "", "the agent's softphone number")
	fs.IntVar(&f.dest, "dest", 0, "ID of the agent whose phone is ringing")
	fs.BoolVar(&f.insecure, "insecure", false, "skip TLS certificate verification (lab gateways only)")
	fs.StringVar(&f.caFile, "ca", "", "PEM file of the CA that signed the gateway's certificate")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "how long to wait for the pickup to connect")
	fs.BoolVar(&f.wideIDs, "wide-ids", false, "accept agent IDs up to 999999 (2025 gateways)")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if f.password == "" {
		f.password = os.Getenv("AGW_PASSWORD")
	}
	if f.timeout <= 0 {
		return f, errors.New("-timeout must be positive")
	}
	if f.baseURL == "" {
		if f.agent != 0 || f.dest != 0 || f.phone != "" || f.caFile != "" || f.insecure {
			return f, errors.New("-agent, -dest, -phone, -ca and -insecure need -base-url")
		}
		return f, nil
	}
	var missing []string
	for _, req := range []struct {
		name  string
		empty bool
	}{{"-agent", f.agent == 0}, {"-phone", f.phone == ""}, {"-dest", f.dest == 0}, {"-password or AGW_PASSWORD", f.password == ""}} {
		if req.empty {
			missing = append(missing, req.name)
		}
	}
	if len(missing) > 0 {
		return f, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	if f.insecure && f.caFile != "" {
		return f, errors.New("-insecure and -ca exclude each other")
	}
	return f, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseFlags(args, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "snatchpickup:", err)
		}
		return exitUsage
	}
	if f.baseURL == "" {
		return runDemo(ctx, stdout, stderr)
	}
	client, err := newClient(f)
	if err != nil {
		fmt.Fprintln(stderr, "snatchpickup:", describe(err))
		return exitUsage
	}
	// Reject bad IDs before any request; SignIn checks the rest itself.
	for name, id := range map[string]int{"-agent": f.agent, "-dest": f.dest} {
		var ve *wrapper.ValidationError
		if err := client.ValidateAgentID(id); errors.As(err, &ve) {
			fmt.Fprintf(stderr, "snatchpickup: %s %d: must be %s\n", name, id, ve.Rule)
			return exitUsage
		}
	}
	out := &printer{w: stdout, secrets: []string{f.password}}
	call, err := pickUp(ctx, client, f.agent, wrapper.SignInOptions{Phone: f.phone, Password: f.password}, f.dest, f.timeout, out, nil)
	if err != nil {
		fmt.Fprintln(stderr, "snatchpickup:", describe(err))
		if errors.Is(err, wrapper.ErrInvalidArgument) {
			return exitUsage
		}
		return exitFailed
	}
	fmt.Fprintf(stdout, "PICKED UP call %s from %s to %s; agent %d is talking\n", call.CallID, call.Caller, call.Called, f.agent)
	return exitOK
}

func newClient(f flags) (*wrapper.Client, error) {
	opts := []wrapper.Option{}
	if f.wideIDs {
		opts = append(opts, wrapper.WithWideAgentIDs())
	}
	if f.insecure {
		opts = append(opts, wrapper.WithInsecureSkipVerify())
	}
	if f.caFile != "" {
		pem, err := os.ReadFile(f.caFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", f.caFile)
		}
		opts = append(opts, wrapper.WithRootCAs(pool))
	}
	return wrapper.NewClient(f.baseURL, opts...)
}

// pickUp signs agent in, polls its events, snatches the call ringing at
// dest and waits for it to connect. It signs out on every way out (a force
// sign-out, which also releases the picked-up call when the command ends);
// then, if set, runs while the call is up, before the sign-out.
func pickUp(ctx context.Context, c *wrapper.Client, agent int, creds wrapper.SignInOptions, dest int,
	timeout time.Duration, out *printer, then func(context.Context, wrapper.CallDetails) error) (wrapper.CallDetails, error) {
	s, err := c.SignIn(ctx, agent, creds)
	if sie, ok := errors.AsType[*wrapper.SignInError](err); ok && sie.Session != nil {
		signOut(sie.Session, out) // the gateway may have signed the agent in
	}
	if err != nil {
		return wrapper.CallDetails{}, err
	}
	out.line("SIGNED IN agent %d", agent)
	defer signOut(s, out)

	pollCtx, stopPoll := context.WithCancel(ctx)
	polled, err := startPoll(pollCtx, s, out)
	if err != nil {
		stopPoll()
		return wrapper.CallDetails{}, err
	}
	defer func() {
		stopPoll()
		<-polled
	}()

	waitCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	call, err := s.PickUp(waitCtx, dest)
	if err == nil && then != nil {
		err = then(waitCtx, call)
	}
	if out.holds(s, call.CallID+" "+call.Caller+" "+call.Called) { // the gateway's text
		call = wrapper.CallDetails{CallID: wrapper.Withheld, Caller: wrapper.Withheld, Called: wrapper.Withheld}
	}
	return call, err
}

// startPoll runs the session's event poll in the background, printing
// each event; the channel closes when the poll has ended.
func startPoll(ctx context.Context, s *wrapper.Session, out *printer) (<-chan struct{}, error) {
	result, err := s.PollInBackground(ctx, func(ev wrapper.Event) error {
		out.event(s, ev)
		return nil
	}, wrapper.PollOptions{OnError: func(err error) { out.line("POLL ERROR %s (retrying)", describe(err)) }})
	if err != nil {
		return nil, err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := <-result; err != nil && ctx.Err() == nil {
			out.line("POLL ENDED agent %d: %s", s.AgentID(), describe(err))
		}
	}()
	return done, nil
}

func signOut(s *wrapper.Session, out *printer) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.ForceSignOut(ctx); err != nil {
		out.line("SIGN-OUT FAILED agent %d: %s", s.AgentID(), describe(err))
		return
	}
	out.line("SIGNED OUT agent %d", s.AgentID())
}

// describe turns an error into the one line the user sees: the retcode and
// its meaning, or the validation rule broken.
func describe(err error) string {
	var ve *wrapper.ValidationError
	var ae *wrapper.APIError
	var re *wrapper.ReplyError
	var pe *wrapper.PickupError
	var sie *wrapper.SignInError
	switch {
	case errors.As(err, &sie):
		return describe(sie.Err) + "; the gateway may have signed the agent in"
	case errors.As(err, &ve):
		return fmt.Sprintf("invalid %s %s: must be %s", ve.Field, ve.Value, ve.Rule)
	case errors.As(err, &ae):
		meaning := wrapper.RetCodeText(ae.RetCode)
		if meaning == "" {
			meaning = "undocumented code"
		}
		msg := ""
		if ae.Message != "" {
			msg = fmt.Sprintf(" (gateway says %q)", ae.Message)
		}
		return fmt.Sprintf("%s refused: retcode %s, %s%s", ae.Op, ae.RetCode, meaning, msg)
	case errors.As(err, &re):
		return fmt.Sprintf("%s: unreadable reply, HTTP %d, %s", re.Op, re.HTTPStatus, re.Reason)
	case errors.As(err, &pe):
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Sprintf("the pickup from agent %d did not connect in time (last event: %s)", pe.DestWorkNo, orNone(pe.LastEvent))
		}
		return pe.Error()
	}
	return err.Error()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
