package wrapper

import (
	"errors"
	"fmt"

	"github.com/agentgateway-go/agentgateway/internal/redact"
	"github.com/agentgateway-go/agentgateway/poll"
	"github.com/agentgateway-go/agentgateway/reply"
)

// The errors of package reply, under this package's names. Test for the
// sentinels with errors.Is; get details with errors.As into
// *ValidationError, *APIError (a retcode other than "0") or *ReplyError (a
// reply that is not a readable envelope).
type (
	APIError   = reply.APIError
	ReplyError = reply.ReplyError
)

// Sentinels; package reply says which retcodes each one matches.
var (
	ErrInvalidParam        = reply.ErrInvalidParam
	ErrNoRight             = reply.ErrNoRight
	ErrAlreadySignedIn     = reply.ErrAlreadySignedIn
	ErrBadCredentials      = reply.ErrBadCredentials
	ErrNotSignedIn         = reply.ErrNotSignedIn
	ErrAgentOperation      = reply.ErrAgentOperation
	ErrForceSignInDisabled = reply.ErrForceSignInDisabled
	ErrCallState           = reply.ErrCallState
	ErrConference          = reply.ErrConference
	ErrRecording           = reply.ErrRecording
	ErrRecovery            = reply.ErrRecovery
	ErrQualityControl      = reply.ErrQualityControl
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

// ValidationError is an argument that breaks a documented bound, found
// before any request is built.
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
