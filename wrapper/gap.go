package wrapper

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// GapReason says why an agent's events may have been lost. The gateway
// hands each event to exactly one poll reply (or push), so a reply that
// never arrived whole takes its events with it.
type GapReason string

// The places where events can be lost.
const (
	// GapReplyLost: an event poll (or the all-agent poll) was sent, and its
	// reply was not read whole: a timeout, a reset, an unreadable body.
	GapReplyLost GapReason = "reply-lost"
	// GapSignedInAgain: this session replaced one the gateway had ended
	// (100-006, 105-005..007); the events before the end are gone.
	GapSignedInAgain GapReason = "signed-in-again"
	// GapFailover: the client moved between the primary and the backup
	// gateway; the other node's queued events do not follow.
	GapFailover GapReason = "failover"
	// GapRestored: the session was restored (Restore, Resume: a process
	// restarted, a lease taken over); events polled by the previous holder
	// but not handed on are gone.
	GapRestored GapReason = "restored"
	// GapPushFailed: a push-mode heartbeat failed; pushes may have failed too.
	GapPushFailed GapReason = "push-heartbeat"
)

// Gap tells that events of an agent may have been lost, and what is true
// now. It is reported once, after the gap, before the next events.
type Gap struct {
	Agent  int
	Reason GapReason
	At     time.Time // when the loss was noticed
	// Snapshot is the agent's state and calls, read from the gateway after
	// the gap; nil, with Err, when the gateway did not answer.
	Snapshot *Snapshot
	Err      error
}

// Snapshot is an agent's state and calls as the gateway's query
// operations give them (GetAgentStatus, GetAllCallInfoEx with
// GetCallInfoByCallID, GetHoldList).
type Snapshot struct {
	State   generated.AgentStateCode
	Working bool          // in a call or an inspection, as GetAgentStatus says
	Calls   []CallDetails // every call of the agent, held ones included
	Held    generated.HoldList
}

// ErrGapSnapshot wraps the reason a gap's snapshot could not be read.
var ErrGapSnapshot = errors.New("agentgateway: no snapshot after a gap")

// Snapshot reads the agent's state and calls from the gateway.
func (s *Session) Snapshot(ctx context.Context) (*Snapshot, error) {
	status, err := s.GetAgentStatus(ctx)
	if err != nil {
		return nil, err
	}
	snap := &Snapshot{State: deref(status.AgentState), Working: deref(status.IsWorking)}
	ids, err := s.GetAllCallInfoEx(ctx, s.agentID)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		info, err := s.GetCallInfoByCallID(ctx, id)
		if err != nil {
			return nil, err
		}
		snap.Calls = append(snap.Calls, CallDetails{CallID: id, Caller: deref(info.Caller), Called: deref(info.Called), SkillName: deref(info.Callskill)})
	}
	if snap.Held, err = s.GetHoldList(ctx); err != nil {
		return nil, err
	}
	return snap, nil
}

// gapState is a session's pending gap: the first reason and when, until
// it is reported.
type gapState struct {
	mu     sync.Mutex
	reason GapReason
	at     time.Time
}

// MarkGap records that the session's events may have been lost; the next
// TakeGap reports it. Marks before a report merge into one gap (the first
// reason is kept). Package fleet marks push sessions whose heartbeat failed
// and the sessions an all-agent reply was lost for.
func (s *Session) MarkGap(reason GapReason) {
	s.gap.mu.Lock()
	first := s.gap.reason == ""
	if first {
		s.gap.reason, s.gap.at = reason, time.Now()
	}
	at := s.gap.at
	s.gap.mu.Unlock()
	if first {
		s.seeGap(Gap{Agent: s.agentID, Reason: reason, At: at})
	}
}

// HasGap reports whether a gap is pending (a failover is noticed now).
func (s *Session) HasGap() bool {
	s.noticeFailover()
	s.gap.mu.Lock()
	defer s.gap.mu.Unlock()
	return s.gap.reason != ""
}

// TakeGap reports a pending gap, once: it clears it, reads a snapshot
// (ctx bounds the reads) and returns the Gap, with Err when the snapshot
// could not be read; ok is false when none was pending.
func (s *Session) TakeGap(ctx context.Context) (g Gap, ok bool) {
	return s.takeGap(ctx, true)
}

// TryGap is TakeGap, except that a gap whose snapshot cannot be read now
// stays pending (ok false): a loop calls it before its next request, and
// TakeGap, which always reports, before handing on the next events.
func (s *Session) TryGap(ctx context.Context) (g Gap, ok bool) { return s.takeGap(ctx, false) }

// takeGap is TakeGap; unless always, a gap whose snapshot could not be
// read stays pending (for a later try) and ok is false.
func (s *Session) takeGap(ctx context.Context, always bool) (g Gap, ok bool) {
	s.noticeFailover()
	s.gap.mu.Lock()
	reason, at := s.gap.reason, s.gap.at
	s.gap.reason = ""
	s.gap.mu.Unlock()
	if reason == "" {
		return Gap{}, false
	}
	g = Gap{Agent: s.agentID, Reason: reason, At: at}
	snap, err := s.Snapshot(ctx)
	if err != nil && !always {
		s.gap.mu.Lock()
		if s.gap.reason == "" {
			s.gap.reason, s.gap.at = reason, at
		}
		s.gap.mu.Unlock()
		return Gap{}, false
	}
	if err != nil {
		g.Err = errors.Join(ErrGapSnapshot, err)
	} else {
		g.Snapshot = snap
	}
	return g, true
}

// noticeFailover marks a gap when the client changed gateways since the
// session last looked.
func (s *Session) noticeFailover() {
	if s.c.fail == nil {
		return
	}
	if gen := s.c.fail.Generation(); s.failGen.Swap(gen) != gen {
		s.MarkGap(GapFailover)
	}
}
