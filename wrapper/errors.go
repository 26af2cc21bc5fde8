package wrapper

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors. Test for them with errors.Is; get the details with
// errors.As into *ValidationError, *APIError or *ReplyError.
var (
	// ErrInvalidArgument: an argument broke a documented bound; nothing was sent.
	ErrInvalidArgument = errors.New("agentgateway: invalid argument")

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

	// ErrNotPolling: PickUp needs a running Poll on the session to see events.
	ErrNotPolling = errors.New("agentgateway: no event poll running for this session")
	// ErrAlreadyPolling: a session runs at most one Poll at a time.
	ErrAlreadyPolling = errors.New("agentgateway: an event poll is already running for this session")
	// ErrPickupFailed: the gateway accepted the pickup but the call did not
	// reach the picker (it was released first).
	ErrPickupFailed = errors.New("agentgateway: pickup did not connect")
	// ErrOtherAgentEvent: an event whose workNo names another agent reached
	// a session (in a poll reply, or through Deliver); it was dropped.
	ErrOtherAgentEvent = errors.New("agentgateway: dropped an event for another agent")
)

// maxErrorBody bounds the reply bytes kept in an error.
const maxErrorBody = 512

// ValidationError reports an argument that breaks a documented bound. It is
// returned before any request is built.
type ValidationError struct {
	Field string // parameter name as in the spec, e.g. "destWorkNo"
	Value string // the offending value, shortened
	Rule  string // the bound it breaks, e.g. "integer 101-59999"
}

// Error names the field, the value and the rule.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("agentgateway: invalid %s %s: must be %s", e.Field, e.Value, e.Rule)
}

// Is makes errors.Is(err, ErrInvalidArgument) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidArgument }

// APIError is a gateway reply whose retcode is not "0".
type APIError struct {
	Op         string // operation ID from the spec, e.g. "SnatchPickup"
	AgentID    int    // the agent in the request path (0 if none)
	HTTPStatus int
	RetCode    string // e.g. "100-007"
	Message    string // the gateway's message, shortened
	Body       []byte // the reply body, at most 512 bytes, Guid removed

	sentGuid bool // the request carried a Guid, so 000-003 means it was rejected
}

// Error gives the operation, agent, retcode with its meaning, and message;
// never the body.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("agentgateway: ")
	b.WriteString(e.Op)
	if e.AgentID != 0 {
		b.WriteString(" agent ")
		b.WriteString(strconv.Itoa(e.AgentID))
	}
	b.WriteString(": retcode ")
	b.WriteString(e.RetCode)
	if m := RetCodeText(e.RetCode); m != "" {
		b.WriteString(" (")
		b.WriteString(m)
		b.WriteString(")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(strconv.Quote(e.Message))
	}
	if e.HTTPStatus != 200 {
		b.WriteString(" [HTTP ")
		b.WriteString(strconv.Itoa(e.HTTPStatus))
		b.WriteString("]")
	}
	return b.String()
}

// Is matches the sentinel for the retcode's family.
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
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
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

// shorten bounds a string kept in an error without splitting a rune.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
