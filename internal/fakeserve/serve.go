// Package fakeserve serves the agwtest fake agent gateway over HTTP (or
// HTTPS with a self-signed certificate) on a loopback address, seeded with the demo agents, for trying a
// client by hand: `agw fake` and examples/fakegateway run it.
//
// Beside the API it serves the fake's test hooks (agwtest.ControlHandler)
// under /agwtest/, e.g. POST /agwtest/ring?agent=20002, and a live console
// (agwtest.ConsoleHandler) at /agwtest/ui. It logs one line per request
// (never a Guid, password or cookie).
package fakeserve

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// Hooks let a caller follow a running server; both may be nil.
type Hooks struct {
	Ready func(net.Addr)                  // gets the address once requests are accepted
	Wrap  func(http.Handler) http.Handler // wraps the gateway
}

// Run serves until ctx ends, then shuts down. It prints a banner with the
// address and the demo agents to stdout.
func Run(ctx context.Context, o Options, stdout io.Writer, logger *slog.Logger, h Hooks) error {
	gwOpts := []agwtest.Option{agwtest.WithPollWait(o.PollWait), agwtest.WithLogger(logger), agwtest.WithIdleSignOut(o.Idle)}
	if o.Dynamic {
		gwOpts = append(gwOpts, agwtest.WithDynamicGuid(o.GuidEvery))
	}
	gw := agwtest.NewGateway(gwOpts...)
	if o.Seed == "demo" {
		if err := agwtest.Demo(gw); err != nil {
			return err
		}
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", o.Addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if o.TLSCA != "" {
		cfg, err := selfSigned(o.TLSCA, time.Now())
		if err != nil {
			_ = ln.Close()
			return err
		}
		ln, scheme = tls.NewListener(ln, cfg), "https"
	}
	mux := http.NewServeMux()
	mux.Handle(agwtest.ControlPath, logControl(logger, gw.ControlHandler()))
	console := logControl(logger, gw.ConsoleHandler())
	mux.Handle(agwtest.ConsolePath, console)     // the page
	mux.Handle(agwtest.ConsolePath+"/", console) // its assets and event stream
	mux.Handle("/", gw)
	var handler http.Handler = mux
	if h.Wrap != nil {
		handler = h.Wrap(handler)
	}
	// Requests inherit reqCtx: cancelling it ends waiting polls at shutdown.
	reqCtx, cancelRequests := context.WithCancel(context.Background())
	defer cancelRequests()
	var unused unusedConns
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: o.PollWait + 30*time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		BaseContext: func(net.Listener) context.Context { return reqCtx },
		ConnState:   unused.track,
		ErrorLog:    slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
	printBanner(stdout, scheme, ln.Addr(), o)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	if h.Ready != nil {
		h.Ready(ln.Addr())
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

func printBanner(w io.Writer, scheme string, addr net.Addr, o Options) {
	guid := "static Guid (AUTHMODE=1)"
	if o.Dynamic {
		guid = fmt.Sprintf("dynamic Guid (AUTHMODE=2), rotated every %d poll replies", o.GuidEvery)
	}
	fmt.Fprintf(w, "fake agent gateway on %s://%s%s: %s, poll wait %v, idle sign-out %v (0s: never)\n",
		scheme, addr, generated.BasePath, guid, o.PollWait, o.Idle)
	if o.TLSCA != "" {
		fmt.Fprintf(w, "its certificate, to trust with -ca: %s\n", o.TLSCA)
	}
	fmt.Fprintf(w, "console on %s://%s%s\n", scheme, addr, agwtest.ConsolePath)
	if o.Seed == "demo" {
		fmt.Fprintf(w, "demo agents in group %q, password %q:", agwtest.DemoGroup, agwtest.DemoPassword)
		for _, a := range agwtest.DemoAgents() {
			fmt.Fprintf(w, " %d (phone %s)", a.ID, a.Phone)
		}
		in := agwtest.DemoInspector()
		fmt.Fprintf(w, "; skill %d for all; inspector %d (phone %s)\n", agwtest.DemoSkill.ID, in.ID, in.Phone)
		fmt.Fprintf(w, "ring agent 20002: curl -X POST '%[1]s://%[2]s/agwtest/signin?agent=20002'; "+
			"curl -X POST '%[1]s://%[2]s/agwtest/ring?agent=20002' (or ?skill=1)\n", scheme, addr)
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
