// Package agwtest is an in-memory fake of the Huawei CEC CC-Gateway
// ("agent gateway") for tests, benchmarks, load tests and demos.
//
// It implements every operation of the embedded OpenAPI document
// (generated.StrictServerInterface) on the server kit (package server),
// behind the spec's own request validation, and simulates what an agent
// desk needs: sign-in and the Guid session, long-poll events, an agent's
// day (idle, busy, rest, wrap-up, talking), skill queues, call data, group
// queries, an inspector's quality control, ringing calls, answer, reject,
// release, hold, internal calls to a skill queue, record and playback,
// agent conferences and, above all, SnatchPickup ("Picking Up a Call for
// Other Agents").
//
//	srv := agwtest.New(agwtest.WithPollWait(100 * time.Millisecond))
//	defer srv.Close()
//	agwtest.Demo(srv.Gateway) // group "demo", skill 1, agents 20001-20005, inspector 20900
//	// sign in 20001 and 20002 through the API, then:
//	callID, _ := srv.Ring(20002, "13800000000")
//	// PUT srv.BaseURL()+"/voicecall/20001/snatchpickup?destWorkNo=20002"
//
// # Test hooks
//
// AddGroup, AddSkill, AddAgent and Demo create accounts; SignIn signs an
// agent in without its desk and SignOut signs it out; Ring and
// RingInternal offer it a call, RingSkill puts a call in a skill queue,
// RemoteAnswer has a callout's customer answer, and Hangup ends a call;
// MissingFile makes a voice file fail to play, PausePlay pauses a
// playback and InviteToAgentConf invites an agent to a conference (both
// stand in for vendor interfaces the spec does not model);
// SetState, RotateGuid and the clock (WithClock: idle sign-out, the end of
// a rest or of a conference) move state;
// AgentState, Agents, Call, Guid, Requests and Stats inspect it. For a fake
// in another process, ControlHandler serves the same hooks over HTTP, as
// examples/fakegateway does under /agwtest/, and ConsoleHandler a live web
// page of agents, calls and events with buttons for the hooks, under
// /agwtest/ui.
//
// # Replies
//
// Every reply is an envelope {message, retcode, result} (the event poll:
// {message, retcode, event}) with Content-Type
// "application/json;charset=UTF-8" and HTTP 200, except an unknown path,
// which is HTTP 404 with retcode 000-002. Success is retcode "0", message
// "success" and result {} unless stated; failures carry result "".
//
// # What the fake accepts beyond the spec, and why
//
// The vendor's own clients, its Java demo among them, send what the
// vendor's JAX-RS and Jackson stack accepts, so the fake (through the
// server kit) accepts it too, without loosening the spec:
//
//   - in a JSON body, a string of digits for an integer field
//     ("agenttype":"4") and "true" or "false" for a boolean one; a value
//     that does not coerce ("x4") is still 000-002 naming the field;
//   - fields the spec does not name (the demo's phonelinkage,
//     checkInWebm), kept and ignored;
//   - header names in any case (the demo sends "guid");
//   - Content-Type "application/json;charset=UTF-8" on bodyless requests.
//
// Replies spell the session header "Set-GUID" on the wire, as the vendor
// documents. In process, through an httptest.ResponseRecorder, the header
// map keeps that spelling: read it as header["Set-GUID"], since
// Header.Get looks for "Set-Guid".
//
// # Retcodes
//
//	000-001  known path, wrong HTTP method
//	000-002  the request breaks the spec: bad or out-of-range agentid or
//	         destWorkNo, bad digit string, missing required query
//	         parameter, bad or missing body (the message names the field
//	         and the rule, never the value); also unknown paths, with HTTP
//	         404, and a body over 1 MiB, with HTTP 413
//	000-003  the Guid belongs to another agent's session
//	100-002  SignIn: the agent is already signed in
//	100-004  SignIn, ForceSignIn: unknown agent or wrong password
//	100-006  the path's agent is not signed in, or the Guid header is
//	         missing or unknown (in dynamic mode: neither the current
//	         Guid nor the one it replaced)
//	100-007  SnatchPickup: a prerequisite failed (below); PhonePickup: no
//	         call to take off hook; Transfer to an agent that is unknown,
//	         the transferring agent, or not signed in and idle; Callout
//	         while the agent has a call (or plays, or is in a conference);
//	         CallInnerSkill to an unknown skill, or by an agent in a call or
//	         not idle; Play by an agent in a call, on a colleague's call, in
//	         a conference, already playing, or neither idle nor busy;
//	         StopPlay, BackFastPlay, PlayRelocation with nothing playing;
//	         ResumePlay of a playback not paused; NetPlay always (the fake
//	         has no network call centre); Record without a connected call,
//	         while recording, or by an inspector on a colleague's call;
//	         RequestAgentConf by an agent in a call (not simulated) or not
//	         idle; AnswerAgentConf by an agent not idle;
//	         ApplyToShiftPresident to an agent not in the conference;
//	         StopVoiceToConf with nothing playing; the desk queries: an
//	         unknown workno, groupid, skillid, VDN or call, no call
//	         (appdata, callinfo by ID, before answer), BeginMonitor or
//	         EndMonitor naming an unknown agent, third-party control of an
//	         agent not monitored; and the thin operations (below), message
//	         "not implemented by the fake"
//	100-009  a state operation (SayFree, SayBusy, CancelBusy, Rest,
//	         CancelRest, Work, CancelWork, the inspector's Force*,
//	         ThirdControlSetStatus) from a state that does not allow it,
//	         or while the agent plays or is in a conference
//	101-001  the agent conference operations: the agent is in no
//	         conference (AnswerAgentConf, RejectAgentConf: has no
//	         invitation)
//	101-002  ReleaseAgentConf, ProlongAgentConf, ApplyToShiftPresident,
//	         PlayVoiceToConf, StopVoiceToConf: the agent is not the chair
//	101-003  RequestAgentConf: the agent is in or invited to a conference
//	101-005  ApplyToShiftPresident to the chair itself
//	101-007  RequestLeaveAgentConf by the chair
//	100-010  SignOut while a call rings or talks at the agent
//	100-013  SignIn, ForceSignIn: phonenum is not the agent's phone
//	100-015  ForceSignIn over a live session with WithForceLoginDisabled
//	200-002  Answer, Reject: nothing ringing, or callid names another call
//	200-003  BeginMute: no call;  200-004: not connected, or already muted
//	200-007  EndMute: no call;  200-008: not connected, or not muted
//	200-012  Transfer: no connected call
//	200-013  Hold: no call;  200-014: the call is not connected yet
//	200-015  GetHold: no held call with that callid;  200-016: agent busy
//	200-017  Release, ReleaseLegacy: no call
//	400-001  SetCallDataEx: no call;  400-002: no calldata
//	300-001  GetHoldListEx by an agent without the inspector's right
//	400-003  GetHoldList, GetHoldListEx: no held call
//	000-005  quality control: workNo is the inspector itself
//	         (ForceDropCall: the call is the inspector's own)
//	900-002  quality control by an agent without the right (Agent.Inspector)
//	900-004  quality control: workNo unknown or signed out (ForceDropCall:
//	         no such call)
//	900-005  quality control: the inspector is not idle, workNo has no
//	         connected call, or the inspector is not on workNo's call;
//	         ForceDropCall: the call is not connected at an agent;
//	         InterceptCall: callId is not workNo's connected call
//
// The vendor's QC pages list the 900-00x codes without meanings; the fake
// picks the code whose meaning in the spec's x-retcodes fits.
//
// Every operation except SignIn, ForceSignIn and PollAllAgentEvents checks
// the Guid first: 000-003 if it is another agent's, then 100-006.
//
// SnatchPickup (agentid picks up, destWorkNo rings) refuses with 100-007
// and one of these messages, checked in this order:
//
//	"destWorkNo is the picking agent itself"
//	"agent has no group pickup permission"   Agent.CanPickUp is false
//	"agent is not idle"                      picker busy, resting, in wrap-up or in a call
//	"destWorkNo is not a known agent"
//	"destWorkNo is not signed in"
//	"destWorkNo is not ringing"
//	"the ringing call is internal"           rung with RingInternal
//	"the ringing call is the agent's own callout"
//	"destWorkNo is in another group"
//
// On success the ringing agent returns to idle with AgentOther_PhoneRelease
// {phoneState:3}; the picker gets AgentOther_PhoneAlerting and, if it
// signed in with autoanswer (the default), at once AgentOther_PhoneOffhook,
// AgentEvent_Talking, AgentEvent_Incoming_CallInfo and
// AgentMediaEvent_Record, and is talking. With autoanswer false the picker
// rings until Answer or PhonePickup, which send the rest. Checks and moves
// happen under one lock: of two agents picking up one call, one wins.
//
// # Guid
//
// SignIn answers the Guid in "Set-GUID: JSESSIONID=<guid>" with an NSLB
// affinity cookie "loadbalance=node0". In static mode (the default,
// AUTHMODE=1) the Guid lives as long as the session. WithDynamicGuid
// selects AUTHMODE=2: a poll or heartbeat reply rotates the Guid every n
// replies, or when RotateGuid asks, and carries the new one in Set-GUID.
// The Guid just replaced stays valid until the next rotation, because a
// request signed with it may be in flight while the rotating reply
// travels; anything older is 100-006.
//
// # Events
//
// Each session has a FIFO queue. A poll answers the oldest event at once,
// else waits up to the poll wait (WithPollWait) for one, else answers
// {"event":null}. Concurrent polls for one agent each get a different
// event; none is lost or repeated. Signing out drops the queue and ends
// waiting polls with 100-006. Event contents are the generated models
// (generated.TalkingContent and so on); AgentEvent_Call_Release and
// AgentEvent_Hold carry the call ID string.
//
// # Push mode
//
// A sign-in with both callBackUri and serviceToken selects push mode, as on
// the vendor's gateway (either alone is polling mode). The session's events
// are then POSTed to callBackUri as {"workNo":"...","eventList":[...]},
// oldest first, with the Guid and service_token headers; polls are refused
// with 100-007. A delivery that fails (transport error, non-2xx status) is
// retried with backoff, the events kept in order. The fake calls back to
// loopback hosts only: another host is 000-002 at sign-in. The log of a
// failed push, its error and that refusal show a callback URL as
// scheme://host/path only, never its userinfo or query. Each push
// session has one delivering goroutine, which ends with the session or
// with Gateway.Close (Server.Close calls it). Heartbeats (Handshake) keep a
// push session alive.
//
// # Idle sign-out
//
// As on the vendor's gateway, an agent that neither polls for events nor
// sends a heartbeat for two minutes is signed out (its calls are dropped);
// a poll in progress counts as alive. WithIdleSignOut changes or disables
// the limit and WithClock lets a test move time instead of waiting. Nothing
// runs in the background: each request and test hook first ends the
// sessions whose time is up. Stats().IdleSignOuts counts them.
//
// # Callout
//
// Callout follows the vendor's callout scenario and answers the new call's
// ID as its result: the agent's phone alerts (AgentOther_PhoneAlerting);
// once off hook (at once with autoanswer, else on Answer or PhonePickup)
// the agent gets AgentOther_PhoneOffhook and AgentEvent_Customer_Alerting
// and is dialing. The test hook RemoteAnswer connects the customer
// (AgentEvent_Talking, feature "7"); Hangup before that fails the call
// (AgentEvent_Call_Out_Fail, then AgentOther_PhoneRelease). AgentState_*
// events are not sent.
//
// # Reject and internal calls
//
// Reject turns down a call that rang with AgentEvent_Ringing: the agent
// gets AgentEvent_No_Answer (content the call ID) and
// AgentOther_PhoneRelease {phoneState:2}; mode 1 then makes it busy
// (AgentState_SetNotReady_Success) and puts the call back first in the
// skill queue it came through (a call that came through none is
// released); mode 2 releases the call and leaves the agent idle
// (AgentState_Ready).
//
// CallInnerSkill calls a skill queue and answers the call's ID: the
// agent's phone alerts (AgentOther_PhoneAlerting); off hook (at once with
// autoanswer, else on Answer or PhonePickup) it gets
// AgentOther_PhoneOffhook and AgentState_Busy and is dialing; the queue's
// idle agent with the lowest ID rings (AgentEvent_Ringing, caller and
// called the two work numbers) and the caller hears it
// (AgentEvent_Customer_Alerting naming it); when it answers both get
// AgentEvent_Talking. With no idle agent in the queue, or when the called
// agent releases or rejects it (mode 1 passes it on through the queue),
// the caller gets AgentEvent_Inside_Call_Fail (content the call ID) and
// AgentOther_PhoneRelease. Each agent has its own leg of the call, with
// its own call ID; when one leg ends, the other agent is hung up as by
// Hangup.
//
// # Transfer and mute
//
// Transfer is blind: to an agent (devicetype 2, address its ID) the call
// rings there with AgentEvent_Ringing; to any other device it leaves the
// fake. The transferring agent gets AgentEvent_Call_Release and
// AgentOther_PhoneRelease {phoneState:2} and is idle. BeginMute and
// EndMute set a flag on the connected call and send no event.
//
// # Record and playback
//
// The fake has no media. Play calls the agent's phone (idle or busy, in no
// call): AgentState_Busy, AgentOther_PhoneAlerting,
// AgentOther_PhoneOffhook, AgentMediaEvent_Play_Succ, AgentMediaEvent_Play;
// the agent is busy until StopPlay (AgentMediaEvent_StopPlayDone,
// AgentOther_PhoneRelease, AgentState_Ready), whatever its autoanswer. A
// file made missing with MissingFile fails instead: AgentOther_PhoneRelease,
// AgentState_Ready, AgentMediaEvent_Play_Fail, AgentMediaEvent_StopPlayDone.
// PausePlay pauses (AgentMediaEvent_PausePlayDone), ResumePlay resumes
// (AgentMediaEvent_ResumePlayDone), BackFastPlay sends
// AgentMediaEvent_JumpPlayDone and PlayRelocation nothing. Record records
// the connected call: AgentMediaEvent_Record with the task, record ID and
// file (fileName when given); when the call leaves the agent (not on hold)
// AgentMediaEvent_StopRecordDone follows. Media events whose content the
// vendor publishes no example of carry null.
//
// # Agent conferences
//
// RequestAgentConf makes an idle agent the chair of a conference with an
// ID like the vendor's (1030401, ...): AgentState_Busy,
// AgentOther_PhoneAlerting, AgentOther_PhoneOffhook,
// AgentConf_SelfJoinResult (null), AgentConf_RequestSuccess {confId}. The
// request succeeds and AgentConf_RequestFailed {cause} follows when the
// agent plays an announcement or holds a call, or memberNum is above the
// fake VDN's 100 voice calls. InviteToAgentConf invites an agent (no event:
// the vendor's AgentConf_Ringing is not in the spec); AnswerAgentConf joins
// (AgentConf_SelfJoinResult, the agent busy), RejectAgentConf declines
// (AgentOther_PhoneRelease, AgentState_Ready). ApplyToShiftPresident hands
// the chair to a member: every member gets AgentConf_PresidentChanged
// {confId}. RequestLeaveAgentConf takes a member out
// (AgentOther_PhoneRelease, AgentConf_SelfLeaveResult, the agent idle);
// ReleaseAgentConf, by the chair, ends the conference for all: the same
// two events, and AgentState_Ready for the chair. The conference runs on
// the fake's clock: AgentConf_Timeout {confId} warns the chair promptTime
// minutes before the end (time, 60 minutes by default), ProlongAgentConf
// moves the end, and at the end the conference is released.
// PlayVoiceToConf and StopVoiceToConf, for the chair, send no event.
//
// # Agent states
//
// One table, transitions in agentstate.go, holds every state change; the
// operations, call events, inspectors and the rest timer all go through it.
// SayBusy (idle or wrap-up to busy; again only with prolong) sends
// AgentState_SetNotReady_Success {reason}; CancelBusy and SayFree return to
// idle (AgentState_CancelNotReady_Success, AgentState_CancelWork_Success,
// AgentState_Ready); Work and CancelWork enter and leave wrap-up; Rest
// (from idle, busy or wrap-up; again only with prolong) sends
// AgentState_SetRest_Success {reason} and ends by itself when the fake's
// clock passes its time, with AgentState_Rest_Timeout and AgentState_Ready
// (the 2025 pages call Rest_Timeout a reminder after which the agent stays
// in rest; the fake ends the rest). A call ends in wrap-up (AgentState_Work)
// when the sign-in or SetAutoEnterIdle turned autoenteridle off. A sign-in
// that names status gets AgentOther_InService, AgentState_Ready and, for 3
// or 5, AgentState_SetNotReady_Success or AgentState_Work; one without
// status gets no events, as before. Calls send no AgentState_* events,
// except as the pages of Reject, CallInnerSkill (AgentState_Busy) and
// InterceptCall (AgentState_Ready) list them; Play and the conference
// chair's phone go busy and ready with AgentState_Busy and AgentState_Ready.
// GetAgentStatus answers the vendor's codes (4 idle, 3 busy, 5 wrap-up,
// 8 rest, 7 in a call).
//
// # Skill queues and call data
//
// Agents name their configured skills (Agent.Skills); ResetSkill joins
// them, all or a `;` list. RingSkill queues a call; it is offered
// (AgentEvent_Ringing) to the idle agent with the lowest ID that joined the
// queue and has the talk right (SetTalkRight), at once or, like idle
// sign-out, on the first request after such an agent becomes idle. The wait
// counts, GetWaitCallInfo and GetAgentBySkill see the queues. SetCallDataEx
// stores data with a call (Base64 with isDataEncoded); GetAppData,
// GetCallInfo (the last call too, unless isNoContainLastCall),
// GetCallInfoByCallID, GetCallInfoBeforeAnswer, GetAllCallInfoEx and
// GetAllCallIDs (the agent's own) read calls. GetCallStatisticsEx counts
// the agent's day on the fake's clock: seconds talking (the current talk
// included, hold excluded), calls answered and Callout requests. The group
// queries answer from the configured agents and groups (group IDs from 1,
// in the order AddGroup made them). The fake has one VDN, ID 1: GetInnoInfo
// answers its access code 88000 (the number RingSkill's calls dial),
// GetIvrInfo two demo IVR flows (access codes 88010 and 88011), GetVdnSkill
// the configured skills (as GetAgentVdnSkill) and GetSignedSkillsByWorkNo
// the queues an agent joined.
//
// # Quality control
//
// An inspector (Agent.Inspector, e.g. Demo's 20900) that is idle may
// listen to (AddSupervise) or barge in on (AddInsert) a colleague's
// connected call: the inspector is talking and the colleague gets
// AgentOther_BeQcStart {qcType 8 or 9}. SwitchSupervision and the whisper
// operations change the mode; StopSupervision, or the end of the call,
// sends the inspector AgentOther_PhoneRelease and AgentState_Ready and the
// colleague AgentOther_BeQcStop. Intercept moves the call to the
// inspector. InterceptCall, by an inspector on the colleague's call, takes
// the named call over as the development guide describes: the colleague
// gets AgentEvent_Call_Release, AgentEvent_Customer_Release,
// AgentOther_PhoneRelease and AgentState_Ready, the inspector
// AgentEvent_Talking. ForceDropCall releases a connected call (its agent
// gets AgentEvent_Call_Release and AgentOther_PhoneRelease {phoneState:3});
// GetHoldListEx reads a colleague's held calls (callid, callfeature,
// caller, called, callskill). ForceBusy (reason 3), ForceIdle, ForceRest and
// ForceSignOutAgent move the colleague through the same table. BeginMonitor
// makes any agent a monitor of a `;` list: each state change of those
// agents reaches it as QC_AgentState_Notify, and ThirdControlSetStatus and
// ThirdControlCallAnswer act on them; EndMonitor ends the monitoring of
// the agents listed. With WithAllAgentEvents,
// PollAllAgentEvents drains every polling agent's queue into one array
// (by agent ID) and counts as their poll; without it, 000-003.
//
// # Not simulated
//
// Thin operations, which check the Guid and answer 100-007 "not
// implemented by the fake": QueryAcdStat, CallInner, InnerHelp (whose
// replies name a call the fake would not have) and ThirdControlCallout.
// GetRestReasons answers success with an empty list (no rest causes are
// configured). The other voicecall operations (two-stage dialling, mute
// of video, ...) check the Guid and answer success without changing any
// state or sending events. ConfJoin (AgentEvent_Conference), PhoneHangup
// (AgentEvent_No_Answer or _Call_Release, then AgentOther_PhoneRelease)
// and PreviewCallout (a callout of a number OfferPreview offered, once)
// are simulated.
//
// NetPlay answers 100-007: it needs a network call centre, which the fake
// does not have. A conference made from a call (RequestAgentConf while
// talking) is not simulated (100-007), nor is AgentConf_ParticipantChanged
// sent to the other members, as the vendor documents no meaning for its
// fields. The spec models neither the vendor's pause-playback interface nor
// its conference invitation: the test hooks PausePlay and InviteToAgentConf
// stand in for them.
package agwtest
