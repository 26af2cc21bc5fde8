package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// ErrNoSession is an agent without a stored session.
var ErrNoSession = errors.New("redisstore: no stored session for the agent")

// DefaultStreamMaxLen bounds each agent's event stream (approximately):
// about 185 bytes of Redis memory per entry of a typical event.
const DefaultStreamMaxLen = 1000

// Store keeps agents' sessions, leases and events in Redis. It is safe for
// concurrent use.
type Store struct {
	rdb    redis.UniversalClient
	prefix string
	// StreamMaxLen bounds each stream, approximately (MAXLEN ~).
	StreamMaxLen int64
	// Timeout bounds the Redis calls of Hook (default 2 s).
	Timeout time.Duration
}

// New returns a Store of the keys under agw:{prefix}:. The prefix is 1-64
// characters without '{', '}', ':' or spaces.
func New(rdb redis.UniversalClient, prefix string) (*Store, error) {
	if rdb == nil {
		return nil, errors.New("redisstore: nil Redis client")
	}
	if prefix == "" || len(prefix) > 64 || strings.ContainsAny(prefix, "{}: \t\r\n") {
		return nil, fmt.Errorf("redisstore: bad prefix %q", prefix)
	}
	return &Store{rdb: rdb, prefix: prefix, StreamMaxLen: DefaultStreamMaxLen, Timeout: 2 * time.Second}, nil
}

func (s *Store) key(kind string, agent int) string {
	return "agw:{" + s.prefix + "}:" + kind + ":" + strconv.Itoa(agent)
}

// SaveState stores st as its agent's session, or deletes it when st.Ended.
func (s *Store) SaveState(ctx context.Context, st wrapper.SessionState) error {
	if st.Ended {
		return s.DeleteState(ctx, st)
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return s.rdb.Set(ctx, s.key("session", st.AgentID), b, 0).Err()
}

// LoadState returns the agent's stored session, or ErrNoSession.
func (s *Store) LoadState(ctx context.Context, agent int) (wrapper.SessionState, error) {
	var st wrapper.SessionState
	b, err := s.rdb.Get(ctx, s.key("session", agent)).Bytes()
	if errors.Is(err, redis.Nil) {
		return st, fmt.Errorf("%w (agent %d)", ErrNoSession, agent)
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("redisstore: agent %d: stored session is not JSON", agent) // no echo of secrets
	}
	return st, nil
}

// deleteState deletes a session only if it still has the Guid that ended:
// a newer session of the agent stays.
var deleteState = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).guid == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// DeleteState deletes the agent's stored session if its Guid is st.Guid.
func (s *Store) DeleteState(ctx context.Context, st wrapper.SessionState) error {
	return deleteState.Run(ctx, s.rdb, []string{s.key("session", st.AgentID)}, st.Guid).Err()
}

// Hook is for wrapper.WithStateHook: it keeps the stored sessions current
// (saved at sign-in and on each Guid or cookie change, deleted when the
// session ends). Failures go to onError, if not nil.
func (s *Store) Hook(onError func(error)) func(wrapper.SessionState) {
	return func(st wrapper.SessionState) {
		ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
		defer cancel()
		if err := s.SaveState(ctx, st); err != nil && onError != nil {
			onError(fmt.Errorf("redisstore: saving agent %d: %w", st.AgentID, err))
		}
	}
}

// Do restores the agent's session from Redis with c and calls call once.
// Its error is returned as is and never retried: a call whose outcome is
// unknown may have been carried out. ErrNotSignedIn also deletes the
// stored session.
func (s *Store) Do(ctx context.Context, c *wrapper.Client, agent int, call func(context.Context, *wrapper.Session) error) error {
	st, err := s.LoadState(ctx, agent)
	if err != nil {
		return err
	}
	sess, err := c.Restore(st)
	if err != nil {
		return err
	}
	err = call(ctx, sess)
	if errors.Is(err, wrapper.ErrNotSignedIn) {
		_ = s.DeleteState(context.WithoutCancel(ctx), st)
	}
	return err
}
