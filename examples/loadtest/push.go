package main

import (
	"context"
	"net/http/httptest"
	"strconv"
	"time"

	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const pushToken = "loadPushToken1"

// pushReceiver serves the push callback for every session: the fleet
// routes each event to its session (for PickUp) and the test records it.
type pushReceiver struct {
	srv      *httptest.Server
	sessions map[string]*session // by workNo; written before the first push
}

func newPushReceiver(fl *fleet.Fleet, sessions []*session) *pushReceiver {
	p := &pushReceiver{sessions: make(map[string]*session, len(sessions))}
	for _, ss := range sessions {
		p.sessions[strconv.Itoa(ss.id)] = ss
	}
	p.srv = httptest.NewServer(fl.PushHandler(pushToken, func(_ *wrapper.Session, ev wrapper.Event) {
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

// feed starts ss's events in mode: its own long poll (ss.done receives
// its end), or, for push and allagents, tracking by the fleet.
func feed(ctx context.Context, fl *fleet.Fleet, ss *session, mode string) error {
	switch mode {
	case "poll":
		var err error
		ss.done, err = ss.s.PollInBackground(ctx, func(ev wrapper.Event) error {
			ss.events <- ev
			return nil
		}, wrapper.PollOptions{})
		return err
	default:
		fl.Track(ss.s)
	}
	return nil
}

// feeder is the one goroutine that feeds every session: KeepAliveAll in
// push mode, PollAllAgents in allagents mode.
type feeder struct {
	done   chan error
	events []wrapper.Event // allagents: every event, for routeRate
}

// feedAll starts the client-wide feeder of mode, if it has one.
func feedAll(ctx context.Context, fl *fleet.Fleet, sessions []*session, mode string) *feeder {
	f := &feeder{done: make(chan error, 1)}
	switch mode {
	case "push":
		go func() { f.done <- fl.KeepAliveAll(ctx, pushToken, 30*time.Second, nil) }()
	case "allagents":
		go func() {
			f.done <- fl.PollAllAgents(ctx, func(ev wrapper.Event) error {
				f.events = append(f.events, ev)
				if id, err := strconv.Atoi(ev.Agent()); err == nil && id >= agentBase && id-agentBase < len(sessions) {
					sessions[id-agentBase].events <- ev
				}
				return nil
			}, wrapper.PollOptions{IdleDelay: 20 * time.Millisecond})
		}()
	default:
		return nil
	}
	return f
}

// routeRate routes the events the all-agent poll saw once more through
// Fleet.Route, on this goroutine, for at least 200 ms: events per second
// on one core.
func (f *feeder) routeRate(fl *fleet.Fleet) float64 {
	if len(f.events) == 0 {
		return 0
	}
	routed, start := 0, time.Now()
	for time.Since(start) < 200*time.Millisecond {
		for _, ev := range f.events {
			_ = fl.Route(ev)
		}
		routed += len(f.events)
	}
	return float64(routed) / time.Since(start).Seconds()
}
