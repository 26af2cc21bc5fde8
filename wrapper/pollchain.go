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
	t, err := s.pollTemplate()
	sentGuid := t.guid // what the request's header carries
	reply := func(resp *http.Response, err error) {
		r, err := s.received(ctx, op, sentGuid, nil, resp, err)
		then(s.fetched(ctx, op, start, obs, r, err))
	}
	if err != nil {
		reply(nil, err)
		return
	}
	req := t.req // sent as is: no copy per poll
	// The poll timeout is the connection's deadline: no timer per poll.
	s.c.parked.Send(ctx, req, s.c.cfg.pollTimeout, func(resp *http.Response, err error) {
		if jar := s.hc.Jar; err == nil && jar != nil {
			if rc := resp.Cookies(); len(rc) > 0 {
				jar.SetCookies(req.URL, rc) // the caller's jar; the session's own records them itself
			}
		}
		reply(resp, err)
	})
}

// pollTemplate is an event poll's request as the session's Guid and
// cookies stand, built again only when they changed, and sent as is
// (Parked.Send takes the context apart): a waiting poll allocates no
// request, and nothing writes one once built. The polls of a chain go one
// at a time, the only users of s.pollReq.
type pollTemplate struct {
	req     *http.Request
	guid    string
	cookies *[]StateCookie
}

func (s *Session) pollTemplate() (pollTemplate, error) {
	g, cs := s.Guid(), s.cookies.Load()
	if t := s.pollReq; t.req != nil && t.guid == g && t.cookies == cs {
		return t, nil
	}
	req, err := generated.NewPollEventRequest(s.api.Server, s.agentID, nil)
	if err != nil {
		return pollTemplate{guid: g}, err
	}
	_ = s.prepare(context.Background(), req) // puts g, read again: a rotation since is seen next time
	if jar := s.hc.Jar; jar != nil {
		for _, c := range jar.Cookies(req.URL) {
			req.AddCookie(c)
		}
	}
	s.pollReq = pollTemplate{req: req, guid: req.Header.Get("Guid"), cookies: cs}
	return s.pollReq, nil
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
