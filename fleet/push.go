package fleet

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/http"

	"github.com/segmentio/encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/poll"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// Push mode: instead of answering polls, the gateway POSTs each agent's
// events to the callBackUri given at sign-in (wrapper.SignInOptions.PushURL),
// with the body {"workNo": "...", "eventList": [oldest, ..., newest]} and
// the sign-in's serviceToken in the service_token header. A push session
// needs a heartbeat about every 30 s instead of a Poll (KeepAliveAll).

// maxPushBody bounds one pushed request.
const maxPushBody = 1 << 20

// PushHandler serves the callback URL of push mode. It checks the
// service_token header against serviceToken (in constant time; "" accepts
// any), reads at most 1 MiB, and calls handle for each event in order,
// before answering the gateway. Refusals are answered with the gateway's
// own envelope: 000-001 for a method other than POST, 000-003 for a wrong
// token, 000-002 for an unreadable body (malformed, nested deeper than a
// reply may be, oversized), its message saying why. handle must not wait
// for events that later pushes bring (PickUp): the gateway waits for this
// answer; Fleet.PushHandler lets its handler wait.
func PushHandler(serviceToken string, handle func(wrapper.Event)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			writeReply(w, http.StatusMethodNotAllowed, generated.RetCodeWrongMethod, "POST only")
			return
		}
		if serviceToken != "" && subtle.ConstantTimeCompare([]byte(r.Header.Get("service_token")), []byte(serviceToken)) != 1 {
			writeReply(w, http.StatusForbidden, generated.RetCodeNoRight, "wrong service_token")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPushBody))
		if err != nil {
			writeReply(w, http.StatusRequestEntityTooLarge, generated.RetCodeInvalidParameter, "body too large or unreadable")
			return
		}
		events, err := wrapper.ParsePush(r.Header.Get("Content-Type"), body)
		if err != nil {
			status, reason := http.StatusBadRequest, "malformed event list"
			if re, ok := errors.AsType[*wrapper.ReplyError](err); ok {
				reason = re.Reason // ours, never the body
				if re.ContentType != "" {
					status = http.StatusUnsupportedMediaType
				}
			}
			writeReply(w, status, generated.RetCodeInvalidParameter, reason)
			return
		}
		for _, ev := range events {
			handle(ev)
		}
		writeReply(w, http.StatusOK, generated.RetCodeSuccess, "success")
	})
}

func writeReply(w http.ResponseWriter, status int, retcode, message string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	b, _ := json.Marshal(struct {
		Message string `json:"message"`
		RetCode string `json:"retcode"`
	}{message, retcode})
	_, _ = w.Write(b)
}

// PushHandler serves the callback URL for the fleet's sessions: each event
// goes through Route, so that PickUp sees it, then to handle, if not nil,
// with the session of its workNo (nil for an agent the fleet does not
// track). handle runs on a goroutine of its own, in order; the gateway's
// push is answered once handle is done with it, or at once while a waiter
// (PickUp) is subscribed, so handle may wait for events that later pushes
// bring. The checks and replies are those of the package-level PushHandler.
func (f *Fleet) PushHandler(serviceToken string, handle func(*wrapper.Session, wrapper.Event)) http.Handler {
	handlers := poll.StartHandlers(func(error) {}, &f.waiters)
	return PushHandler(serviceToken, func(ev wrapper.Event) {
		_ = f.Route(ev) // an unknown agent's event has nowhere to go
		if handle != nil {
			handlers.Run(func() error { handle(f.Session(ev.Agent()), ev); return nil })
		}
	})
}
