// Command fakegateway serves the agwtest fake agent gateway over plain
// HTTP on a loopback address, seeded with the demo agents, for trying a
// client by hand:
//
//	go run ./examples/fakegateway -addr 127.0.0.1:8043 [-dynamic-guid] [-seed demo] [-poll-wait 10s] [-idle-signout 2m]
//
// Beside the API it serves the fake's test hooks (agwtest.ControlHandler)
// under /agwtest/, e.g. POST /agwtest/ring?agent=20002 to ring an agent.
// Each request is logged on one line to stderr (method, path, operationId,
// status, retcode, latency; never the Guid, passwords or cookies).
// SIGINT or SIGTERM shuts it down cleanly.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// shutdownGrace bounds how long a shutdown waits for requests in flight;
// pending polls end at once, so it is only reached by a stuck client.
const shutdownGrace = 5 * time.Second

type options struct {
	addr      string
	dynamic   bool
	guidEvery int
	seed      string
	pollWait  time.Duration
	idle      time.Duration
}

func main() {
	opts, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakegateway:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, opts, os.Stdout, logger, hooks{}); err != nil {
		fmt.Fprintln(os.Stderr, "fakegateway:", err)
		os.Exit(1)
	}
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
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	case o.seed != "demo" && o.seed != "none":
		return o, fmt.Errorf("-seed %q: want demo or none", o.seed)
	case o.guidEvery < 1:
		return o, fmt.Errorf("-guid-every %d: want at least 1", o.guidEvery)
	case o.pollWait < 0:
		return o, fmt.Errorf("-poll-wait %v: want 0 or more", o.pollWait)
	case o.idle < 0:
		return o, fmt.Errorf("-idle-signout %v: want 0 or more", o.idle)
	}
	if err := checkLoopback(o.addr); err != nil {
		return o, err
	}
	return o, nil
}

// checkLoopback refuses addresses other hosts could reach: the fake has
// well-known demo passwords and no TLS.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %q: only loopback addresses are served", addr)
	}
	return nil
}

// hooks let tests follow a running server; main leaves them nil.
type hooks struct {
	ready func(net.Addr)                  // gets the address once requests are accepted
	wrap  func(http.Handler) http.Handler // wraps the gateway
}

// run serves until ctx ends, then shuts down.
func run(ctx context.Context, o options, stdout io.Writer, logger *slog.Logger, h hooks) error {
	gwOpts := []agwtest.Option{agwtest.WithPollWait(o.pollWait), agwtest.WithLogger(logger), agwtest.WithIdleSignOut(o.idle)}
	if o.dynamic {
		gwOpts = append(gwOpts, agwtest.WithDynamicGuid(o.guidEvery))
	}
	gw := agwtest.NewGateway(gwOpts...)
	if o.seed == "demo" {
		if err := agwtest.Demo(gw); err != nil {
			return err
		}
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", o.addr)
	if err != nil {
		return err
	}
	// Requests inherit reqCtx: cancelling it ends waiting polls at shutdown.
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	mux := http.NewServeMux()
	mux.Handle(agwtest.ControlPath, logControl(logger, gw.ControlHandler()))
	mux.Handle("/", gw)
	var handler http.Handler = mux
	if h.wrap != nil {
		handler = h.wrap(handler)
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      o.pollWait + 30*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	printBanner(stdout, ln.Addr(), o)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if h.ready != nil {
		h.ready(ln.Addr())
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	cancelRequests()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	logger.Info("stopped")
	return nil
}

// logControl logs each control request on one line. Replies are not
// logged: the signin hook answers a Guid.
func logControl(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		next.ServeHTTP(w, r)
		logger.Info("control", "method", r.Method, "path", r.URL.Path, "query", r.URL.RawQuery, "latency", time.Since(start))
	})
}

func printBanner(w io.Writer, addr net.Addr, o options) {
	mode := "static Guid (AUTHMODE=1)"
	if o.dynamic {
		mode = fmt.Sprintf("dynamic Guid (AUTHMODE=2), rotated every %d poll replies", o.guidEvery)
	}
	fmt.Fprintf(w, "fake agent gateway on http://%s/agentgateway/resource\n", addr)
	idle := "never"
	if o.idle > 0 {
		idle = "after " + o.idle.String() + " without a poll"
	}
	fmt.Fprintf(w, "%s, poll wait %v, idle sign-out %s\n", mode, o.pollWait, idle)
	if o.seed != "demo" {
		fmt.Fprintln(w, "no agents")
		return
	}
	var ids []string
	for _, a := range agwtest.DemoAgents() {
		ids = append(ids, fmt.Sprintf("%d (phone %s)", a.ID, a.Phone))
	}
	fmt.Fprintf(w, "demo agents in group %q, password %q, all with pickup permission and skill %d:\n  %s\n",
		agwtest.DemoGroup, agwtest.DemoPassword, agwtest.DemoSkill.ID, strings.Join(ids, "\n  "))
	in := agwtest.DemoInspector()
	fmt.Fprintf(w, "inspector (quality-control right): %d (phone %s)\n", in.ID, in.Phone)
	fmt.Fprintf(w, "test hooks (see agwtest.ControlHandler), e.g. ring agent 20002 once it is signed in:\n"+
		"  curl -X POST 'http://%[1]s/agwtest/signin?agent=20002'\n"+
		"  curl -X POST 'http://%[1]s/agwtest/ring?agent=20002'\n"+
		"  curl -X POST 'http://%[1]s/agwtest/ring?skill=1'   # to an idle agent that joined skill 1 (resetskill)\n"+
		"  curl 'http://%[1]s/agwtest/agents'\n", addr)
}
