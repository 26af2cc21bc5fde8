package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/agentgateway-go/agentgateway/internal/fakeserve"
)

// runFake is `agw fake`: the fake gateway and its console on a loopback
// port until ctx ends; its request log goes to stderr.
func runFake(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := fakeserve.ParseFlags("agw fake", args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "agw fake:", err)
		return exitUsage
	}
	if err := fakeserve.Run(ctx, o, stdout, slog.New(slog.NewTextHandler(stderr, nil)), fakeserve.Hooks{}); err != nil {
		fmt.Fprintln(stderr, "agw fake:", err)
		return exitFailed
	}
	return exitOK
}
