package redisstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// StreamEvent is one entry of an agent's stream: an event, or a gap (Gap
// set, Event empty) where events may have been lost.
type StreamEvent struct {
	ID    string // the stream entry's ID, in order
	Agent int
	Token int64 // the lease token of the process that appended it
	Seq   int64 // its number under Token: no two entries share both
	Event wrapper.Event
	Gap   *wrapper.Gap
}

// gapType is the type field of a gap entry; events have their eventType.
const gapType = "gap"

// appendEntry (KEYS lease, stream; ARGV token, maxlen, type, payload, seq,
// retention ms) adds an entry only while the caller's token holds the
// lease, and only once: an entry whose seq is not above the last entry's
// of the same token was appended already (a retry), and its ID returned.
var appendEntry = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if last then
  local f, tok, seq = last[2], nil, nil
  for i = 1, #f, 2 do
    if f[i] == 'token' then tok = f[i + 1] elseif f[i] == 'seq' then seq = tonumber(f[i + 1]) end
  end
  if tok == ARGV[1] and seq and seq >= tonumber(ARGV[5]) then return last[1] end
end
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', ARGV[3], 'event', ARGV[4], 'token', ARGV[1], 'seq', ARGV[5])
if tonumber(ARGV[6]) > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
return id`)

// Append adds ev to its agent's stream while l holds, returning the
// entry's ID, or ErrLeaseLost. seq numbers the entries appended under l
// (events and gaps), growing from 1: an append whose seq is not above the
// last one's under l is a repeat (a retry, or a stale request landing
// late), which appends nothing and returns the last entry's ID, so
// Append may be retried whatever happened to the first try.
func (s *Store) Append(ctx context.Context, l Lease, seq int64, ev wrapper.Event) (string, error) {
	b, err := json.Marshal(ev.Event)
	if err != nil {
		return "", err
	}
	return s.appendEntry(ctx, l, seq, ev.EventType, b)
}

// storedGap is a wrapper.Gap as a stream keeps it.
type storedGap struct {
	Agent    int               `json:"agent"`
	Reason   wrapper.GapReason `json:"reason"`
	At       time.Time         `json:"at"`
	Snapshot *wrapper.Snapshot `json:"snapshot,omitempty"`
	Err      string            `json:"error,omitempty"`
}

// AppendGap adds a gap entry to its agent's stream while l holds, as
// Append does: the consumers learn that events may be missing before it,
// and what the gateway said was true after it.
func (s *Store) AppendGap(ctx context.Context, l Lease, seq int64, g wrapper.Gap) (string, error) {
	sg := storedGap{Agent: g.Agent, Reason: g.Reason, At: g.At, Snapshot: g.Snapshot}
	if g.Err != nil {
		sg.Err = g.Err.Error()
	}
	b, err := json.Marshal(sg)
	if err != nil {
		return "", err
	}
	return s.appendEntry(ctx, l, seq, gapType, b)
}

func (s *Store) appendEntry(ctx context.Context, l Lease, seq int64, typ string, payload []byte) (string, error) {
	id, err := appendEntry.Run(ctx, s.rdb, []string{s.key("lease", l.Agent), s.key("events", l.Agent)},
		l.Token, s.StreamMaxLen, typ, payload, seq, s.Retention.Milliseconds()).Text()
	if errors.Is(err, redis.Nil) {
		err = ErrLeaseLost
	}
	return id, opError(l.Agent, "append", err)
}

// Read returns up to count of the agent's events after the entry ID after
// ("" or "0" for the oldest kept), in order.
func (s *Store) Read(ctx context.Context, agent int, after string, count int64) ([]StreamEvent, error) {
	start := "-"
	if after != "" && after != "0" {
		start = "(" + after
	}
	msgs, err := s.rdb.XRangeN(ctx, s.key("events", agent), start, "+", count).Result()
	if err != nil {
		return nil, err
	}
	return decode(agent, msgs)
}

// ReadMany returns, in one XREAD, up to count entries of each agent of
// after (agent: the last entry ID seen, "" for the oldest kept) that
// follow that ID; agents with none are left out.
func (s *Store) ReadMany(ctx context.Context, after map[int]string, count int64) (map[int][]StreamEvent, error) {
	agents := slices.Sorted(maps.Keys(after))
	streams := make([]string, 2*len(agents))
	for i, a := range agents {
		streams[i], streams[len(agents)+i] = s.key("events", a), cmp.Or(after[a], "0")
	}
	res, err := s.rdb.XRead(ctx, &redis.XReadArgs{Streams: streams, Count: count, Block: -1}).Result()
	if errors.Is(err, redis.Nil) || len(agents) == 0 {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := make(map[int][]StreamEvent, len(res))
	for _, st := range res {
		a, _ := strconv.Atoi(st.Stream[strings.LastIndexByte(st.Stream, ':')+1:])
		if out[a], err = decode(a, st.Messages); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Group creates the consumer group on the agent's stream (and the stream),
// reading from its oldest entry; an existing group is left as it is.
func (s *Store) Group(ctx context.Context, agent int, group string) error {
	err := s.rdb.XGroupCreateMkStream(ctx, s.key("events", agent), group, "0").Err()
	if err != nil && strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return nil
	}
	return err
}

// ReadGroup reads up to count events for consumer of group: with pending,
// those delivered to it before and not acknowledged; else new ones,
// waiting up to block (0: not at all) for one.
func (s *Store) ReadGroup(ctx context.Context, agent int, group, consumer string, pending bool, count int64, block time.Duration) ([]StreamEvent, error) {
	from, wait := ">", block
	if pending {
		from, wait = "0", -1
	}
	if wait == 0 {
		wait = -1 // go-redis: no BLOCK
	}
	res, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: group, Consumer: consumer,
		Streams: []string{s.key("events", agent), from}, Count: count, Block: wait}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil || len(res) == 0 {
		return nil, err
	}
	return decode(agent, res[0].Messages)
}

// Ack acknowledges events of group.
func (s *Store) Ack(ctx context.Context, agent int, group string, ids ...string) error {
	return s.rdb.XAck(ctx, s.key("events", agent), group, ids...).Err()
}

// Consume hands the agent's events to handle through consumer of group
// (created if missing), at least once: its pending events first, then new
// ones, each acknowledged after handle returns nil. It returns handle's
// error (the event stays pending), a Redis error, or ctx's error. A group
// lost with Redis's data is made again, from the stream's oldest entry.
func (s *Store) Consume(ctx context.Context, agent int, group, consumer string, handle func(StreamEvent) error) error {
	if err := s.Group(ctx, agent, group); err != nil {
		return err
	}
	pending := true
	for ctx.Err() == nil {
		evs, err := s.ReadGroup(ctx, agent, group, consumer, pending, 100, time.Second)
		if err != nil && strings.HasPrefix(err.Error(), "NOGROUP") {
			err = s.Group(ctx, agent, group)
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return err
		}
		if pending && len(evs) == 0 {
			pending = false
		}
		for _, ev := range evs {
			if err := handle(ev); err != nil {
				return err
			}
			if err := s.Ack(ctx, agent, group, ev.ID); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

func decode(agent int, msgs []redis.XMessage) ([]StreamEvent, error) {
	out := make([]StreamEvent, 0, len(msgs))
	for _, m := range msgs {
		raw, _ := m.Values["event"].(string)
		tok, _ := m.Values["token"].(string)
		se := StreamEvent{ID: m.ID, Agent: agent}
		seq, _ := m.Values["seq"].(string)
		se.Token, _ = strconv.ParseInt(tok, 10, 64)
		se.Seq, _ = strconv.ParseInt(seq, 10, 64)
		if typ, _ := m.Values["type"].(string); typ == gapType {
			var sg storedGap
			if err := json.Unmarshal([]byte(raw), &sg); err != nil {
				return out, fmt.Errorf("redisstore: agent %d: entry %s is not a gap: %w", agent, m.ID, err)
			}
			se.Gap = &wrapper.Gap{Agent: sg.Agent, Reason: sg.Reason, At: sg.At, Snapshot: sg.Snapshot}
			if sg.Err != "" {
				se.Gap.Err = errors.New(sg.Err)
			}
			out = append(out, se)
			continue
		}
		var ev generated.Event
		if err := json.Unmarshal([]byte(raw), &ev); err != nil {
			return out, fmt.Errorf("redisstore: agent %d: entry %s is not an event: %w", agent, m.ID, err)
		}
		se.Event = wrapper.Event{Event: ev}
		out = append(out, se)
	}
	return out, nil
}
