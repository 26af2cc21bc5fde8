package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

const pushToken = "loadPushToken1"

// pushReceiver serves the push callback for every session: the client
// routes each event to its session (for PickUp) and the test records it.
type pushReceiver struct {
	srv      *httptest.Server
	sessions map[string]*session // by workNo; written before the first push
}

func newPushReceiver(client *wrapper.Client, sessions []*session) *pushReceiver {
	p := &pushReceiver{sessions: make(map[string]*session, len(sessions))}
	for _, ss := range sessions {
		p.sessions[strconv.Itoa(ss.id)] = ss
	}
	p.srv = httptest.NewServer(client.PushHandler(pushToken, func(_ *wrapper.Session, ev wrapper.Event) {
		if ss := p.sessions[ev.Agent()]; ss != nil {
			ss.events <- ev
		}
	}))
	return p
}

// signInOptions are ss's sign-in options in mode.
func signInOptions(ss *session, push *pushReceiver) wrapper.SignInOptions {
	o := wrapper.SignInOptions{Phone: ss.phone, Password: password}
	if push != nil {
		o.PushURL, o.ServiceToken = push.srv.URL+"/push", pushToken
	}
	return o
}

// feed starts ss's events: a long poll, or in push mode a heartbeat (the
// gateway pushes the events). ss.done receives its end.
func feed(ctx context.Context, ss *session, push bool) error {
	if !push {
		var err error
		ss.done, err = ss.s.PollInBackground(ctx, func(ev wrapper.Event) error {
			ss.events <- ev
			return nil
		}, wrapper.PollOptions{})
		return err
	}
	done := make(chan error, 1)
	ss.done = done
	go func() { done <- ss.s.KeepAlive(ctx, pushToken, 30*time.Second, nil) }()
	return nil
}

// resultLine is the machine-readable summary.
func (r result) resultLine() string {
	lost := max(r.EventsDelivered-r.EventsReceived, 0)
	return fmt.Sprintf("RESULT mode=%s sessions=%d events_sent=%d events_received=%d events_lost=%d puts_duplicated=%d bytes_per_session=%.0f\n",
		r.Mode, r.Sessions, r.EventsDelivered, r.EventsReceived, lost, max(r.SnatchPuts-r.Pickups, 0), r.HeapPerSession)
}
