package redisstore_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

var fastPoll = wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}

// process is one "process": its own Redis connections, Client and Poller,
// and the errors its pollers survived.
type process struct {
	name   string
	rdb    *redis.Client
	store  *redisstore.Store
	client *wrapper.Client
	poller *redisstore.Poller

	mu   sync.Mutex
	errs []error
}

// newProcess makes a process whose gateway requests say they come from
// it (for the front), with Redis client options opts.
func newProcess(t *testing.T, r *redisServer, gatewayURL string, ttl time.Duration, opts ...func(*redis.Options)) *process {
	p := &process{name: strings.ReplaceAll(t.Name(), "/", "-") + "-" + strconv.Itoa(int(nextProcess.Add(1)))}
	p.rdb = r.client(t, opts...)
	p.store = r.store(t, p.rdb)
	c, err := wrapper.NewClient(gatewayURL, wrapper.WithTimeout(5*time.Second),
		wrapper.WithStateHook(p.store.Hook(func(err error) { t.Log(err) })),
		wrapper.WithHeader("X-Test-Process", p.name))
	require.NoError(t, err)
	p.client = c
	p.poller = &redisstore.Poller{Store: p.store, Client: c, LeaseTTL: ttl, Poll: fastPoll,
		OnError: func(agent int, err error) { p.mu.Lock(); p.errs = append(p.errs, err); p.mu.Unlock() }}
	return p
}

var nextProcess atomic.Int64

// survived returns the errors the process's pollers survived so far.
func (p *process) survived() []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]error(nil), p.errs...)
}

// run starts the poller for agent; the channel gets Run's result.
func (p *process) run(ctx context.Context, agent int) <-chan error {
	done := make(chan error, 1)
	go func() { done <- p.poller.Run(ctx, agent) }()
	return done
}

func fake(t *testing.T, opts ...agwtest.Option) *agwtest.Server {
	srv := agwtest.New(append([]agwtest.Option{agwtest.WithPollWait(50 * time.Millisecond)}, opts...)...)
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	return srv
}

// front serves the fake gateway and watches its event polls: for each
// agent, the polls in flight by process, when the last one started, and
// how many overlapped a poll of another process (split brain).
type front struct {
	URL      string
	mu       sync.Mutex
	inflight map[int]map[string]int
	started  map[int]time.Time
	overlaps int
}

func newFront(t *testing.T, srv *agwtest.Server) *front {
	f := &front{inflight: map[int]map[string]int{}, started: map[int]time.Time{}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		const poll = "/agentgateway/resource/agentevent/"
		agent, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, poll))
		if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, poll) || err != nil {
			srv.ServeHTTP(w, r)
			return
		}
		who := r.Header.Get("X-Test-Process")
		f.mu.Lock()
		if f.inflight[agent] == nil {
			f.inflight[agent] = map[string]int{}
		}
		for other, n := range f.inflight[agent] {
			if other != who && n > 0 {
				f.overlaps++
			}
		}
		f.inflight[agent][who]++
		f.started[agent] = time.Now()
		f.mu.Unlock()
		defer func() { f.mu.Lock(); f.inflight[agent][who]--; f.mu.Unlock() }()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	f.URL = ts.URL
	return f
}

// polling reports whether a poll of agent is in flight.
func (f *front) polling(agent int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.inflight[agent] {
		if n > 0 {
			return true
		}
	}
	return false
}

// polledSince reports whether a poll of agent started after t.
func (f *front) polledSince(agent int, t time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.started[agent].After(t)
}

func (f *front) overlapping() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.overlaps
}

func signIn(t *testing.T, c *wrapper.Client, id int, phone string) *wrapper.Session {
	s, err := c.SignIn(ctxFor(t), id, wrapper.SignInOptions{Phone: phone, Password: agwtest.DemoPassword})
	require.NoError(t, err)
	return s
}

// ageEpoch makes the store's epoch old, so that the first leases of a
// new Redis are granted at once (for tests of other things).
func ageEpoch(t *testing.T, rdb *redis.Client) {
	require.NoError(t, rdb.Set(ctxFor(t), "agw:{test}:epoch", "aged.0", 0).Err())
}

func streamTypes(t *testing.T, s *redisstore.Store, agent int) ([]string, []int64) {
	evs, err := s.Read(ctxFor(t), agent, "", 10000)
	require.NoError(t, err)
	var types []string
	var tokens []int64
	for _, ev := range evs {
		if ev.Gap == nil {
			types = append(types, ev.Event.EventType)
			tokens = append(tokens, ev.Token)
		}
	}
	return types, tokens
}

// streamGaps returns the gap entries of the agent's stream.
func streamGaps(t *testing.T, s *redisstore.Store, agent int) []redisstore.StreamEvent {
	evs, err := s.Read(ctxFor(t), agent, "", 10000)
	require.NoError(t, err)
	var gaps []redisstore.StreamEvent
	for _, ev := range evs {
		if ev.Gap != nil {
			gaps = append(gaps, ev)
		}
	}
	return gaps
}

// stopped reports whether the holders of every agent stopped polling it
// (their leases may have expired) since marks (the processes' error
// counts then): a poller told OnError so.
func stopped(ps []*process, marks []int, agents ...int) bool {
	for _, id := range agents {
		found := false
		for i, p := range ps {
			for _, err := range p.survived()[marks[i]:] {
				var e *redisstore.Error
				found = found || (errors.As(err, &e) && e.Agent == id && errors.Is(err, redisstore.ErrLeaseLost))
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// marks are the processes' error counts now, for stopped.
func marks(ps ...*process) []int {
	out := make([]int, len(ps))
	for i, p := range ps {
		out[i] = len(p.survived())
	}
	return out
}
