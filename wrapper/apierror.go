package wrapper

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/internal/poll"
)

// ErrBadReply: the reply was not a readable gateway envelope (non-2xx
// status, HTML page, empty, truncated, oversized, non-UTF-8 or too deeply
// nested body). The
// sentinels of the retcode families (ErrNotSignedIn, ErrCallState, ...)
// are generated from the spec's x-retcode-errors; test for them with
// errors.Is, and get details with errors.As into *APIError or *ReplyError.
var ErrBadReply = errors.New("agentgateway: unreadable reply")

// APIError is a gateway reply whose retcode is not "0".
type APIError struct {
	Op         string // operation ID from the spec, e.g. "SnatchPickup"
	AgentID    int    // the agent in the request path (0 if none)
	HTTPStatus int
	RetCode    string // e.g. "100-007"
	Message    string // the gateway's message, shortened
	Body       []byte // the reply body, at most 512 bytes, secrets withheld

	sentGuid bool // the request carried a Guid, so 000-003 means it was rejected
}

// Error gives the operation, agent, retcode with its meaning, and message;
// never the body.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("agentgateway: " + e.Op)
	if e.AgentID != 0 {
		b.WriteString(" agent " + strconv.Itoa(e.AgentID))
	}
	b.WriteString(": retcode " + e.RetCode)
	if m := RetCodeText(e.RetCode); m != "" {
		b.WriteString(" (" + m + ")")
	}
	if e.Message != "" {
		b.WriteString(": " + strconv.Quote(e.Message))
	}
	if e.HTTPStatus != 200 {
		b.WriteString(" [HTTP " + strconv.Itoa(e.HTTPStatus) + "]")
	}
	return b.String()
}

// Is matches the sentinel of the retcode's family (the spec's
// x-retcode-errors). A 000-003 on a request that carried a Guid is
// ErrNotSignedIn too: the gateway refused the Guid.
func (e *APIError) Is(target error) bool {
	switch target {
	case poll.ErrRefused: // what a poll makes of it
		return true
	case poll.ErrNoRight:
		return e.RetCode == generated.RetCodeNoRight
	case poll.ErrEnded:
		return e.Is(ErrNotSignedIn)
	}
	if target == ErrNotSignedIn && e.RetCode == generated.RetCodeNoRight && e.sentGuid {
		return true
	}
	family, ok := familyOf[e.RetCode]
	return ok && family == target
}

// ReplyError is a reply that could not be read as a gateway envelope, or
// a pushed body or event content that could not be read.
type ReplyError struct {
	Op          string // "" for an event's content
	AgentID     int
	HTTPStatus  int // 0 when no HTTP reply carried it (a push, an event's content)
	ContentType string
	Reason      string // what was wrong, e.g. "content type text/html"
	Body        []byte // the start of the reply body, at most 512 bytes
	Err         error  // the decoding error, if any
}

// Error gives the operation, status, reason and the start of the body.
func (e *ReplyError) Error() string {
	var b strings.Builder
	b.WriteString("agentgateway: ")
	if e.Op != "" {
		b.WriteString(e.Op + ": ")
	}
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, "HTTP %d: ", e.HTTPStatus)
	}
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	if len(e.Body) > 0 {
		fmt.Fprintf(&b, "; body %q", e.Body)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrBadReply) true.
func (e *ReplyError) Is(target error) bool { return target == ErrBadReply }

// Unwrap returns the decoding error, if any.
func (e *ReplyError) Unwrap() error { return e.Err }

// RetCodeText returns the documented meaning of a retcode, or "" if unknown.
func RetCodeText(code string) string { return generated.RetCodes[code].Meaning }
