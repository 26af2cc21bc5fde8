package agwtest

import (
	"context"
	"encoding/json"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

var nullEvent = json.RawMessage(`null`)

// eventHook, when set (by this package's tests), sees every event the fake
// queues, encoded as sent.
var eventHook atomic.Pointer[func(json.RawMessage)]

// push queues an event for a signed-in agent and wakes its polls. The
// event is encoded now so that later state changes cannot alter it. Call
// with g.mu held.
func (g *Gateway) push(a *agent, typ generated.EventType, content any) {
	s := a.sess
	if s == nil {
		return
	}
	ev := generated.Event{EventType: string(typ), WorkNo: str(strconv.Itoa(a.ID)), Content: nullEvent}
	if content != nil {
		ev.Content = mustJSON(content)
	}
	enc := mustJSON(ev)
	if hook := eventHook.Load(); hook != nil {
		(*hook)(enc)
	}
	s.queue = append(s.queue, enc)
	g.queued++
	g.console.add(enc)
	close(s.wake)
	s.wake = make(chan struct{})
}

// poll answers one event poll: the oldest queued event at once, else the
// first to arrive within the poll wait, else an empty reply. Concurrent
// polls for one agent each take a different event, in order.
func (g *Gateway) poll(ctx context.Context, id int) generated.PollEvent200JSONResponse {
	timer := time.NewTimer(g.cfg.pollWait)
	defer timer.Stop()
	expired := g.cfg.pollWait <= 0
	var waiting *session // set while this poll keeps its session alive
	// done ends the poll with g.mu held: its end is the agent's last sign of
	// life for idle sign-out.
	done := func(s *session) {
		if waiting != nil {
			waiting.polls--
		}
		if s != nil {
			g.touch(s)
		}
		g.mu.Unlock()
	}
	for {
		g.lock()
		a, refused, ok := g.authorize(ctx, id)
		if !ok {
			done(nil)
			return eventReply(refused, nil, nil)
		}
		s := a.sess
		if s.push != nil {
			done(nil)
			return eventReply(failure(generated.RetCodeOperationFailed, "events of this session are pushed to its callBackUri"), nil, nil)
		}
		if ctx.Err() != nil {
			// The client left or the server is shutting down: answer empty and
			// keep the queue and the Guid, since the reply may never arrive.
			done(s)
			return eventReply(success(), nullEvent, nil)
		}
		if len(s.queue) > 0 || expired {
			ev := nullEvent
			if len(s.queue) > 0 {
				ev = s.queue[0]
				s.queue[0] = nil
				s.queue = s.queue[1:]
				g.sent++
			}
			guid := g.rotateOnReply(a)
			done(s)
			return eventReply(success(), ev, guid)
		}
		if waiting == nil {
			waiting = s
			s.polls++
		}
		wake := s.wake
		g.mu.Unlock()
		if g.cfg.onPollWait != nil {
			g.cfg.onPollWait(id)
		}

		select {
		case <-wake: // an event arrived, or the session ended
		case <-timer.C:
			expired = true
		case <-ctx.Done():
		}
	}
}

func eventReply(r reply, ev json.RawMessage, setGuid *string) generated.PollEvent200JSONResponse {
	msg := ""
	if !r.ok() {
		msg = r.message
	}
	return generated.PollEvent200JSONResponse{
		Body:    generated.EventEnvelope{Event: ev, Message: &msg, Retcode: r.retcode},
		Headers: generated.PollEvent200ResponseHeaders{SetGUID: setGuid},
	}
}

func ptr[T any](v T) *T { return &v }

// str and num build the spec's flexible event fields, which the fake
// always sends in their documented JSON types.
func str(s string) *generated.FlexString { return ptr(generated.FlexString(s)) }

func num(n int) *generated.FlexInt { return ptr(generated.FlexInt(n)) }

// Event contents, built from the generated models so they match the spec.

func ringingContent(c *call) generated.RingingContent {
	return generated.RingingContent{
		Caller: str(c.Caller), Called: str(c.Called), Callid: str(c.ID),
		Type: ptr("main"), Feature: str("0"), MediaAbility: str("1"),
		Transfer: ptr("no"), Transfrom: str(""),
	}
}

func talkingContent(c *call) generated.TalkingContent {
	feature := "0" // inbound
	if c.Outbound {
		feature = "7"
	}
	return generated.TalkingContent{
		Caller: str(c.Caller), Called: str(c.Called), Callid: str(c.ID),
		Type: ptr("main"), Feature: str(feature), MediaAbility: str("1"),
	}
}

func offhookContent() generated.PhoneOffhookContent {
	return generated.PhoneOffhookContent{Type: ptr(generated.PhoneOffhookContentTypeMain)}
}

// Phone release states of AgentOther_PhoneRelease.
const (
	releasedByAgent    = 2
	releasedByPlatform = 3
)

func releaseContent(phoneState int) generated.PhoneReleaseContent {
	return generated.PhoneReleaseContent{PhoneState: num(phoneState)}
}

func callInfoContent(c *call) generated.IncomingCallInfoContent {
	return generated.IncomingCallInfoContent{
		CallId: str(c.ID), Caller: str(c.Caller), Called: str(c.Called),
		SkillName: ptr("demo"), SkillId: num(1),
		LastReleaseAgentId:        num(65535), // the vendor's "none"
		MediaType:                 num(5),     // voice
		ReleaseAndReQueueCount:    num(0),
		ReleaseAndReQueueCallFlag: num(0),
	}
}

func recordContent(c *call, agentID, taskID int, day time.Time) generated.RecordContent {
	id := strconv.Itoa(taskID)
	file := "Y:/1/0/" + day.Format("20060102") + "/" + strconv.Itoa(agentID) + "/" + id + ".V3"
	return generated.RecordContent{
		TaskId: num(taskID), Caller: str(c.Caller), Called: str(c.Called), CallId: str(c.ID),
		FileName: &file, RecordID: str(id), LocationId: str("0"), FileMediaType: str("1"),
	}
}
