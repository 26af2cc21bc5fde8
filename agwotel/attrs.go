package agwotel

import (
	"context"
	"errors"
	"regexp"

	"go.opentelemetry.io/otel/attribute"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// The attributes this package records besides the semantic conventions'
// http.response.status_code and error.type.
const (
	AgentIDKey    = attribute.Key("agentgateway.agent_id")
	OperationKey  = attribute.Key("agentgateway.operation")
	RetCodeKey    = attribute.Key("agentgateway.retcode")
	EventTypeKey  = attribute.Key("agentgateway.event_type")
	EventStageKey = attribute.Key("agentgateway.event_stage")
	CallIDKey     = attribute.Key("agentgateway.call_id")
	GapReasonKey  = attribute.Key("agentgateway.gap_reason")
)

// other stands for any value outside a closed set, so that a gateway
// cannot grow a metric's label values (or put its text in them).
const other = "other"

// errorTypes are the values of error.type, tried in order: the first
// sentinel the error matches names it. A 000-003 answered to a Guid is
// ErrNotSignedIn as well as ErrNoRight, so that one comes first.
var errorTypes = []struct {
	err  error
	name string
}{
	{wrapper.ErrInvalidArgument, "validation"},
	{wrapper.ErrNotSignedIn, "not_signed_in"},
	{wrapper.ErrBadCredentials, "bad_credentials"},
	{wrapper.ErrAlreadySignedIn, "already_signed_in"},
	{wrapper.ErrForceSignInDisabled, "force_sign_in_disabled"},
	{wrapper.ErrNoRight, "no_right"},
	{wrapper.ErrInvalidParam, "invalid_param"},
	{wrapper.ErrAgentOperation, "agent_operation"},
	{wrapper.ErrCallState, "call_state"},
	{wrapper.ErrConference, "conference"},
	{wrapper.ErrRecording, "recording"},
	{wrapper.ErrRecovery, "recovery"},
	{wrapper.ErrQualityControl, "quality_control"},
	{wrapper.ErrBadReply, "bad_reply"},
	{wrapper.ErrPickUpFailed, "pickup_failed"},
	{wrapper.ErrNotConfirmed, "not_confirmed"},
	{wrapper.ErrNotPolling, "not_polling"},
	{context.DeadlineExceeded, "timeout"},
	{context.Canceled, "canceled"},
}

// ErrorType is the error.type this package records for err: one of
// validation, not_signed_in, bad_credentials, already_signed_in,
// force_sign_in_disabled, no_right, invalid_param, agent_operation,
// call_state, conference, recording, recovery, quality_control, bad_reply,
// pickup_failed, not_confirmed, not_polling, timeout, canceled; api_error
// for another retcode; transport for anything else (no reply was read).
// It is "" for nil.
func ErrorType(err error) string {
	if err == nil {
		return ""
	}
	for _, t := range errorTypes {
		if errors.Is(err, t.err) {
			return t.name
		}
	}
	if _, ok := errors.AsType[*wrapper.APIError](err); ok {
		return "api_error"
	}
	if te, ok := errors.AsType[interface {
		error
		Timeout() bool
	}](err); ok && te.Timeout() {
		return "timeout"
	}
	return "transport"
}

// retCode is code if the spec documents it, other if not, "" for none.
func retCode(code string) string {
	if code == "" || code == "0" {
		return code
	}
	if _, ok := generated.RetCodes[generated.RetCode(code)]; ok {
		return code
	}
	return other
}

// eventType is typ if the spec's EventType enum holds it, else other.
func eventType(typ string) string {
	if generated.EventType(typ).Valid() {
		return typ
	}
	return other
}

// gapReason is r if it is one of wrapper's reasons, else other.
func gapReason(r wrapper.GapReason) string {
	switch r {
	case wrapper.GapReplyLost, wrapper.GapSignedInAgain, wrapper.GapFailover, wrapper.GapRestored, wrapper.GapPushFailed:
		return string(r)
	}
	return other
}

// stageNames name the stages a span event records.
var stageNames = [...]string{
	wrapper.EventDelivered: "delivered",
	wrapper.EventWaited:    "waited",
	wrapper.EventConfirmed: "confirmed",
	wrapper.EventRefuted:   "refuted",
}

func stageName(s wrapper.EventStage) string {
	if int(s) < len(stageNames) {
		return stageNames[s]
	}
	return other
}

// callIDPattern is the shape of the gateway's call IDs ("1455885056-1095");
// a call ID of another shape is not recorded, lest a gateway's text (an
// echoed Guid) reach a span.
var callIDPattern = regexp.MustCompile(`^[0-9]{1,20}(-[0-9]{1,20}){0,3}$`)
