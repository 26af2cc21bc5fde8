// Command fakegateway serves the agwtest fake agent gateway over plain
// HTTP on a loopback address, seeded with the demo agents, for trying a
// client by hand:
//
//	go run ./examples/fakegateway -addr 127.0.0.1:8043 [-dynamic-guid [-guid-every 10]] [-seed demo] [-poll-wait 10s] [-idle-signout 2m]
//
// Beside the API it serves the fake's test hooks (agwtest.ControlHandler)
// under /agwtest/, e.g. POST /agwtest/ring?agent=20002, and a live console
// (agwtest.ConsoleHandler) at /agwtest/ui. It logs one line per request to
// stderr (never a Guid, password or cookie) and shuts down cleanly on
// SIGINT or SIGTERM.
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
	"sync"
	"syscall"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "fakegateway:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout, slog.New(slog.NewTextHandler(os.Stderr, nil)), hooks{}); err != nil {
		fmt.Fprintln(os.Stderr, "fakegateway:", err)
		os.Exit(1)
	}
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
	mux := http.NewServeMux()
	mux.Handle(agwtest.ControlPath, logControl(logger, gw.ControlHandler()))
	console := logControl(logger, gw.ConsoleHandler())
	mux.Handle(agwtest.ConsolePath, console)     // the page
	mux.Handle(agwtest.ConsolePath+"/", console) // its assets and event stream
	mux.Handle("/", gw)
	var handler http.Handler = mux
	if h.wrap != nil {
		handler = h.wrap(handler)
	}
	// Requests inherit reqCtx: cancelling it ends waiting polls at shutdown.
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	var unused unusedConns
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: o.pollWait + 30*time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		BaseContext: func(net.Listener) context.Context { return reqCtx },
		ConnState:   unused.track,
		ErrorLog:    slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
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
	// Shutdown waits up to 5 s for a connection that has sent no request
	// yet (a client's spare dial); nothing is pending on it, so close it now.
	unused.closeAll()
	// Pending polls end at once, so only a stuck client meets this bound.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
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
	guid := "static Guid (AUTHMODE=1)"
	if o.dynamic {
		guid = fmt.Sprintf("dynamic Guid (AUTHMODE=2), rotated every %d poll replies", o.guidEvery)
	}
	fmt.Fprintf(w, "fake agent gateway on http://%s/agentgateway/resource: %s, poll wait %v, idle sign-out %v (0s: never)\n",
		addr, guid, o.pollWait, o.idle)
	fmt.Fprintf(w, "console on http://%s%s\n", addr, agwtest.ConsolePath)
	if o.seed == "demo" {
		fmt.Fprintf(w, "demo agents in group %q, password %q:", agwtest.DemoGroup, agwtest.DemoPassword)
		for _, a := range agwtest.DemoAgents() {
			fmt.Fprintf(w, " %d (phone %s)", a.ID, a.Phone)
		}
		in := agwtest.DemoInspector()
		fmt.Fprintf(w, "; skill %d for all; inspector %d (phone %s)\n", agwtest.DemoSkill.ID, in.ID, in.Phone)
		fmt.Fprintf(w, "ring agent 20002: curl -X POST 'http://%[1]s/agwtest/signin?agent=20002'; "+
			"curl -X POST 'http://%[1]s/agwtest/ring?agent=20002' (or ?skill=1)\n", addr)
	} else {
		fmt.Fprintln(w, "no agents")
	}
}

// unusedConns tracks the connections that have not sent a request yet.
type unusedConns struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func (u *unusedConns) track(c net.Conn, state http.ConnState) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if state != http.StateNew {
		delete(u.conns, c)
		return
	}
	if u.conns == nil {
		u.conns = make(map[net.Conn]struct{})
	}
	u.conns[c] = struct{}{}
}

func (u *unusedConns) closeAll() {
	u.mu.Lock()
	defer u.mu.Unlock()
	for c := range u.conns {
		_ = c.Close()
	}
}
