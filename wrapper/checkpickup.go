package wrapper

import (
	"context"
	"net/http"
	"strconv"

	"github.com/segmentio/encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
)

// PickUpOption changes what PickUp does.
type PickUpOption func(*pickUpOptions)
type pickUpOptions struct{ check bool }

// CheckFirst makes PickUp run CheckPickUp before the snatch.
func CheckFirst() PickUpOption { return func(o *pickUpOptions) { o.check = true } }

// PickUpCheckError is a prerequisite of SnatchPickup that CheckPickUp found
// unmet; it matches ErrAgentOperation, the 100-007 the snatch would get.
type PickUpCheckError struct {
	Prerequisite string // e.g. "the picker is idle"
	Detail       string // what the gateway answered instead
}

// Error names the unmet prerequisite.
func (e *PickUpCheckError) Error() string {
	return "agentgateway: pickup not possible: " + e.Prerequisite + " does not hold (" + e.Detail + ")"
}

// Is makes errors.Is(err, ErrAgentOperation) true.
func (e *PickUpCheckError) Is(target error) bool { return target == ErrAgentOperation }

// CheckPickUp asks the gateway, sending no snatch, whether SnatchPickup's
// prerequisites hold: the picker is idle (GetAgentStatus), may pick up
// group calls (IsPickup), shares destWorkNo's group (GetGroupByAgent), and
// destWorkNo has a call (GetAllCallInfoEx, when it answers a list). It
// returns a *PickUpCheckError naming the first unmet, or a query's error.
// No query tells a ringing call from a connected or internal one, and the
// state can change before the snatch.
func (s *Session) CheckPickUp(ctx context.Context, destWorkNo int) error {
	if err := s.c.checkAgentID("destWorkNo", destWorkNo); err != nil {
		return err
	}
	fail := func(prerequisite, detail string) error { return &PickUpCheckError{prerequisite, detail} }
	status, err := s.GetAgentStatus(ctx)
	if err != nil {
		return err
	}
	if state := deref(status.AgentState); state != generated.AgentStateCodeIdle || deref(status.IsWorking) {
		return fail("the picker is idle", "agent state "+state.String())
	}
	permission, err := s.IsPickup(ctx)
	if err != nil {
		return err
	}
	if permission != "true" {
		return fail("the picker may pick up group calls", "isPickup "+strconv.Quote(string(permission)))
	}
	mine, err := s.GetGroupByAgent(ctx, s.agentID)
	if err != nil {
		return err
	}
	theirs, err := s.GetGroupByAgent(ctx, destWorkNo)
	if err != nil {
		return err
	}
	if deref(mine.Id) != deref(theirs.Id) || deref(mine.Name) != deref(theirs.Name) {
		return fail("both agents are in one group", "group "+strconv.Quote(deref(mine.Name))+" and "+strconv.Quote(deref(theirs.Name)))
	}
	// Its result is documented as reserved: only a list tells anything.
	raw, err := s.call(ctx, "GetAllCallInfoEx", func(ctx context.Context) (*http.Response, error) {
		return s.api.GetAllCallInfoEx(ctx, s.agentID, destWorkNo)
	})
	if err != nil {
		return err
	}
	var calls []json.RawMessage
	if json.Unmarshal(raw, &calls) == nil && calls != nil && len(calls) == 0 {
		return fail("destWorkNo has a call", "no call")
	}
	return nil
}
