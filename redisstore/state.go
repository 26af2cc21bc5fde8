package redisstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// stored is a session as its key holds it: the state, when (microseconds,
// by the saver's clock, growing with each save of one Store) and by which
// Store it was saved.
type stored struct {
	wrapper.SessionState
	At int64  `json:"at"`
	By string `json:"by"`
}

// save (KEYS session, epoch; ARGV json, at, by, rewrite, epoch name) sets
// the session unless the stored one is as new: saved later by the same
// Store (a stale retry landing late), or, for a rewrite, by any Store.
// It returns {1 if written, epoch}.
var save = redis.NewScript(epochLua + `
local e = epoch(KEYS[2], ARGV[5])
local v = redis.call('GET', KEYS[1])
if v then
  local ok, old = pcall(cjson.decode, v)
  if ok and type(old) == 'table' and type(old.at) == 'number' and old.at >= tonumber(ARGV[2])
    and (ARGV[4] == '1' or old.by == ARGV[3]) then return {0, e} end
end
redis.call('SET', KEYS[1], ARGV[1])
return {1, e}`)

// SaveState stores st as its agent's session, or deletes it when st.Ended.
// The Store holds st (see Check) until the session ends.
func (s *Store) SaveState(ctx context.Context, st wrapper.SessionState) error {
	if st.Ended {
		return s.DeleteState(ctx, st)
	}
	s.mu.Lock()
	h := stored{SessionState: st, At: s.tick(), By: s.id}
	s.held[st.AgentID] = h
	s.dirty[st.AgentID] = struct{}{}
	s.mu.Unlock()
	err := s.write(ctx, h, false)
	if err == nil {
		s.clean(h)
	}
	return opError(st.AgentID, "save session", err)
}

func (s *Store) write(ctx context.Context, h stored, rewrite bool) error {
	b, err := json.Marshal(h)
	if err != nil {
		return err
	}
	flag := "0"
	if rewrite {
		flag = "1"
	}
	res, err := save.Run(ctx, s.rdb, []string{s.key("session", h.AgentID), s.epochKey()}, b, h.At, h.By, flag, newName()).Slice()
	if err == nil && len(res) == 2 {
		e, _ := res[1].(string)
		s.noteEpoch(e)
	}
	return err
}

// LoadState returns the agent's stored session, or ErrNoSession.
func (s *Store) LoadState(ctx context.Context, agent int) (wrapper.SessionState, error) {
	st, err := s.load(ctx, agent)
	return st.SessionState, err
}

func (s *Store) load(ctx context.Context, agent int) (stored, error) {
	var st stored
	vs, err := s.rdb.MGet(ctx, s.key("session", agent), s.epochKey()).Result()
	if err != nil {
		return st, opError(agent, "load session", err)
	}
	e, _ := vs[1].(string)
	s.noteEpoch(e)
	b, ok := vs[0].(string)
	if !ok {
		return st, opError(agent, "load session", ErrNoSession)
	}
	if err := json.Unmarshal([]byte(b), &st); err != nil {
		return st, opError(agent, "load session", errors.New("stored session is not JSON")) // no echo of secrets
	}
	return st, nil
}

// deleteState deletes a session only if it still has the Guid that ended:
// a newer session of the agent stays.
var deleteState = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).guid == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// DeleteState deletes the agent's stored session if its Guid is st.Guid,
// and stops holding it.
func (s *Store) DeleteState(ctx context.Context, st wrapper.SessionState) error {
	s.mu.Lock()
	if h, ok := s.held[st.AgentID]; ok && h.Guid == st.Guid {
		delete(s.held, st.AgentID)
		delete(s.dirty, st.AgentID)
	}
	s.mu.Unlock()
	return opError(st.AgentID, "delete session", deleteState.Run(ctx, s.rdb, []string{s.key("session", st.AgentID)}, st.Guid).Err())
}

// Hook is for wrapper.WithStateHook: it keeps the stored sessions current
// (saved at sign-in and on each Guid or cookie change, deleted when the
// session ends). Failures go to onError, if not nil; the Store re-writes
// a session whose save failed at its next Check (a Poller checks often).
func (s *Store) Hook(onError func(error)) func(wrapper.SessionState) {
	return func(st wrapper.SessionState) {
		ctx, cancel := context.WithTimeout(context.Background(), s.Timeout)
		defer cancel()
		if err := s.SaveState(ctx, st); err != nil && onError != nil {
			onError(err)
		}
	}
}

// hold notes a session this process restored (a Poller's), as stored.
func (s *Store) hold(h stored) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.held[h.AgentID]; !ok || old.At < h.At {
		s.held[h.AgentID] = h
	}
}

// touch notes a held session's current state: if it changed unseen (a
// client without the Hook), it is re-written at the next Check.
func (s *Store) touch(st wrapper.SessionState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h, ok := s.held[st.AgentID]
	if ok && (h.Guid != st.Guid || !slices.Equal(h.Cookies, st.Cookies) || h.Push != st.Push) {
		s.held[st.AgentID] = stored{SessionState: st, At: s.tick(), By: s.id}
		s.dirty[st.AgentID] = struct{}{}
	}
}

// clean marks h written, unless a newer state replaced it meanwhile.
func (s *Store) clean(h stored) {
	s.mu.Lock()
	if cur, ok := s.held[h.AgentID]; ok && cur.At == h.At {
		delete(s.dirty, h.AgentID)
	}
	s.mu.Unlock()
}

// tick is a time in microseconds that grows with each call (under mu).
func (s *Store) tick() int64 {
	s.lastAt = max(time.Now().UnixMicro(), s.lastAt+1)
	return s.lastAt
}

// noteEpoch compares the store's epoch in Redis (e, "" if missing) with
// the one seen before: a change means Redis lost its data, and every
// session this process holds must be written again.
func (s *Store) noteEpoch(e string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case e == s.epoch:
		return
	case s.epoch != "":
		s.losses++
		s.lostAt = time.Now()
		for a := range s.held {
			s.dirty[a] = struct{}{}
		}
	}
	s.epoch = e
}

// epochGet reads the epoch, making it if missing.
var epochGet = redis.NewScript(epochLua + `return epoch(KEYS[1], ARGV[1])`)

// Check finds out whether Redis lost the store's data (its epoch key
// changed) and writes again, pipelined, each session this process holds
// (signed in or restored through this Store) that was lost or whose save
// failed, unless another process stored a newer one. A Poller runs it
// before each lease it asks for, and Do when a session is missing; a
// process that holds sessions without running a Poller should run it
// every few seconds. It returns the first Redis error. A session that
// ended in another process may come back so, until its poller meets
// ErrNotSignedIn and deletes it again.
func (s *Store) Check(ctx context.Context) error {
	e, err := epochGet.Run(ctx, s.rdb, []string{s.epochKey()}, newName()).Text()
	if err != nil {
		return fmt.Errorf("redisstore: check: %w", err)
	}
	s.noteEpoch(e)
	return s.flush(ctx)
}

// flush writes the held sessions marked dirty; one flush runs at a time
// (another caller returns at once).
func (s *Store) flush(ctx context.Context) error {
	s.mu.Lock()
	if len(s.dirty) == 0 || s.flushing {
		s.mu.Unlock()
		return nil
	}
	s.flushing = true
	var todo []stored
	for a := range s.dirty {
		todo = append(todo, s.held[a])
	}
	s.mu.Unlock()
	defer func() { s.mu.Lock(); s.flushing = false; s.mu.Unlock() }()

	if err := save.Load(ctx, s.rdb).Err(); err != nil {
		return fmt.Errorf("redisstore: re-writing sessions: %w", err)
	}
	for chunk := range slices.Chunk(todo, 500) {
		pipe := s.rdb.Pipeline()
		cmds := make([]*redis.Cmd, len(chunk))
		for i, h := range chunk {
			b, err := json.Marshal(h)
			if err != nil {
				return err
			}
			cmds[i] = save.EvalSha(ctx, pipe, []string{s.key("session", h.AgentID), s.epochKey()}, b, h.At, h.By, "1", newName())
		}
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("redisstore: re-writing sessions: %w", err)
		}
		for i, h := range chunk {
			if res, err := cmds[i].Slice(); err == nil && len(res) == 2 {
				e, _ := res[1].(string)
				s.noteEpoch(e)
				s.clean(h) // written, or a newer one is stored
			}
		}
	}
	return nil
}

// lossCount is how many times this Store found that Redis had lost its
// data, and when it last did.
func (s *Store) lossCount() (uint64, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.losses, s.lostAt
}
