package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"time"
)

type options struct {
	addr, seed     string
	dynamic        bool
	guidEvery      int
	pollWait, idle time.Duration
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("fakegateway", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8043", "loopback `host:port` to listen on (port 0 picks one)")
	fs.BoolVar(&o.dynamic, "dynamic-guid", false, "dynamic authentication (AUTHMODE=2): rotate Guids on poll replies")
	fs.IntVar(&o.guidEvery, "guid-every", 10, "with -dynamic-guid, rotate every `n` poll replies")
	fs.StringVar(&o.seed, "seed", "demo", "agents to create: demo (20001-20005) or none")
	fs.DurationVar(&o.pollWait, "poll-wait", 10*time.Second, "how long an event poll waits when nothing is queued")
	fs.DurationVar(&o.idle, "idle-signout", 2*time.Minute, "sign out agents that neither poll nor send heartbeats for this long (0: never)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	// Only loopback: the fake has well-known demo passwords and no TLS.
	host, _, err := net.SplitHostPort(o.addr)
	ip := net.ParseIP(host)
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case err != nil:
		return o, fmt.Errorf("-addr %q: %w", o.addr, err)
	case host != "localhost" && (ip == nil || !ip.IsLoopback()):
		return o, fmt.Errorf("-addr %q: only loopback addresses are served", o.addr)
	case o.seed != "demo" && o.seed != "none":
		return o, fmt.Errorf("-seed %q: want demo or none", o.seed)
	case o.guidEvery < 1:
		return o, fmt.Errorf("-guid-every %d: want at least 1", o.guidEvery)
	case o.pollWait < 0 || o.idle < 0:
		return o, errors.New("-poll-wait and -idle-signout must not be negative")
	}
	return o, nil
}
