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

// StreamEvent is one event of an agent's stream.
type StreamEvent struct {
	ID    string // the stream entry's ID, in order
	Agent int
	Token int64 // the lease token of the process that appended it
	Event wrapper.Event
}

// appendEvent adds an event only while the caller's token holds the lease.
var appendEvent = redis.NewScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return false end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'type', ARGV[3], 'event', ARGV[4], 'token', ARGV[1])`)

// Append adds ev to its agent's stream while l holds, returning the
// entry's ID, or ErrLeaseLost.
func (s *Store) Append(ctx context.Context, l Lease, ev wrapper.Event) (string, error) {
	b, err := json.Marshal(ev.Event)
	if err != nil {
		return "", err
	}
	id, err := appendEvent.Run(ctx, s.rdb, []string{s.key("lease", l.Agent), s.key("events", l.Agent)},
		l.Token, s.StreamMaxLen, ev.EventType, b).Text()
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
		var ev generated.Event
		if err := json.Unmarshal([]byte(raw), &ev); err != nil {
			return out, fmt.Errorf("redisstore: agent %d: entry %s is not an event: %w", agent, m.ID, err)
		}
		se.Event = wrapper.Event{Event: ev}
		out = append(out, se)
	}
	return out, nil
}
