package fakeserve

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"time"
)

// Options say how to serve the fake gateway.
type Options struct {
	Addr, Seed     string // Seed: "demo" or "none"
	Dynamic        bool   // dynamic Guids (AUTHMODE=2), rotated every GuidEvery poll replies
	GuidEvery      int
	PollWait, Idle time.Duration // Idle: the idle sign-out, 0 for never
	TLSCA          string        // serve HTTPS with a new self-signed certificate, written to this file
}

// ParseFlags parses the flags of a command called name.
func ParseFlags(name string, args []string, stderr io.Writer) (Options, error) {
	var o Options
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8043", "loopback `host:port` to listen on (port 0 picks one)")
	fs.BoolVar(&o.Dynamic, "dynamic-guid", false, "dynamic authentication (AUTHMODE=2): rotate Guids on poll replies")
	fs.IntVar(&o.GuidEvery, "guid-every", 10, "with -dynamic-guid, rotate every `n` poll replies")
	fs.StringVar(&o.Seed, "seed", "demo", "agents to create: demo (20001-20005) or none")
	fs.DurationVar(&o.PollWait, "poll-wait", 10*time.Second, "how long an event poll waits when nothing is queued")
	fs.StringVar(&o.TLSCA, "tls-ca", "", "serve HTTPS with a new self-signed certificate (90 days long), written as PEM to this new `file` for clients' -ca")
	fs.DurationVar(&o.Idle, "idle-signout", 2*time.Minute, "sign out agents that neither poll nor send heartbeats for this long (0: never)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	// Only loopback: the fake has well-known demo passwords.
	host, _, err := net.SplitHostPort(o.Addr)
	ip := net.ParseIP(host)
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case err != nil:
		return o, fmt.Errorf("-addr %q: %w", o.Addr, err)
	case host != "localhost" && (ip == nil || !ip.IsLoopback()):
		return o, fmt.Errorf("-addr %q: only loopback addresses are served", o.Addr)
	case o.Seed != "demo" && o.Seed != "none":
		return o, fmt.Errorf("-seed %q: want demo or none", o.Seed)
	case o.GuidEvery < 1:
		return o, fmt.Errorf("-guid-every %d: want at least 1", o.GuidEvery)
	case o.PollWait < 0 || o.Idle < 0:
		return o, errors.New("-poll-wait and -idle-signout must not be negative")
	}
	return o, nil
}
