package redisstore

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Lease is the right to poll one agent, until it expires. Token is the
// fencing token of this holding: unique, and growing with each lease
// granted for the agent, even across a loss of Redis's data (tokens
// derive from Redis's clock: milliseconds times 1000, or the last token
// plus one if higher).
type Lease struct {
	Agent int
	Token int64
}

// epochLua gets the store's epoch ("name.ms": a random name and Redis's
// clock when it was made), making it when missing: when Redis lost its
// data, or was never used.
const epochLua = `
local function nowms() local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) end
local function epoch(key, name)
  local e = redis.call('GET', key)
  if not e then e = name .. '.' .. string.format('%.0f', nowms()); redis.call('SET', key, e) end
  return e
end
`

// acquire (KEYS lease, fence, epoch; ARGV ttl, owner, epoch name): the
// owner's own lease again, renewed; else a new one with SET NX PX, unless
// the epoch is younger than ttl (a holder from before a loss of data may
// still be polling). It returns {token or "0", epoch}.
var acquire = redis.NewScript(epochLua + `
local e = epoch(KEYS[3], ARGV[3])
local ttl = tonumber(ARGV[1])
if redis.call('TYPE', KEYS[2]).ok == 'string' then redis.call('DEL', KEYS[2]) end -- a counter of before: tokens from the clock pass it
local cur = redis.call('GET', KEYS[1])
if cur then
  if redis.call('HGET', KEYS[2], 'owner') == ARGV[2] and redis.call('HGET', KEYS[2], 'token') == cur then
    redis.call('PEXPIRE', KEYS[1], ttl)
    redis.call('PEXPIRE', KEYS[2], ttl + 1000)
    return {cur, e}
  end
  return {'0', e}
end
local now = nowms()
if now < (tonumber(string.match(e, '%.(%d+)$')) or 0) + ttl then return {'0', e} end
local t = string.format('%.0f', math.max((tonumber(redis.call('HGET', KEYS[2], 'token')) or 0) + 1, now * 1000))
redis.call('SET', KEYS[1], t, 'PX', ttl)
redis.call('HSET', KEYS[2], 'token', t, 'owner', ARGV[2])
redis.call('PEXPIRE', KEYS[2], ttl + 1000)
return {t, e}`)

// renew and release act only while the lease holds the caller's token.
var renew = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]) + 1000)
return 1`)

var release = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Acquire takes the agent's lease for ttl (at least 1 ms) for owner (a
// name unique to the caller, such as one Poller.Run): an owner that holds
// it already gets it back, renewed, so a retried or repeated Acquire is
// harmless. It returns ErrLeaseHeld while another owner holds it, and
// for a lease time (this ttl: use one for all processes) after the
// store's data was made, since a holder from before a loss may still poll.
func (s *Store) Acquire(ctx context.Context, agent int, owner string, ttl time.Duration) (Lease, error) {
	if owner == "" {
		return Lease{}, opError(agent, "acquire lease", errors.New("no owner"))
	}
	res, err := acquire.Run(ctx, s.rdb, []string{s.key("lease", agent), s.key("fence", agent), s.epochKey()},
		ms(ttl), owner, newName()).StringSlice()
	if err == nil && len(res) != 2 {
		err = errors.New("unexpected reply")
	}
	if err != nil {
		return Lease{}, opError(agent, "acquire lease", err)
	}
	s.noteEpoch(res[1])
	t, err := strconv.ParseInt(res[0], 10, 64)
	switch {
	case err != nil:
		return Lease{}, opError(agent, "acquire lease", err)
	case t == 0:
		return Lease{}, opError(agent, "acquire lease", ErrLeaseHeld)
	}
	return Lease{Agent: agent, Token: t}, nil
}

// Renew extends l by ttl from now, or returns ErrLeaseLost.
func (s *Store) Renew(ctx context.Context, l Lease, ttl time.Duration) error {
	n, err := renew.Run(ctx, s.rdb, []string{s.key("lease", l.Agent), s.key("fence", l.Agent)}, l.Token, ms(ttl)).Int64()
	if err == nil && n == 0 {
		err = ErrLeaseLost
	}
	return opError(l.Agent, "renew lease", err)
}

// Release ends l at once, if it still holds; another process may then
// take the agent.
func (s *Store) Release(ctx context.Context, l Lease) error {
	return opError(l.Agent, "release lease", release.Run(ctx, s.rdb, []string{s.key("lease", l.Agent)}, l.Token).Err())
}

// Holder returns the token holding the agent's lease, 0 if none.
func (s *Store) Holder(ctx context.Context, agent int) (int64, error) {
	v, err := s.rdb.Get(ctx, s.key("lease", agent)).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, opError(agent, "read lease", err)
	}
	return strconv.ParseInt(v, 10, 64)
}

func ms(d time.Duration) int64 { return max(d.Milliseconds(), 1) }
