// Command loadtest puts the wrapper under load against the fake gateway:
// many agent sessions sign in, long-poll, and pick up a call each, while
// the gateway counts every request and event.
//
//	go run ./examples/loadtest                 # 2,000 sessions
//	go run ./examples/loadtest -sessions 200   # the short form CI runs
//	go run ./examples/loadtest -mode push -sessions 200   # events pushed to a callback
//
// It prints throughput, latency percentiles and client memory per idle
// session, and exits non-zero if any event was lost or duplicated or any
// snatchpickup PUT reached the gateway more than once.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/signal"
	"time"
)

func main() {
	sessions := flag.Int("sessions", 2000, "agent sessions (even)")
	pollWait := flag.Duration("poll-wait", 10*time.Second, "the gateway's long-poll wait")
	mode := flag.String("mode", "poll", "how events reach the sessions: poll or push")
	inProc := flag.Bool("in-process", false, "run the fake gateway in this process (memory figures then include it)")
	serveMode := flag.Bool("serve", false, "internal: be the gateway child process")
	flag.Parse()

	if *serveMode {
		if err := serve(*sessions, *pollWait); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest gateway:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := load(ctx, *sessions, *pollWait, *inProc, *mode)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	fmt.Print(res)
	if len(res.Errors) > 0 {
		os.Exit(1)
	}
}

func load(ctx context.Context, n int, pollWait time.Duration, inProc bool, mode string) (result, error) {
	if inProc {
		g, err := newGateway(n, pollWait)
		if err != nil {
			return result{}, err
		}
		h, pending := gatewayHandler(g)
		srv := httptest.NewServer(h)
		defer srv.Close()
		res, err := runLoad(ctx, srv.URL, inProcess{g: g, pending: pending}, n, mode)
		res.Where = "in this process"
		return res, err
	}
	root, stopChild, err := startChild(ctx, n, pollWait)
	if err != nil {
		return result{}, err
	}
	defer stopChild()
	res, err := runLoad(ctx, root, remote{root: root, hc: &http.Client{Timeout: 10 * time.Second}}, n, mode)
	res.Where = "in a child process"
	return res, err
}
