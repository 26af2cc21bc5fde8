package redisstore_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

var fastPoll = wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond}

// process is one "process": its own Redis connections, Client and Poller.
type process struct {
	rdb    *redis.Client
	store  *redisstore.Store
	client *wrapper.Client
	poller *redisstore.Poller
}

func newProcess(t *testing.T, r *redisServer, gatewayURL string, ttl time.Duration) *process {
	p := &process{rdb: r.client(t)}
	p.store = r.store(t, p.rdb)
	c, err := wrapper.NewClient(gatewayURL, wrapper.WithTimeout(5*time.Second),
		wrapper.WithStateHook(p.store.Hook(func(err error) { t.Log(err) })))
	require.NoError(t, err)
	p.client = c
	p.poller = &redisstore.Poller{Store: p.store, Client: c, LeaseTTL: ttl, Poll: fastPoll}
	return p
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

func signIn(t *testing.T, c *wrapper.Client, id int, phone string) *wrapper.Session {
	s, err := c.SignIn(ctxFor(t), id, wrapper.SignInOptions{Phone: phone, Password: agwtest.DemoPassword})
	require.NoError(t, err)
	return s
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

// Two processes poll one agent: the first holds the lease; killed (its
// context ended, its Redis connections gone, nothing released), the second
// takes over within the lease time and goes on, in order, none twice.
func TestPollerTakeover(t *testing.T) {
	r := startRedis(t)
	srv := fake(t, agwtest.WithDynamicGuid(3)) // the Guid rotates as polls go
	const ttl = 400 * time.Millisecond
	a, b := newProcess(t, r, srv.URL(), ttl), newProcess(t, r, srv.URL(), ttl)
	signIn(t, a.client, 20001, "88001") // the hook stores the session

	// Reference: agent 20002 polled directly sees the same calls.
	plain, err := wrapper.NewClient(srv.URL())
	require.NoError(t, err)
	ref := signIn(t, plain, 20002, "88002")
	refEvents := make(chan wrapper.Event, 64)
	refCtx, refStop := context.WithCancel(ctxFor(t))
	refDone, err := ref.PollInBackground(refCtx, func(ev wrapper.Event) error { refEvents <- ev; return nil }, fastPoll)
	require.NoError(t, err)
	defer func() { refStop(); <-refDone }()

	ctxA, killA := context.WithCancel(ctxFor(t))
	doneA := a.run(ctxA, 20001)
	require.Eventually(t, func() bool { h, _ := a.store.Holder(ctxFor(t), 20001); return h > 0 }, 5*time.Second, 5*time.Millisecond)
	first, _ := a.store.Holder(ctxFor(t), 20001)
	doneB := b.run(ctxFor(t), 20001)

	call := func() {
		for _, id := range []int{20001, 20002} {
			c, err := srv.Ring(id, "13800000000")
			require.NoError(t, err)
			require.NoError(t, srv.Hangup(c))
		}
	}
	var want []string
	wantN := func(n int) {
		for range n {
			want = append(want, (<-refEvents).EventType)
		}
	}
	call()
	wantN(2) // ringing, released
	require.Eventually(t, func() bool { got, _ := streamTypes(t, a.store, 20001); return len(got) == len(want) },
		5*time.Second, 5*time.Millisecond)

	killA()
	_ = a.rdb.Close() // a dead process releases nothing
	require.ErrorIs(t, <-doneA, context.Canceled)
	killed := time.Now()
	require.Eventually(t, func() bool { h, _ := b.store.Holder(ctxFor(t), 20001); return h > first },
		5*time.Second, 5*time.Millisecond)
	took := time.Since(killed)
	t.Logf("takeover after %v (lease %v)", took, ttl)
	// Free at most ttl after the last renewal, taken at the next try (every
	// ttl/4); the rest is slack for a loaded machine.
	require.Less(t, took, 2*ttl, "within the lease time and one retry")

	for range 3 {
		call()
		wantN(2)
	}
	require.Eventually(t, func() bool { got, _ := streamTypes(t, b.store, 20001); return len(got) >= len(want) },
		5*time.Second, 5*time.Millisecond)
	got, tokens := streamTypes(t, b.store, 20001)
	require.Equal(t, want, got, "in order, none lost, none twice")
	require.Equal(t, first, tokens[0])
	require.Greater(t, tokens[len(tokens)-1], first, "the later events came from the new owner")
	// Each holder restored the session: one gap entry each, with the
	// agent's state read after it, before that holder's events.
	gaps := streamGaps(t, b.store, 20001)
	require.Len(t, gaps, 2)
	for i, g := range gaps {
		require.Equal(t, wrapper.GapRestored, g.Gap.Reason)
		require.NotNil(t, g.Gap.Snapshot, "%v", g.Gap.Err)
		require.Equal(t, generated.AgentStateCodeIdle, g.Gap.Snapshot.State)
		require.Equal(t, []int64{first, tokens[len(tokens)-1]}[i], g.Token)
	}

	// The gateway ends the session: the stored state goes, the poller stops.
	require.NoError(t, srv.SignOut(20001))
	require.ErrorIs(t, <-doneB, wrapper.ErrNotSignedIn)
	_, err = b.store.LoadState(ctxFor(t), 20001)
	require.ErrorIs(t, err, redisstore.ErrNoSession)
	h, err := b.store.Holder(ctxFor(t), 20001)
	require.NoError(t, err)
	require.Zero(t, h, "released")
}

// Any process can send call control from the stored session, once: a
// request whose outcome is unknown is returned, and not sent again.
func TestDoSendsOnce(t *testing.T) {
	r := startRedis(t)
	srv := fake(t)
	var puts atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodPut && req.URL.Path == "/agentgateway/resource/voicecall/20001/snatchpickup" {
			puts.Add(1)
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close() // read, maybe carried out, never answered
			}
			return
		}
		srv.ServeHTTP(w, req)
	}))
	t.Cleanup(front.Close)
	desk := newProcess(t, r, front.URL, time.Second)
	signIn(t, desk.client, 20001, "88001")
	other := newProcess(t, r, front.URL, time.Second)

	err := other.store.Do(ctxFor(t), other.client, 20001, func(ctx context.Context, s *wrapper.Session) error {
		return s.Release(ctx)
	})
	require.ErrorIs(t, err, wrapper.ErrCallState, "a reply: the gateway's answer, from the restored session")

	err = other.store.Do(ctxFor(t), other.client, 20001, func(ctx context.Context, s *wrapper.Session) error {
		return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20002})
	})
	require.Error(t, err)
	var apiErr *wrapper.APIError
	require.False(t, errors.As(err, &apiErr), "no reply: the outcome is unknown")
	require.Equal(t, int32(1), puts.Load(), "sent once, not retried")
	_, err = other.store.LoadState(ctxFor(t), 20001)
	require.NoError(t, err, "an unknown outcome keeps the session")

	require.NoError(t, srv.SignOut(20001))
	err = other.store.Do(ctxFor(t), other.client, 20001, func(ctx context.Context, s *wrapper.Session) error { return s.Release(ctx) })
	require.ErrorIs(t, err, wrapper.ErrNotSignedIn)
	_, err = other.store.LoadState(ctxFor(t), 20001)
	require.ErrorIs(t, err, redisstore.ErrNoSession, "100-006 removes it")
}
