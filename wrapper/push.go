package wrapper

import (
	"context"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"

	"github.com/agentgateway-go/agentgateway/reply"
	"github.com/segmentio/encoding/json"
)

// Push mode: instead of answering polls, the gateway POSTs each agent's
// events to the callBackUri given at sign-in (SignInOptions.PushURL), with
// the body {"workNo": "...", "eventList": [oldest, ..., newest]} and the
// sign-in's serviceToken in the service_token header. A push session needs
// Heartbeat about every 30 s instead of a Poll.

// maxPushBody bounds one pushed request.
const maxPushBody = 1 << 20

// PushHandler serves the callback URL of push mode. It checks the
// service_token header against serviceToken (in constant time; "" accepts
// any), reads at most 1 MiB, and calls handle for each event in order,
// before answering the gateway. Refusals are answered with the gateway's
// own envelope: 000-001 for a method other than POST, 000-003 for a wrong
// token, 000-002 for an unreadable body.
//
// To let PickUp see pushed events, hand each one to its session:
//
//	wrapper.PushHandler(token, func(ev wrapper.Event) { sessions[ev.Agent()].Deliver(ev) })
func PushHandler(serviceToken string, handle func(Event)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			writePushReply(w, http.StatusMethodNotAllowed, "000-001", "POST only")
			return
		}
		if serviceToken != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("service_token")), []byte(serviceToken)) != 1 {
			writePushReply(w, http.StatusForbidden, "000-003", "wrong service_token")
			return
		}
		if reason := reply.ContentTypeProblem(r.Header.Get("Content-Type")); reason != "" {
			writePushReply(w, http.StatusUnsupportedMediaType, "000-002", reason)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPushBody))
		if err != nil {
			writePushReply(w, http.StatusRequestEntityTooLarge, "000-002", "body too large or unreadable")
			return
		}
		events, err := reply.ParsePush(body)
		if err != nil {
			writePushReply(w, http.StatusBadRequest, "000-002", "malformed event list")
			return
		}
		for _, ev := range events {
			handle(ev)
		}
		writePushReply(w, http.StatusOK, "0", "success")
	})
}

func writePushReply(w http.ResponseWriter, status int, retcode, message string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
		RetCode string `json:"retcode"`
	}{message, retcode})
	_, _ = w.Write(b)
}

// Deliver hands an event received outside Poll (from Route) to the
// session's waiters, so that PickUp works in push mode. An event whose
// workNo names another agent is dropped: Deliver returns
// ErrOtherAgentEvent.
func (s *Session) Deliver(ev Event) error { return s.deliver(context.Background(), ev) }

// deliver is the one way an event reaches a session's waiters, whichever
// mode brought it: its own Poll, or Route (push, the all-agent poll).
func (s *Session) deliver(ctx context.Context, ev Event) error {
	if !s.ownEvent(ev) {
		return fmt.Errorf("%w (session of agent %d)", ErrOtherAgentEvent, s.agentID)
	}
	s.publish(ctx, ev)
	return nil
}

// PushHandler serves the callback URL for every session this client routes
// events to (push-mode sessions are tracked at SignIn, see Track). Each
// event goes to handle, if not nil, with the session of its workNo (nil for
// an agent this client routes nothing to), then through Route, so that
// PickUp sees it. The checks and replies are those of the package-level
// PushHandler.
func (c *Client) PushHandler(serviceToken string, handle func(*Session, Event)) http.Handler {
	return PushHandler(serviceToken, func(ev Event) {
		if handle != nil {
			handle(c.routed(ev.Agent()), ev)
		}
		_ = c.Route(ev) // an unknown agent's event has nowhere to go
	})
}
