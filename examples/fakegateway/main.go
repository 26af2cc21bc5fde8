// Command fakegateway serves the agwtest fake agent gateway over plain
// HTTP on a loopback address, seeded with the demo agents, for trying a
// client by hand (`agw fake` does the same):
//
//	go run ./examples/fakegateway -addr 127.0.0.1:8043 [-dynamic-guid [-guid-every 10]] [-seed demo] [-poll-wait 10s] [-idle-signout 2m]
//
// Beside the API it serves the fake's test hooks (agwtest.ControlHandler)
// under /agwtest/, e.g. POST /agwtest/ring?agent=20002, and a live console
// (agwtest.ConsoleHandler) at /agwtest/ui. It logs one line per request to
// stderr (never a Guid, password or cookie) and shuts down cleanly on
// SIGINT or SIGTERM. The server is internal/fakeserve.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/agentgateway-go/agentgateway/internal/fakeserve"
)

func main() {
	o, err := fakeserve.ParseFlags("fakegateway", os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakegateway:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := fakeserve.Run(ctx, o, os.Stdout, slog.New(slog.NewTextHandler(os.Stderr, nil)), fakeserve.Hooks{}); err != nil {
		fmt.Fprintln(os.Stderr, "fakegateway:", err)
		os.Exit(1)
	}
}
