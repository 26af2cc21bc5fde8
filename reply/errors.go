package reply

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinels of the retcode families. Test for them with errors.Is; get the
// details with errors.As into *APIError or *ReplyError.
var (
	// ErrInvalidParam is retcode 000-002: the gateway rejected a parameter.
	ErrInvalidParam = errors.New("agentgateway: parameter rejected by gateway (000-002)")
	// ErrNoRight is retcode 000-003: no permission for the interface.
	ErrNoRight = errors.New("agentgateway: no right to call the interface (000-003)")
	// ErrAlreadySignedIn is retcode 100-002.
	ErrAlreadySignedIn = errors.New("agentgateway: agent already signed in (100-002)")
	// ErrBadCredentials is retcode 100-004: wrong agent ID or password.
	ErrBadCredentials = errors.New("agentgateway: wrong agent ID or password (100-004)")
	// ErrNotSignedIn is retcode 100-006, and 000-003 on a call that sent a
	// Guid: the session is gone or the Guid was rejected.
	ErrNotSignedIn = errors.New("agentgateway: agent not signed in or Guid rejected (100-006)")
	// ErrAgentOperation is retcode 100-007: the gateway refused the agent
	// operation, typically because a prerequisite does not hold.
	ErrAgentOperation = errors.New("agentgateway: agent operation failed (100-007)")
	// ErrForceSignInDisabled is retcode 100-015.
	ErrForceSignInDisabled = errors.New("agentgateway: force sign-in is disabled (100-015)")
	// ErrCallState is any 200-xxx retcode: no call, no held call, or the
	// call is in the wrong state for the operation.
	ErrCallState = errors.New("agentgateway: no call or wrong call state (200-xxx)")
	// ErrBadReply: the reply was not a readable gateway envelope (non-2xx
	// status, HTML page, empty, truncated, oversized or non-UTF-8 body).
	ErrBadReply = errors.New("agentgateway: unreadable reply")
)

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

// Is matches the sentinel of the retcode's family.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrInvalidParam:
		return e.RetCode == "000-002"
	case ErrNoRight:
		return e.RetCode == "000-003"
	case ErrAlreadySignedIn:
		return e.RetCode == "100-002"
	case ErrBadCredentials:
		return e.RetCode == "100-004"
	case ErrNotSignedIn:
		return e.RetCode == "100-006" || (e.RetCode == "000-003" && e.sentGuid)
	case ErrAgentOperation:
		return e.RetCode == "100-007"
	case ErrForceSignInDisabled:
		return e.RetCode == "100-015"
	case ErrCallState:
		return strings.HasPrefix(e.RetCode, "200-")
	}
	return false
}

// ReplyError is a reply that could not be read as a gateway envelope.
type ReplyError struct {
	Op          string
	AgentID     int
	HTTPStatus  int
	ContentType string
	Reason      string // what was wrong, e.g. "content type text/html"
	Body        []byte // the start of the reply body, at most 512 bytes
	Err         error  // the decoding error, if any
}

// Error gives the operation, status, reason and the start of the body.
func (e *ReplyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "agentgateway: %s: HTTP %d: %s", e.Op, e.HTTPStatus, e.Reason)
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
func RetCodeText(code string) string { return retCodeText[code] }
