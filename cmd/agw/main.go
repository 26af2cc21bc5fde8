// Command agw is the agent gateway from the command line, for the people
// who run a call centre's middleware:
//
//	agw call <OperationId> [flags]   send any operation of the spec, print its result as JSON
//	agw events [flags]               print the agent's events live until interrupted
//	agw doctor [flags]               check a gateway: reachability, TLS, sign-in, events
//	agw fake [flags]                 serve the fake gateway with its console
//
// Passwords come from -password-file or $AGW_PASSWORD, never a flag's
// value (the process list shows those); Guids are never printed. Exit
// status: 0 ok, 1 the gateway or the network failed, 2 bad flags or values
// (nothing sent).
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
)

const exitOK, exitFailed, exitUsage = 0, 1, 2

const usage = `agw: the agent gateway from the command line.

usage:
  agw call --list                  list the operations
  agw call <OperationId> --help    an operation's flags
  agw call <OperationId> [flags]   send it; the result as JSON on stdout
  agw events [flags]               the agent's events, live, one line each
  agw doctor [flags]               check a gateway, one line per check
  agw fake [flags]                 serve the fake gateway and its console

The agent signs in with -agent, -phone and the password in $AGW_PASSWORD
(or -password-file), or resumes a session with -guid @file / $AGW_GUID.
Run agw <command> -h for a command's flags.
`

func main() {
	log.SetOutput(io.Discard) // net/http logs bytes a server sent on an idle connection: they may echo a secret
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run runs one agw command and returns its exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 { // a usage error, as for the go command: help asked for is on stdout
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "call":
		return runCall(ctx, args[1:], stdout, stderr)
	case "events":
		return runEvents(ctx, args[1:], stdout, stderr)
	case "doctor":
		return runDoctor(ctx, args[1:], stdout, stderr)
	case "fake":
		return runFake(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "agw: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
