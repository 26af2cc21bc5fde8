package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

var (
	// ErrLeaseHeld is an agent whose lease another process holds.
	ErrLeaseHeld = errors.New("redisstore: another process holds the agent's lease")
	// ErrLeaseLost is a lease that expired or was taken over.
	ErrLeaseLost = errors.New("redisstore: the lease is no longer held")
)

// Lease is the right to poll one agent, until it expires. Token grows
// with each lease granted for the agent (fencing).
type Lease struct {
	Agent int
	Token int64
}

// acquire: SET NX PX with a new token from INCR.
var acquire = redis.NewScript(`
local t = redis.call('INCR', KEYS[2])
if redis.call('SET', KEYS[1], t, 'NX', 'PX', ARGV[1]) then return t end
return 0`)

// renew and release act only while the lease holds the caller's token.
var renew = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`)

var release = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Acquire takes the agent's lease for ttl (at least 1 ms), or returns
// ErrLeaseHeld.
func (s *Store) Acquire(ctx context.Context, agent int, ttl time.Duration) (Lease, error) {
	t, err := acquire.Run(ctx, s.rdb, []string{s.key("lease", agent), s.key("fence", agent)}, ms(ttl)).Int64()
	switch {
	case err != nil:
		return Lease{}, err
	case t == 0:
		return Lease{}, fmt.Errorf("%w (agent %d)", ErrLeaseHeld, agent)
	}
	return Lease{Agent: agent, Token: t}, nil
}

// Renew extends l by ttl from now, or returns ErrLeaseLost.
func (s *Store) Renew(ctx context.Context, l Lease, ttl time.Duration) error {
	n, err := renew.Run(ctx, s.rdb, []string{s.key("lease", l.Agent)}, l.Token, ms(ttl)).Int64()
	if err == nil && n == 0 {
		err = fmt.Errorf("%w (agent %d, token %d)", ErrLeaseLost, l.Agent, l.Token)
	}
	return err
}

// Release ends l at once, if it still holds; another process may then
// take the agent.
func (s *Store) Release(ctx context.Context, l Lease) error {
	return release.Run(ctx, s.rdb, []string{s.key("lease", l.Agent)}, l.Token).Err()
}

// Holder returns the token holding the agent's lease, 0 if none.
func (s *Store) Holder(ctx context.Context, agent int) (int64, error) {
	v, err := s.rdb.Get(ctx, s.key("lease", agent)).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

func ms(d time.Duration) int64 { return max(d.Milliseconds(), 1) }
