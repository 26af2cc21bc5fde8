package wrapper

import (
	"context"
	"errors"
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
func (s *Session) pollChain(p *polling, done func(error)) {
	poll.Chain(p.ctx, p.loopOptions(), func(ctx context.Context, then func([]Event, error)) {
		p.beforeFetch(ctx)
		s.pollEventParked(ctx, func(events []Event, err error) {
			p.afterFetch(ctx, err)
			then(events, err)
		})
	}, p.deliver, p.final, func(err error) { done(p.close(err)) })
}

// pollEventParked is PollEvent (without calldata) whose reply is awaited
// by the client's parked sender; then gets what PollEvent returns. With a
// backup gateway it fails over as the generated client's requests do
// (transport.Failover): to the backup while the primary is down, and once
// more, to the backup, after a failure with no reply at the primary.
func (s *Session) pollEventParked(ctx context.Context, then func([]Event, error)) {
	const op = "PollEvent"
	ctx, obs := s.startCall(ctx, op)
	start := time.Now()
	var send func(backup bool)
	send = func(backup bool) {
		t, err := s.pollTemplate(backup)
		sentGuid := t.guid // what the request's header carries
		reply := func(resp *http.Response, err error) {
			r, err := s.received(ctx, op, sentGuid, nil, resp, err)
			then(s.fetched(ctx, op, start, obs, r, err))
		}
		if err != nil {
			reply(nil, err)
			return
		}
		// The poll timeout is the connection's deadline: no timer per poll.
		s.c.parked.Send(ctx, t.wire, s.c.cfg.pollTimeout, func(resp *http.Response, err error) {
			if f := s.c.fail; err != nil && f != nil && !backup && !errors.Is(err, context.Canceled) {
				f.Failed()
				if ctx.Err() == nil {
					send(true)
					return
				}
			}
			if jar := s.hc.Jar; err == nil && jar != nil {
				if rc := resp.Cookies(); len(rc) > 0 {
					jar.SetCookies(resp.Request.URL, rc) // the caller's jar; the session's own records them itself
				}
			}
			reply(resp, err)
		})
	}
	send(s.c.fail != nil && s.c.fail.UseBackup())
}

// pollTemplate is an event poll's request as the session's Guid and
// cookies stand, written once (a transport.Wire) and built again only
// when they changed: a waiting poll holds no request, URL or header map of
// its own. The polls of a chain go one at a time, the only users of
// s.pollReq (one for the primary gateway, one for the backup).
type pollTemplate struct {
	wire    *transport.Wire
	guid    string
	cookies *[]StateCookie
}

func (s *Session) pollTemplate(backup bool) (pollTemplate, error) {
	g, cs := s.Guid(), s.cookies.Load()
	slot := &s.pollReq[0]
	if backup {
		slot = &s.pollReq[1]
	}
	if t := *slot; t.wire != nil && t.guid == g && t.cookies == cs {
		return t, nil
	}
	req, err := generated.NewPollEventRequest(s.api.Server, s.agentID, nil)
	if err != nil {
		return pollTemplate{guid: g}, err
	}
	if backup {
		req = s.c.fail.ToBackup(req)
	}
	_ = s.prepare(context.Background(), req) // puts g, read again: a rotation since is seen next time
	if jar := s.hc.Jar; jar != nil {
		for _, c := range jar.Cookies(req.URL) {
			req.AddCookie(c)
		}
	}
	sent := req.Header.Get("Guid")
	w, err := s.c.parked.NewWire(req)
	if err != nil {
		return pollTemplate{guid: sent}, err
	}
	*slot = pollTemplate{wire: w, guid: sent, cookies: cs}
	return *slot, nil
}

// parkedFor returns a parked sender that connects as hc would, or nil
// when hc's transport is not an *http.Transport the parked sender can
// stand in for (a RoundTripper of the caller's must see every request; a
// proxy or a custom TLS dialer would be bypassed). gateways are the base
// URLs (primary, backup if any).
func parkedFor(hc *http.Client, gateways ...*url.URL) *transport.Parked {
	tr, ok := hc.Transport.(*http.Transport)
	if !ok || tr.DialTLSContext != nil {
		return nil
	}
	for _, base := range gateways {
		if tr.Proxy == nil {
			break
		}
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
