package redisstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// DefaultStreamMaxLen bounds each agent's event stream (approximately):
// about 220 bytes of Redis memory per entry of a typical event (MEMORY
// USAGE, TestStreamEntryBytes).
const DefaultStreamMaxLen = 1000

// DefaultRetention is how long an agent's stream outlives its last entry.
const DefaultRetention = 24 * time.Hour

// Store keeps agents' sessions, leases and events in Redis. It is safe for
// concurrent use.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	id     string // this Store, in the sessions it saves
	// StreamMaxLen bounds each stream, approximately (MAXLEN ~).
	StreamMaxLen int64
	// Retention: a stream expires this long after its last entry; 0 never.
	Retention time.Duration
	// Timeout bounds the Redis calls of Hook (default 2 s).
	Timeout time.Duration

	mu       sync.Mutex
	epoch    string           // the epoch last seen in Redis
	losses   uint64           // losses of Redis's data found
	lostAt   time.Time        // when the last was found
	held     map[int]stored   // sessions this process holds, newest known
	dirty    map[int]struct{} // held sessions Redis may lack
	lastAt   int64            // the last tick
	flushing bool             // a flush runs
}

// New returns a Store of the keys under agw:{prefix}:. The prefix is 1-64
// characters without '{', '}', ':' or spaces. rdb must honour context
// deadlines (redis.Options.ContextTimeoutEnabled): they bound every Redis
// call of a Poller by its lease, and Do's by its context. New sends nothing.
func New(rdb redis.UniversalClient, prefix string) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("redisstore: nil Redis client")
	}
	if prefix == "" || len(prefix) > 64 || strings.ContainsAny(prefix, "{}: \t\r\n") {
		return nil, fmt.Errorf("redisstore: bad prefix %q", prefix)
	}
	if !contextTimeouts(rdb) {
		return nil, errors.New("redisstore: the Redis client must set ContextTimeoutEnabled, or deadlines do not bound Redis calls")
	}
	return &Store{rdb: rdb, prefix: prefix, id: newName(), StreamMaxLen: DefaultStreamMaxLen, Retention: DefaultRetention,
		Timeout: 2 * time.Second, held: map[int]stored{}, dirty: map[int]struct{}{}}, nil
}

// contextTimeouts reports whether rdb honours context deadlines, as far
// as can be told (a client of another type is trusted).
func contextTimeouts(rdb redis.UniversalClient) bool {
	switch c := rdb.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	case *redis.Ring:
		return c.Options().ContextTimeoutEnabled
	}
	return true
}

func (s *Store) key(kind string, agent int) string {
	return "agw:{" + s.prefix + "}:" + kind + ":" + strconv.Itoa(agent)
}

func (s *Store) epochKey() string { return "agw:{" + s.prefix + "}:epoch" }

// newName is a random name: an owner, an epoch, a Store.
func newName() string { return strconv.FormatUint(rand.Uint64(), 36) }

// Do restores the agent's session from Redis with c and calls call once.
// It never sends it again: a call whose outcome is unknown may have been
// carried out. Its error is an *Error naming the agent: ErrNotSent when
// nothing left (Redis unavailable, no session: trying again is safe),
// ErrOutcomeUnknown when the last request call made got no readable
// reply; a gateway's refusal is neither, and stays reachable
// (errors.As(err, &apiErr)). ctx bounds the Redis calls and the call.
// ErrNotSignedIn also deletes the stored session. A session missing
// because Redis lost its data is first looked for again after Check.
func (s *Store) Do(ctx context.Context, c *wrapper.Client, agent int, call func(context.Context, *wrapper.Session) error) error {
	st, err := s.LoadState(ctx, agent)
	if errors.Is(err, ErrNoSession) && s.Check(ctx) == nil {
		st, err = s.LoadState(ctx, agent)
	}
	if err != nil {
		return doError(agent, "load session", err)
	}
	sess, err := c.Restore(st)
	if err != nil {
		return doError(agent, "restore session", err)
	}
	if err := ctx.Err(); err != nil {
		return doError(agent, "call (context ended first)", err)
	}
	err = call(ctx, sess)
	if errors.Is(err, wrapper.ErrNotSignedIn) {
		_ = s.DeleteState(context.WithoutCancel(ctx), st)
	}
	return doError(agent, "call", err)
}

// Forget deletes the agent's keys (session, lease, fence and stream) and
// stops holding its session; a Poller of the agent ends (ErrNoSession)
// at its next renewal.
func (s *Store) Forget(ctx context.Context, agent int) error {
	s.mu.Lock()
	delete(s.held, agent)
	delete(s.dirty, agent)
	s.mu.Unlock()
	err := s.rdb.Del(ctx, s.key("session", agent), s.key("lease", agent), s.key("fence", agent), s.key("events", agent)).Err()
	return opError(agent, "forget", err)
}
