// Command loadtest puts the wrapper under load against the fake gateway,
// which runs in a child process so that the client figures are the
// client's alone: many agent sessions sign in, get their events, and pick
// up a call each, while the gateway counts every request and event.
//
//	go run ./examples/loadtest                 # 2,000 sessions, each polling
//	go run ./examples/loadtest -sessions 200 -poll-wait 2s   # the short form CI runs
//	go run ./examples/loadtest -mode push -sessions 10000      # events pushed, one KeepAliveAll
//	go run ./examples/loadtest -mode allagents -sessions 10000 # one all-agent poll feeds Route
//	go run ./examples/loadtest -processes 3 -sessions 3000 -kill-one   # Redis, one process killed
//	go run ./examples/loadtest -processes 3 -sessions 300 -fault restart [-appendonly]   # Redis restarted
//	go run ./examples/loadtest -processes 3 -sessions 300 -fault stall       # Redis stopped (SIGSTOP) 5 s
//	go run ./examples/loadtest -processes 3 -sessions 300 -fault partition   # one worker cut off from Redis 15 s
//
// It prints a table, then one line "RESULT key=value ...", and exits
// non-zero if an event was lost or duplicated or a PUT reached the gateway
// twice (with -processes: if an event was lost with no gap entry after it,
// a stream ends in another state than the gateway's, an agent is not
// polled at the end or was polled by two workers at once; with -kill-one,
// if more was lost than a reply in flight per agent taken over; with
// -kill-one or a partition, if a takeover took longer than the lease and
// a quarter).
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
	mode := flag.String("mode", "poll", "how events reach the sessions: poll, push or allagents")
	inProc := flag.Bool("in-process", false, "run the fake gateway in this process (memory figures then include it)")
	processes := flag.Int("processes", 0, "share the agents between this many client processes through Redis")
	killOne := flag.Bool("kill-one", false, "with -processes: SIGKILL one of them mid-run")
	fault := flag.String("fault", "", "with -processes: restart, stall or partition mid-run")
	faultLen := flag.Duration("fault-for", 0, "with -fault: how long (default restart 3s, stall 5s, partition 15s)")
	persist := flag.Bool("appendonly", false, "with -processes: run redis-server with persistence (appendonly yes)")
	redisAddr := flag.String("redis", "", "with -processes: the Redis to use (default: start redis-server on a free loopback port)")
	lease := flag.Duration("lease", 10*time.Second, "with -processes: the redisstore lease time")
	serveMode := flag.Bool("serve", false, "internal: be the gateway child process")
	allAgents := flag.Bool("all-agents", false, "internal: the gateway serves the all-agent poll")
	workerMode := flag.Bool("worker", false, "internal: be a client process of -processes")
	gateway := flag.String("gateway", "", "internal: the worker's gateway")
	prefix := flag.String("prefix", "", "internal: the worker's redisstore prefix")
	flag.Parse()

	var err error
	switch {
	case *serveMode:
		err = serve(*sessions, *pollWait, *allAgents)
	case *workerMode:
		err = runWorker(*gateway, *redisAddr, *prefix, *sessions, *lease)
	default:
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		var res result
		if *processes > 0 {
			res, err = runProcesses(ctx, procOptions{n: *sessions, processes: *processes, killOne: *killOne,
				fault: *fault, faultFor: *faultLen, persist: *persist, redisAddr: *redisAddr, lease: *lease, pollWait: *pollWait})
		} else {
			res, err = load(ctx, *sessions, *pollWait, *inProc, *mode)
		}
		if err == nil {
			fmt.Print(res)
			if len(res.Errors) > 0 {
				os.Exit(1)
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func load(ctx context.Context, n int, pollWait time.Duration, inProc bool, mode string) (result, error) {
	allAgents := mode == "allagents"
	if inProc {
		g, err := newGateway(n, pollWait, allAgents)
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
	root, stopChild, err := startChild(ctx, n, pollWait, allAgents)
	if err != nil {
		return result{}, err
	}
	defer stopChild()
	res, err := runLoad(ctx, root, remote{root: root, hc: &http.Client{Timeout: 10 * time.Second}}, n, mode)
	res.Where = "in a child process"
	return res, err
}
