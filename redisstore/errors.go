package redisstore

import (
	"errors"
	"fmt"
	"net"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

var (
	// ErrNoSession is an agent without a stored session.
	ErrNoSession = errors.New("redisstore: no stored session")
	// ErrSessionLost is an agent whose stored session went with Redis's
	// data (a restart without persistence) and that no live process
	// re-wrote: sign it in again. It matches ErrNoSession too.
	ErrSessionLost = fmt.Errorf("%w: lost with Redis's data, and no live process holds it", ErrNoSession)
	// ErrLeaseHeld is an agent whose lease another process holds (or, just
	// after Redis lost its data, may still believe it holds).
	ErrLeaseHeld = errors.New("redisstore: another process holds the agent's lease")
	// ErrLeaseLost is a lease that expired or was taken over.
	ErrLeaseLost = errors.New("redisstore: the lease is no longer held")
	// ErrNotSent is a Do whose request never left: Redis was unavailable,
	// the session could not be restored, the context had ended, the
	// request was refused before any I/O, or the gateway's port refused
	// the connection. Trying again is safe.
	ErrNotSent = errors.New("redisstore: not sent")
	// ErrOutcomeUnknown is a Do whose request was sent and got no reply
	// the library could read (a timeout, a reset): the gateway may have
	// carried it out. Do not send it again blindly.
	ErrOutcomeUnknown = errors.New("redisstore: sent, outcome unknown")
)

// Error is a failure for one agent: of a Redis operation (Op "load
// session", "acquire lease", "append", ...) or, from Do, of the call
// ("call"). errors.Is tells Do's ErrNotSent from ErrOutcomeUnknown; the
// cause (a Redis error, a *wrapper.APIError, ...) stays reachable.
type Error struct {
	Agent int
	Op    string
	// Sent, for Do only: the request may have reached the gateway. A
	// gateway's refusal (a *wrapper.APIError) is Sent with a known outcome.
	Sent bool
	Err  error
	do   bool // from Do: ErrNotSent or ErrOutcomeUnknown applies
}

func (e *Error) Error() string {
	what := e.Op
	switch {
	case e.do && !e.Sent:
		what += " (not sent)"
	case e.do && e.unknown():
		what += " (sent, outcome unknown)"
	}
	return fmt.Sprintf("redisstore: agent %d: %s: %v", e.Agent, what, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches ErrNotSent and ErrOutcomeUnknown for Do's errors.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrNotSent:
		return e.do && !e.Sent
	case ErrOutcomeUnknown:
		return e.do && e.unknown()
	}
	return false
}

func (e *Error) unknown() bool {
	var api *wrapper.APIError
	return e.Sent && !errors.As(e.Err, &api)
}

// opError names the agent and operation of a Redis failure; nil stays nil.
func opError(agent int, op string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := errors.AsType[*Error](err); ok && e.Agent == agent {
		return err
	}
	return &Error{Agent: agent, Op: op, Err: err}
}

// doError classifies a failure of Do: before the call, not sent; from the
// call, sent unless nothing left (a bound checked before any I/O, a
// connection refused).
func doError(agent int, op string, err error) error {
	if err == nil {
		return nil
	}
	if e, ok := errors.AsType[*Error](err); ok && e.Agent == agent {
		e.do = true
		return e
	}
	e := &Error{Agent: agent, Op: op, Err: err, do: true}
	if op != "call" {
		return e
	}
	var dial *net.OpError
	e.Sent = !errors.Is(err, wrapper.ErrInvalidArgument) && !(errors.As(err, &dial) && dial.Op == "dial")
	return e
}
