package agwtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Push mode: a sign-in that carries both callBackUri and serviceToken gets
// its events POSTed to callBackUri instead of answered to polls, as
// {"workNo":"<id>","eventList":[oldest, ..., newest]} with the session's
// Guid and service_token headers. One goroutine per push session delivers
// them, in order; a failed delivery (transport error or non-2xx status) is
// retried with backoff, the events kept at the head of the queue. The
// goroutine ends with the session, or when the gateway is closed.

// maxPushBatch bounds the events in one pushed request.
const maxPushBatch = 50

// Delivery retry backoff.
const (
	pushMinBackoff = 50 * time.Millisecond
	pushMaxBackoff = 2 * time.Second
)

// pushTarget is where a push-mode session's events go.
type pushTarget struct {
	url   string
	safe  string // url as scheme://host/path, for logs and errors
	token string
}

// safeURL is u without its userinfo and query, which may hold credentials:
// what the fake logs or quotes of a callback URL.
func safeURL(u *url.URL) string {
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// parsePushTarget reads push mode from a sign-in body: both fields select
// it, either alone is polling mode, as on the vendor's gateway. The fake
// only calls back to loopback hosts, so a test can never make it reach out
// to the network.
func parsePushTarget(callBackURI, serviceToken *string) (*pushTarget, error) {
	if callBackURI == nil || serviceToken == nil || *callBackURI == "" || *serviceToken == "" {
		return nil, nil
	}
	u, err := url.Parse(*callBackURI)
	if err != nil {
		return nil, errors.New("callBackUri is not a URL")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("callBackUri %s is not an http(s) URL", safeURL(u))
	}
	if host := u.Hostname(); host != "localhost" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("callBackUri %s: the fake pushes to loopback only", safeURL(u))
		}
	}
	return &pushTarget{url: u.String(), safe: safeURL(u), token: *serviceToken}, nil
}

// pushLoop delivers the events of session s of agent a until the session
// ends or the gateway closes.
func (g *Gateway) pushLoop(a *agent, s *session) {
	backoff := pushMinBackoff
	for {
		g.mu.Lock()
		if a.sess != s {
			g.mu.Unlock()
			return
		}
		if len(s.queue) == 0 {
			wake := s.wake
			g.mu.Unlock()
			select {
			case <-wake:
			case <-g.closing.Done():
				return
			}
			continue
		}
		batch := s.queue[:min(len(s.queue), maxPushBatch):min(len(s.queue), maxPushBatch)]
		s.queue = s.queue[len(batch):]
		guid := s.guid
		g.mu.Unlock()

		err := g.deliver(a.ID, guid, s.push, batch)

		g.mu.Lock()
		if err == nil {
			g.sent += len(batch)
		} else {
			g.pushFailures++
			if a.sess == s {
				s.queue = append(batch, s.queue...) // retry them first, in order
			}
		}
		g.mu.Unlock()
		if g.cfg.onPushed != nil {
			g.cfg.onPushed(a.ID, err)
		}
		if err == nil {
			backoff = pushMinBackoff
			continue
		}
		if g.cfg.logger != nil {
			g.cfg.logger.Warn("push failed", "agent", a.ID, "events", len(batch), "url", s.push.safe, "err", err)
		}
		select {
		case <-time.After(backoff):
		case <-g.closing.Done():
			return
		}
		backoff = min(2*backoff, pushMaxBackoff)
	}
}

// deliver POSTs one batch of events through the generated callback
// client. The events were encoded from the generated models when queued;
// they are spliced into the spec's PushEventList as they are, not decoded
// and encoded again.
func (g *Gateway) deliver(agentID int, guid string, to *pushTarget, events []json.RawMessage) error {
	body, err := json.Marshal(struct {
		WorkNo    string            `json:"workNo"`
		EventList []json.RawMessage `json:"eventList"`
	}{strconv.Itoa(agentID), events})
	if err != nil {
		return err
	}
	params := &generated.PushEventsParams{Guid: &guid, ServiceToken: &to.token}
	res, err := g.pusher.PushEventsWithBody(g.closing, to.url, params, contentType, bytes.NewReader(body))
	var ue *url.Error
	if errors.As(err, &ue) {
		// net/http quotes the whole URL, query and user name included.
		return fmt.Errorf("%s %s: %w", ue.Op, to.safe, ue.Err)
	}
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("callback answered HTTP %d", res.StatusCode)
	}
	return nil
}

// Close stops the goroutines that deliver push-mode events and cancels
// deliveries in flight. A Gateway without push sessions needs no Close;
// Server.Close calls it.
func (g *Gateway) Close() { g.stopPushes() }
