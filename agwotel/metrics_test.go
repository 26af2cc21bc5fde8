package agwotel_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwotel"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestMetrics(t *testing.T) {
	e := newEnv(t)
	picker, _ := e.signIn(20002)
	ctx := testContext(t)
	// Nothing rings yet: 100-007.
	require.ErrorIs(t, picker.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001}), wrapper.ErrAgentOperation)
	e.ring(20001)
	_, err := picker.PickUp(ctx, 20001)
	require.NoError(t, err)
	// Relayed events (Session.Deliver, as the fleet routes them): one that
	// carries its eventGenTime 1.5 s ago, one from a clock ahead of ours,
	// one of a type the spec does not know.
	at := func(d time.Duration) *int64 { ms := time.Now().Add(d).UnixMilli(); return &ms }
	for _, ev := range []generated.Event{
		{EventType: string(generated.EventTypeAgentEventHold), EventGenTime: at(-1500 * time.Millisecond)},
		{EventType: string(generated.EventTypeAgentEventHold), EventGenTime: at(time.Hour)},
		{EventType: "Vendor_Private_Event"},
	} {
		require.NoError(t, picker.Deliver(wrapper.Event{Event: ev}))
	}
	// A session restored is a gap (restored).
	_, err = e.client.Resume(20002, picker.Guid())
	require.NoError(t, err)

	m := e.metrics()
	require.Len(t, m, 5, "every instrument recorded")

	d := m[agwotel.CallDuration]
	assert.Equal(t, "s", d.Unit)
	durations := histograms(t, d)
	for op, want := range map[string]uint64{"SignIn": 1, "SnatchPickup": 2, "PickUp": 1} {
		assert.Equal(t, want, durations["agentgateway.operation="+op].Count, op)
	}
	assert.NotZero(t, durations["agentgateway.operation=PollEvent"].Count)
	assert.Greater(t, durations["agentgateway.operation=PickUp"].Sum, 0.0)
	for key := range durations {
		assert.Regexp(t, `^agentgateway\.operation=[A-Za-z]+$`, key, "the operation only")
	}

	assert.Equal(t, map[string]int64{
		"agentgateway.operation=SnatchPickup,agentgateway.retcode=100-007,error.type=agent_operation": 1,
	}, counts(t, m[agwotel.CallErrors]))

	events := counts(t, m[agwotel.Events])
	assert.Equal(t, int64(1), events["agentgateway.event_type=AgentEvent_Talking"])
	assert.Equal(t, int64(2), events["agentgateway.event_type=AgentEvent_Hold"])
	assert.Equal(t, int64(1), events["agentgateway.event_type=other"], "an unknown type")
	for key := range events {
		assert.Regexp(t, `^agentgateway\.event_type=[A-Za-z_]+$`, key)
	}

	assert.Equal(t, map[string]int64{"agentgateway.gap_reason=restored": 1}, counts(t, m[agwotel.PollGaps]))

	lag := m[agwotel.EventLag]
	assert.Equal(t, "s", lag.Unit)
	lags := histograms(t, lag)
	require.Len(t, lags, 1)
	point := lags[""]
	assert.Equal(t, uint64(2), point.Count, "only the events that carry eventGenTime")
	assert.GreaterOrEqual(t, point.Sum, 1.5)
	assert.Less(t, point.Sum, 60.0)
	lowest, ok := point.Min.Value()
	require.True(t, ok)
	assert.Zero(t, lowest, "a clock ahead of ours counts as 0")
}

func TestErrorType(t *testing.T) {
	for want, err := range map[string]error{
		"":              nil,
		"validation":    &wrapper.ValidationError{Field: "destWorkNo"},
		"not_signed_in": &wrapper.APIError{RetCode: "100-006"},
		"api_error":     &wrapper.APIError{RetCode: "999-999"},
		"bad_reply":     &wrapper.ReplyError{Reason: "content type text/html"},
		"pickup_failed": &wrapper.PickUpError{Err: wrapper.ErrPickUpFailed},
		"timeout":       &wrapper.PickUpError{Err: context.DeadlineExceeded},
		"canceled":      &wrapper.ConfirmError{Err: context.Canceled},
		"not_polling":   wrapper.ErrNotPolling,
		"transport":     errors.New("connection reset"),
	} {
		assert.Equal(t, want, agwotel.ErrorType(err), "%v", err)
	}
}
