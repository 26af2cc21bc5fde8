package wrapper

import (
	"errors"
	"fmt"

	"github.com/agentgateway-go/agentgateway/internal/redact"
	"github.com/agentgateway-go/agentgateway/poll"
	"github.com/agentgateway-go/agentgateway/reply"
)

// The reply errors of package reply, under the names callers of this
// package use. Test for the sentinels with errors.Is; get the details with
// errors.As into *ValidationError, *APIError or *ReplyError.
type (
	// APIError is a gateway reply whose retcode is not "0".
	APIError = reply.APIError
	// ReplyError is a reply that could not be read as a gateway envelope.
	ReplyError = reply.ReplyError
)

// Sentinels; see package reply for the retcodes each one matches.
var (
	ErrInvalidParam        = reply.ErrInvalidParam
	ErrNoRight             = reply.ErrNoRight
	ErrAlreadySignedIn     = reply.ErrAlreadySignedIn
	ErrBadCredentials      = reply.ErrBadCredentials
	ErrNotSignedIn         = reply.ErrNotSignedIn
	ErrAgentOperation      = reply.ErrAgentOperation
	ErrForceSignInDisabled = reply.ErrForceSignInDisabled
	ErrCallState           = reply.ErrCallState
	ErrBadReply            = reply.ErrBadReply
)

// RetCodeText returns the documented meaning of a retcode, or "" if unknown.
func RetCodeText(code string) string { return reply.RetCodeText(code) }

// Withheld replaces a whole error field that contained a secret.
const Withheld = redact.Withheld

var (
	// ErrInvalidArgument: an argument broke a documented bound; nothing was sent.
	ErrInvalidArgument = errors.New("agentgateway: invalid argument")
	// ErrNotPolling: PickUp needs a running Poll on the session to see events.
	ErrNotPolling = poll.ErrNotPolling
	// ErrAlreadyPolling: a session runs at most one Poll at a time.
	ErrAlreadyPolling = poll.ErrAlreadyPolling
	// ErrPickupFailed: the gateway accepted the pickup but the call did not
	// reach the picker (it was released first).
	ErrPickupFailed = errors.New("agentgateway: pickup did not connect")
	// ErrOtherAgentEvent: an event whose workNo names another agent reached
	// a session (in a poll reply, or through Deliver); it was dropped.
	ErrOtherAgentEvent = errors.New("agentgateway: dropped an event for another agent")
)

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
