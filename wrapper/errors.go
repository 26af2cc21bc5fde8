package wrapper

import (
	"errors"
	"fmt"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// Withheld, the text "[withheld: contained a secret]", replaces a whole
// field (of an error, an event a program prints, a formatted value) that
// contained a secret.
const Withheld = redact.Withheld

var (
	// ErrInvalidArgument: an argument broke a documented bound; nothing was sent.
	ErrInvalidArgument = errors.New("agentgateway: invalid argument")
	// ErrNotPolling: waiting for a session's events (PickUp, Confirm,
	// Await) needs a running Poll on it, or events handed in with Deliver.
	ErrNotPolling = errors.New("agentgateway: no event poll running for this session")
	// ErrAlreadyPolling: a session runs at most one Poll at a time.
	ErrAlreadyPolling = errors.New("agentgateway: an event poll is already running for this session")
	// ErrPickUpFailed: the gateway accepted the pickup but the call did not
	// reach the picker (it was released first).
	ErrPickUpFailed = errors.New("agentgateway: pickup did not connect")
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
