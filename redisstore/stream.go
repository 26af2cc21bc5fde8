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

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// StreamEvent is one entry of an agent's stream: an event, or a gap (Gap
// set, Event empty) where events may have been lost.
type StreamEvent struct {
	ID    string // the stream entry's ID, in order
	Agent int
	Token int64 // the lease token of the process that appended it
	Event wrapper.Event
	Gap   *wrapper.Gap
}

// gapType is the type field of a gap entry; events have their eventType.
const gapType = "gap"

// appendEntry adds an entry only while the caller's token holds the lease.
var appendEntry = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', ARGV[3], 'event', ARGV[4], 'token', ARGV[1])`)

// Append adds ev to its agent's stream while l holds, returning the
// entry's ID, or ErrLeaseLost.
func (s *Store) Append(ctx context.Context, l Lease, ev wrapper.Event) (string, error) {
	b, err := json.Marshal(ev.Event)
	if err != nil {
		return "", err
	}
	return s.appendEntry(ctx, l, ev.EventType, b)
}

// storedGap is a wrapper.Gap as a stream keeps it.
type storedGap struct {
	Agent    int               `json:"agent"`
	Reason   wrapper.GapReason `json:"reason"`
	At       time.Time         `json:"at"`
	Snapshot *wrapper.Snapshot `json:"snapshot,omitempty"`
	Err      string            `json:"error,omitempty"`
}

// AppendGap adds a gap entry to its agent's stream while l holds: the
// consumers learn that events may be missing before it, and what the
// gateway said was true after it.
func (s *Store) AppendGap(ctx context.Context, l Lease, g wrapper.Gap) (string, error) {
	sg := storedGap{Agent: g.Agent, Reason: g.Reason, At: g.At, Snapshot: g.Snapshot}
	if g.Err != nil {
		sg.Err = g.Err.Error()
	}
	b, err := json.Marshal(sg)
	if err != nil {
		return "", err
	}
	return s.appendEntry(ctx, l, gapType, b)
}

func (s *Store) appendEntry(ctx context.Context, l Lease, typ string, payload []byte) (string, error) {
	id, err := appendEntry.Run(ctx, s.rdb, []string{s.key("lease", l.Agent), s.key("events", l.Agent)},
		l.Token, s.StreamMaxLen, typ, payload).Text()
	if errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("%w (agent %d, token %d)", ErrLeaseLost, l.Agent, l.Token)
	}
	return id, err
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
// error (the event stays pending), a Redis error, or ctx's error.
func (s *Store) Consume(ctx context.Context, agent int, group, consumer string, handle func(StreamEvent) error) error {
	if err := s.Group(ctx, agent, group); err != nil {
		return err
	}
	pending := true
	for ctx.Err() == nil {
		evs, err := s.ReadGroup(ctx, agent, group, consumer, pending, 100, time.Second)
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
		se.Token, _ = strconv.ParseInt(tok, 10, 64)
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
