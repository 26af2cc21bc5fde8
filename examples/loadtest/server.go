package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// The fake gateway runs in a child process by default, so that the memory
// figures below are the client's alone. The child serves the gateway, its
// test hooks (agwtest.ControlHandler) and GET /load/pending, the event
// polls in progress (pollStats).

const agentBase = 10001 // agents 10001.. in pairs of one group each

// control is how the load drives and inspects the gateway.
type control interface {
	Ring(agent int) error
	Stats() (serverStats, error)
	Agents() ([]agwtest.AgentStatus, error) // the gateway's truth
}

type serverStats struct {
	agwtest.Stats
	pollStats
}

// pollStats are the event polls in flight at the gateway: how many, of
// how many agents, and how many polls overlapped a poll of the same agent
// from another worker process (X-Worker): split brain.
type pollStats struct {
	PendingPolls    int64
	PolledAgents    int64
	ConcurrentPolls int64
	PutsDuplicated  int64 // snatchpickup PUTs of an agent beyond its first (each picks up once)
}

// polls watches the event polls in flight, and the snatchpickup PUTs.
type polls struct {
	mu       sync.Mutex
	inflight map[int]map[string]int // by agent, by worker
	puts     map[int]int            // snatchpickup PUTs by agent
	st       pollStats
}

func (p *polls) put(agent int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.puts[agent]++; p.puts[agent] > 1 {
		p.st.PutsDuplicated++
	}
}

func (p *polls) start(agent int, worker string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	by := p.inflight[agent]
	if by == nil {
		by = map[string]int{}
		p.inflight[agent] = by
	}
	busy := false
	for w, n := range by {
		busy = busy || n > 0
		if w != worker && n > 0 {
			p.st.ConcurrentPolls++
		}
	}
	if !busy {
		p.st.PolledAgents++
	}
	by[worker]++
	p.st.PendingPolls++
}

func (p *polls) end(agent int, worker string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	by := p.inflight[agent]
	by[worker]--
	p.st.PendingPolls--
	busy := false
	for _, n := range by {
		busy = busy || n > 0
	}
	if !busy {
		p.st.PolledAgents--
	}
}

func (p *polls) stats() pollStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.st
}

// newGateway builds the gateway with n agents in n/2 groups; allAgents
// serves the all-agent poll.
func newGateway(n int, pollWait time.Duration, allAgents bool) (*agwtest.Gateway, error) {
	opts := []agwtest.Option{agwtest.WithPollWait(pollWait)}
	if allAgents {
		opts = append(opts, agwtest.WithAllAgentEvents())
	}
	g := agwtest.NewGateway(opts...)
	for i := 0; i < n; i++ {
		group := "g" + strconv.Itoa(i/2)
		if i%2 == 0 {
			if err := g.AddGroup(group); err != nil {
				return nil, err
			}
		}
		if err := g.AddAgent(agwtest.Agent{ID: agentBase + i, Password: password, Phone: phone(i), Group: group, CanPickUp: true}); err != nil {
			return nil, err
		}
	}
	return g, nil
}

const password = "load-Passw0rd"

func phone(i int) string { return strconv.Itoa(700000 + i) }

// gatewayHandler serves g and its test hooks, watching the event polls.
func gatewayHandler(g *agwtest.Gateway) (http.Handler, *polls) {
	pending := &polls{inflight: map[int]map[string]int{}, puts: map[int]int{}}
	mux := http.NewServeMux()
	mux.Handle(agwtest.ControlPath, g.ControlHandler())
	mux.HandleFunc("GET /load/pending", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(pending.stats())
	})
	mux.HandleFunc("GET /load/agents", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(g.Agents())
	})
	mux.Handle("/agentgateway/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/snatchpickup") {
			agent, _ := strconv.Atoi(path.Base(path.Dir(r.URL.Path)))
			pending.put(agent)
		}
		const poll = "/agentgateway/resource/agentevent/"
		if agent, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, poll)); r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, poll) && err == nil {
			who := r.Header.Get("X-Worker")
			pending.start(agent, who)
			defer pending.end(agent, who)
		}
		g.ServeHTTP(w, r)
	}))
	return mux, pending
}

// inProcess drives a gateway in this process.
type inProcess struct {
	g       *agwtest.Gateway
	pending *polls
}

func (c inProcess) Ring(agent int) error {
	_, err := c.g.Ring(agent, "13800000000")
	return err
}

func (c inProcess) Stats() (serverStats, error) {
	return serverStats{Stats: c.g.Stats(), pollStats: c.pending.stats()}, nil
}

func (c inProcess) Agents() ([]agwtest.AgentStatus, error) { return c.g.Agents(), nil }

// remote drives the gateway in the child process over HTTP.
type remote struct {
	root string
	hc   *http.Client
}

func (c remote) Ring(agent int) error {
	resp, err := c.hc.Post(c.root+agwtest.ControlPath+"ring?agent="+strconv.Itoa(agent), "text/plain", nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("ring %d: %s", agent, strings.TrimSpace(string(b)))
	}
	return nil
}

func (c remote) Stats() (serverStats, error) {
	var s serverStats
	if err := c.get(agwtest.ControlPath+"stats", &s.Stats); err != nil {
		return s, err
	}
	return s, c.get("/load/pending", &s.pollStats)
}

func (c remote) Agents() ([]agwtest.AgentStatus, error) {
	var out []agwtest.AgentStatus
	return out, c.get("/load/agents", &out)
}

func (c remote) get(path string, out any) error {
	resp, err := c.hc.Get(c.root + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", path, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// serve is the child process: it prints its address and serves until
// stdin closes (the parent exited).
func serve(n int, pollWait time.Duration, allAgents bool) error {
	g, err := newGateway(n, pollWait, allAgents)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	h, _ := gatewayHandler(g)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Println(ln.Addr().String())
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// startChild re-executes this binary in serve mode and returns its root URL.
func startChild(ctx context.Context, n int, pollWait time.Duration, allAgents bool) (string, func(), error) {
	self, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-serve", "-sessions", strconv.Itoa(n), "-poll-wait", pollWait.String(),
		"-all-agents="+strconv.FormatBool(allAgents))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() {
		_ = stdin.Close()
		_ = cmd.Wait()
	}
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("gateway child: %w", err)
	}
	return "http://" + strings.TrimSpace(addr), stop, nil
}

// waitPending waits until the gateway holds a pending poll of n agents.
func waitPending(ctx context.Context, ctl control, n int) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		st, err := ctl.Stats()
		if err != nil {
			return err
		}
		if st.PolledAgents >= int64(n) {
			return nil
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return fmt.Errorf("only %d of %d agents polled: %w", st.PolledAgents, n, ctx.Err())
		}
	}
}
