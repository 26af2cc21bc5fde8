package agwtest

import (
	"context"
	"fmt"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Record and playback. The fake has no media: a playback lasts until
// StopPlay, a recording until its call leaves the agent, and the events
// are those the vendor documents, with null content where it publishes no
// example.

// playback is an announcement played to the agent's phone (Play).
type playback struct{ paused bool }

// recording is the agent's recording task (Record).
type recording struct {
	callID string
	taskID int
	began  int64 // epoch milliseconds
}

// recordFileMediaType is the fileMediaType of a voice recording.
const recordFileMediaType = "1"

// play calls the agent's phone and plays voicepath to it: AgentState_Busy,
// AgentOther_PhoneAlerting, AgentOther_PhoneOffhook, then
// AgentMediaEvent_Play_Succ and AgentMediaEvent_Play; the agent is busy
// until StopPlay. A file the media server lacks (MissingFile) fails once
// connected: AgentOther_PhoneRelease, AgentState_Ready,
// AgentMediaEvent_Play_Fail, AgentMediaEvent_StopPlayDone. The phone
// connects at once whatever the agent's autoanswer. An agent in a call, on
// a colleague's call, in a conference, already playing, or neither idle
// nor busy: 100-007.
func (g *Gateway) play(ctx context.Context, id int, body *generated.PlayRequest) reply {
	if body == nil {
		return failure(generated.RetCodeInvalidParameter, "missing request body")
	}
	return g.asAgent(ctx, id, func(a *agent) reply {
		switch {
		case a.call != nil || a.desk.engaged():
			return failure(generated.RetCodeOperationFailed, "agent is in a call or already playing")
		case a.state != StateIdle && a.state != StateBusy:
			return failure(generated.RetCodeOperationFailed, "agent is neither idle nor busy")
		}
		g.move(a, trOccupy, 0, false)
		g.push(a, generated.EventTypeAgentOtherPhoneAlerting, nil)
		g.push(a, generated.EventTypeAgentOtherPhoneOffhook, offhookContent())
		if g.desk.missingFiles[body.Voicepath] {
			g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByPlatform))
			g.move(a, trVacate, 0, false)
			g.push(a, generated.EventTypeAgentMediaEventPlayFail, nil)
			g.push(a, generated.EventTypeAgentMediaEventStopPlayDone, nil)
			return success()
		}
		a.desk.play = &playback{}
		g.push(a, generated.EventTypeAgentMediaEventPlaySucc, nil)
		g.push(a, generated.EventTypeAgentMediaEventPlay, nil)
		return success()
	})
}

// asPlaying runs act when an announcement plays to the agent (paused or
// not); else 100-007.
func (g *Gateway) asPlaying(ctx context.Context, id int, act func(a *agent, p *playback) reply) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		if a.desk.play == nil {
			return failure(generated.RetCodeOperationFailed, "no announcement is playing")
		}
		return act(a, a.desk.play)
	})
}

// stopPlay ends the playback: AgentMediaEvent_StopPlayDone, then
// AgentOther_PhoneRelease {phoneState:2} and AgentState_Ready.
func (g *Gateway) stopPlay(ctx context.Context, id int) reply {
	return g.asPlaying(ctx, id, func(a *agent, _ *playback) reply {
		a.desk.play = nil
		g.push(a, generated.EventTypeAgentMediaEventStopPlayDone, nil)
		g.push(a, generated.EventTypeAgentOtherPhoneRelease, releaseContent(releasedByAgent))
		g.move(a, trVacate, 0, false)
		return success()
	})
}

// resumePlay resumes a paused playback: AgentMediaEvent_ResumePlayDone;
// one that is not paused is 100-007.
func (g *Gateway) resumePlay(ctx context.Context, id int) reply {
	return g.asPlaying(ctx, id, func(a *agent, p *playback) reply {
		if !p.paused {
			return failure(generated.RetCodeOperationFailed, "the announcement is not paused")
		}
		p.paused = false
		g.push(a, generated.EventTypeAgentMediaEventResumePlayDone, nil)
		return success()
	})
}

// backFast rewinds the playback: AgentMediaEvent_JumpPlayDone.
func (g *Gateway) backFast(ctx context.Context, id int) reply {
	return g.asPlaying(ctx, id, func(a *agent, _ *playback) reply {
		g.push(a, generated.EventTypeAgentMediaEventJumpPlayDone, nil)
		return success()
	})
}

// relocate moves the playback; the spec lists no event for it.
func (g *Gateway) relocate(ctx context.Context, id int) reply {
	return g.asPlaying(ctx, id, func(*agent, *playback) reply { return success() })
}

// netPlay plays a file of the network call centre, which the fake does not
// have: 100-007, as on a gateway where it is not enabled.
func (g *Gateway) netPlay(ctx context.Context, id int) reply {
	return g.asAgent(ctx, id, func(*agent) reply {
		return failure(generated.RetCodeOperationFailed, "no network call centre is enabled on the fake")
	})
}

// record starts recording the agent's connected call:
// AgentMediaEvent_Record with the recording's task, IDs and file (fileName
// when given). When the call leaves the agent (release, transfer, a hold
// that ends remotely, ...) the recording ends: AgentMediaEvent_StopRecordDone.
// No connected call, a recording under way, or an inspector on a
// colleague's call: 100-007.
func (g *Gateway) record(ctx context.Context, id int, body *generated.RecordRequest) reply {
	return g.asAgent(ctx, id, func(a *agent) reply {
		c := a.call
		switch {
		case a.desk.qc != nil:
			return failure(generated.RetCodeOperationFailed, "an inspector on a colleague's call cannot record")
		case c == nil || a.state != StateTalking:
			return failure(generated.RetCodeOperationFailed, "agent has no connected call")
		case a.desk.record != nil:
			return failure(generated.RetCodeOperationFailed, "a recording is under way")
		}
		g.taskSeq++
		now := g.cfg.now()
		content := recordContent(c, a.ID, g.taskSeq, now)
		if body != nil && body.FileName != nil && *body.FileName != "" {
			content.FileName = body.FileName
		}
		a.desk.record = &recording{callID: c.ID, taskID: g.taskSeq, began: now.UnixMilli()}
		g.push(a, generated.EventTypeAgentMediaEventRecord, content)
		return success()
	})
}

// stopRecording ends a's recording if it records call c:
// AgentMediaEvent_StopRecordDone. Call with g.mu held.
func (g *Gateway) stopRecording(a *agent, c *call) {
	rec := a.desk.record
	if rec == nil || c == nil || rec.callID != c.ID {
		return
	}
	a.desk.record = nil
	g.push(a, generated.EventTypeAgentMediaEventStopRecordDone, generated.StopRecordDoneContent{
		BeginTime: &rec.began, EndTime: ptr(g.cfg.now().UnixMilli()),
		FileMediaType: str(recordFileMediaType), TaskId: num(rec.taskID),
	})
}

// MissingFile is a test hook: from now on the media server lacks the
// voice file path, so Play of it fails (AgentMediaEvent_Play_Fail).
func (g *Gateway) MissingFile(path string) {
	g.lock()
	defer g.mu.Unlock()
	if g.desk.missingFiles == nil {
		g.desk.missingFiles = make(map[string]bool)
	}
	g.desk.missingFiles[path] = true
}

// PausePlay is a test hook standing in for the vendor's pause interface,
// which the spec does not model: the announcement playing to the agent
// pauses (AgentMediaEvent_PausePlayDone) until ResumePlay.
func (g *Gateway) PausePlay(agentID int) error {
	g.lock()
	defer g.mu.Unlock()
	a := g.agents[agentID]
	switch {
	case a == nil || a.desk.play == nil:
		return fmt.Errorf("agwtest: no announcement plays to agent %d", agentID)
	case a.desk.play.paused:
		return fmt.Errorf("agwtest: the announcement to agent %d is already paused", agentID)
	}
	a.desk.play.paused = true
	g.push(a, generated.EventTypeAgentMediaEventPausePlayDone, nil)
	return nil
}
