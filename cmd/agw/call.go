package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/agentgateway-go/agentgateway/internal/connflags"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// callFlags are the flags `agw call` adds to an operation's own.
var callFlags = []string{"base-url", "agent", "phone", "password-file", "ca", "insecure", "wide-ids", "guid", "timeout", "body", "guid-file", "help", "h"}

// runCall is `agw call`: one operation, its result as JSON on stdout ({}
// when it has none).
func runCall(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, callUsage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, callUsage)
		return exitOK
	case "-list", "--list":
		for _, op := range operations {
			fmt.Fprintf(stdout, "%-34s %s\n", op.Name, op.Summary)
		}
		return exitOK
	}
	op, ok := findOperation(args[0])
	if !ok {
		fmt.Fprintf(stderr, "agw call: unknown operation %q (agw call --list lists them)\n", args[0])
		return exitUsage
	}
	fs := flag.NewFlagSet("agw call "+op.Name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs, "bound for the whole command: sign-in, the call and sign-out", 30*time.Second)
	in, err := registerOperation(fs, op)
	if err != nil {
		fmt.Fprintln(stderr, "agw call:", err)
		return exitUsage
	}
	guidFile := ""
	if op.Manual == "SignIn" {
		fs.StringVar(&guidFile, "guid-file", "", "new `file` (mode 0600) to write the session's Guid to; required, since it is never printed")
	}
	fs.Usage = func() {} // -h prints to stdout; a bad flag says how to get help
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			operationUsage(stdout, fs, op)
			return exitOK
		}
		fmt.Fprintf(stderr, "run agw call %s -h for its flags\n", op.Name)
		return exitUsage
	}
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "agw call %s: %v\n", op.Name, err)
		return code
	}
	switch {
	case fs.NArg() > 0:
		return fail(exitUsage, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " ")))
	case len(in.errs) > 0:
		return fail(exitUsage, errors.New(strings.Join(in.errs, "; ")))
	case len(in.missing()) > 0:
		return fail(exitUsage, fmt.Errorf("missing %s", strings.Join(in.missing(), ", ")))
	}
	if err := c.check(op.Session); err != nil {
		return fail(exitUsage, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	if op.Manual != "" {
		return runManual(ctx, op, &c, guidFile, stdout, stderr)
	}
	run, err := op.Build(in)
	if err == nil {
		err = checkBounds(ctx, &c, op, run)
	}
	if err != nil {
		return fail(exitUsage, err)
	}
	client, err := c.conn.Client()
	if err != nil {
		return fail(exitUsage, err)
	}
	if !op.Session {
		res, err := run(ctx, nil, client)
		return output(stdout, stderr, op, nil, res, err)
	}
	l, err := c.login()
	if err != nil {
		return fail(exitUsage, err)
	}
	s, err := open(ctx, client, &c, l)
	if s != nil {
		defer s.close(stderr)
	}
	if err != nil {
		return fail(exitFailed, errors.New(connflags.Withhold(nil, l.password, s.withhold(err.Error()))))
	}
	res, err := run(ctx, s.Session, client)
	return output(stdout, stderr, op, s, res, err)
}

func findOperation(name string) (operation, bool) {
	for _, op := range operations {
		if strings.EqualFold(op.Name, name) {
			return op, true
		}
	}
	return operation{}, false
}

// registerOperation adds the operation's flags (and -body) to fs.
func registerOperation(fs *flag.FlagSet, op operation) (*input, error) {
	in := newInput(op.Flags)
	for _, f := range op.Flags {
		for _, taken := range callFlags {
			if f.Name == taken {
				return nil, fmt.Errorf("%s: its input %s clashes with the flag -%s", op.Name, f.Name, taken)
			}
		}
		fs.Var(&specValue{in: in, spec: f}, f.Name, f.Help)
	}
	if in.bodyFlag = op.BodyJSON; in.bodyFlag {
		fs.Var(&bodyValue{in: in}, "body", "the request body as a JSON object, or @file holding it; flags set its fields on top")
	}
	return in, nil
}

// operationUsage prints an operation's summary, its flags with their
// kinds, enums and whether they are required, then the common flags.
func operationUsage(w io.Writer, fs *flag.FlagSet, op operation) {
	fmt.Fprintf(w, "usage: agw call %s [flags]\n\n%s.\n", op.Name, op.Summary)
	if !op.Session {
		fmt.Fprintln(w, "It needs no session: no sign-in, -agent is not used.")
	}
	if op.Manual == "SignIn" {
		fmt.Fprintln(w, "It signs -agent in and leaves the session on; the Guid goes to -guid-file, never to the output.")
	}
	if len(op.Flags) > 0 || op.BodyJSON {
		fmt.Fprintf(w, "\nflags of %s:\n", op.Name)
	}
	for _, f := range op.Flags {
		var notes []string
		if f.Required {
			notes = append(notes, "required")
		}
		if f.Secret {
			notes = append(notes, "secret: @file only")
		}
		if len(f.Enum) > 0 {
			notes = append(notes, "one of "+strings.Join(f.Enum, ", "))
		}
		note := ""
		if len(notes) > 0 {
			note = " (" + strings.Join(notes, "; ") + ")"
		}
		fmt.Fprintf(w, "  -%s %s%s\n    \t%s\n", f.Name, f.Kind, note, f.Help)
	}
	if op.BodyJSON {
		fmt.Fprintf(w, "  -body json\n    \tthe request body as a JSON object, or @file holding it (at most %d bytes); flags set its fields on top\n", maxInput)
	}
	fmt.Fprintln(w, "\ncommon flags:")
	own := map[string]bool{"body": true}
	for _, f := range op.Flags {
		own[f.Name] = true
	}
	fs.VisitAll(func(f *flag.Flag) {
		if own[f.Name] {
			return
		}
		name, usage := flag.UnquoteUsage(f)
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  %s\n    \t%s\n", strings.TrimSpace("-"+f.Name+" "+name), usage)
	})
}

// errDryRun is what the bounds check's transport answers: nothing is sent.
var errDryRun = errors.New("dry run")

type refuseAll struct{}

func (refuseAll) RoundTrip(*http.Request) (*http.Response, error) { return nil, errDryRun }

// checkBounds runs the operation once on a client that sends nothing, so
// the generated method checks the spec's bounds before the sign-in does
// any I/O; only an ErrInvalidArgument counts.
func checkBounds(ctx context.Context, c *common, op operation, run runFunc) error {
	opts := []wrapper.Option{wrapper.WithTransport(refuseAll{})}
	if c.conn.WideIDs {
		opts = append(opts, wrapper.WithWideAgentIDs())
	}
	dry, err := wrapper.NewClient(c.conn.BaseURL, opts...)
	if err != nil {
		return err
	}
	var s *wrapper.Session
	if op.Session {
		if s, err = dry.Resume(c.conn.Agent, "dry-run"); err != nil {
			return err
		}
	}
	if _, err := run(ctx, s, dry); errors.Is(err, wrapper.ErrInvalidArgument) {
		return err
	}
	return nil
}

// output prints the result as JSON ({} for an operation without one) or
// the error, on one line, through the session's secret rules.
func output(stdout, stderr io.Writer, op operation, s *session, res any, err error) int {
	if err != nil {
		fmt.Fprintf(stderr, "agw call %s: %s\n", op.Name, s.withhold(err.Error()))
		if errors.Is(err, wrapper.ErrInvalidArgument) {
			return exitUsage
		}
		return exitFailed
	}
	text := []byte("{}")
	if res != nil {
		if text, err = json.MarshalIndent(res, "", "  "); err != nil {
			fmt.Fprintf(stderr, "agw call %s: the result: %v\n", op.Name, err)
			return exitFailed
		}
	}
	if s.withhold(string(text)) == wrapper.Withheld {
		fmt.Fprintf(stderr, "agw call %s: the result is withheld: it holds a secret\n", op.Name)
		return exitFailed
	}
	fmt.Fprintf(stdout, "%s\n", text)
	return exitOK
}

const callUsage = `usage:
  agw call --list                  list the operations, one line each
  agw call <OperationId> --help    an operation's flags
  agw call <OperationId> [flags]   send it

Flags are the spec's parameter and body field names (-destWorkNo 20001);
bodies with nested content take -body '<json>' or -body @file. Session
operations sign -agent in first (-phone, $AGW_PASSWORD or -password-file)
and force it out at the end, which also releases a call it started; with
-guid @file or $AGW_GUID they resume that session and leave it on.
SignIn and ForceSignIn write the new session's Guid to -guid-file.

The result is printed as JSON on stdout, {} for an operation without one.
An error is one line on stderr with the retcode and its meaning; exit
status 1. Bad flags, or a value outside the spec's bounds: exit status 2,
and nothing is sent.
`
