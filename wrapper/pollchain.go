package wrapper

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/poll"
	"github.com/agentgateway-go/agentgateway/internal/transport"
)

// pollChain is pollLoop without a goroutine of its own: each poll is
// sent on the goroutine that judged the last one, its reply awaited by
// the client's parked sender, and pauses are timers. done gets the
// result.
func (s *Session) pollChain(ctx context.Context, handle func(Event) error, opts PollOptions, done func(error)) {
	p := s.startPolling(ctx, handle, opts)
	poll.Chain(p.ctx, p.loopOptions(), func(ctx context.Context, then func([]Event, error)) {
		p.beforeFetch(ctx)
		s.pollEventParked(ctx, func(events []Event, err error) {
			p.afterFetch(ctx, err)
			then(events, err)
		})
	}, p.deliver, p.final, func(err error) { done(p.close(err)) })
}

// pollEventParked is PollEvent (without calldata) whose reply is awaited
// by the client's parked sender; then gets what PollEvent returns.
func (s *Session) pollEventParked(ctx context.Context, then func([]Event, error)) {
	const op = "PollEvent"
	ctx, obs := s.startCall(ctx, op)
	start := time.Now()
	sentGuid := s.Guid() // what prepare puts in the request's header
	reply := func(resp *http.Response, err error) {
		r, err := s.received(ctx, op, sentGuid, nil, resp, err)
		then(s.fetched(ctx, op, start, obs, r, err))
	}
	req, err := generated.NewPollEventRequest(s.api.Server, s.agentID, nil)
	if err != nil {
		reply(nil, err)
		return
	}
	req = req.WithContext(ctx)
	_ = s.prepare(ctx, req)
	jar := s.hc.Jar
	if jar != nil {
		for _, c := range jar.Cookies(req.URL) {
			req.AddCookie(c)
		}
	}
	// The poll timeout is the connection's deadline: no timer per poll.
	s.c.parked.Send(req, s.c.cfg.pollTimeout, func(resp *http.Response, err error) {
		if err == nil && jar != nil {
			if rc := resp.Cookies(); len(rc) > 0 {
				jar.SetCookies(req.URL, rc)
			}
		}
		reply(resp, err)
	})
}

// parkedFor returns a parked sender that connects as hc would, or nil
// when hc's transport is not an *http.Transport the parked sender can
// stand in for (a RoundTripper of the caller's must see every request; a
// proxy or a custom TLS dialer would be bypassed).
func parkedFor(hc *http.Client, base *url.URL) *transport.Parked {
	tr, ok := hc.Transport.(*http.Transport)
	if !ok || tr.DialTLSContext != nil {
		return nil
	}
	if tr.Proxy != nil {
		if u, err := tr.Proxy(&http.Request{URL: base, Header: http.Header{}}); err != nil || u != nil {
			return nil
		}
	}
	p, err := transport.NewParked(tr)
	if err != nil {
		return nil
	}
	return p
}
