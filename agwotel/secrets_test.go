package agwotel_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// TestNoSecretRecorded runs sign-ins (one refused), rotating Guids, a push
// session with a service token, a PickUp over pushes, and events whose
// type and content echo the secrets to a waiting PickUp; then searches
// everything recorded for every Guid, password and token, and for the
// caller's number, which only event content holds.
func TestNoSecretRecorded(t *testing.T) {
	const (
		token     = "t0kenS3cretXYZ"
		wrongPass = "wr0ng-Secret-Pw"
		caller    = "13800000000"
	)
	e := newEnv(t, agwtest.WithDynamicGuid(1))
	ctx := testContext(t)
	poller, events := e.signIn(20002)
	require.NoError(t, poller.SayBusy(ctx, &generated.SayBusyParams{}))
	waitFor(t, events, "AgentState_SetNotReady_Success")
	bad := demoSignIn(20004)
	bad.Password = wrongPass
	_, err := e.client.SignIn(ctx, 20004, bad)
	require.ErrorIs(t, err, wrapper.ErrBadCredentials)

	// A push session, picking up with a manual answer: while its phone
	// rings, events echoing the secrets reach PickUp's wait.
	fl := fleet.New(e.client)
	alerting := make(chan struct{}, 1)
	cb := httptest.NewServer(fl.PushHandler(token, func(s *wrapper.Session, ev wrapper.Event) {
		if s != nil && s.AgentID() == 20003 && ev.EventType == string(generated.EventTypeAgentOtherPhoneAlerting) {
			alerting <- struct{}{}
		}
	}))
	t.Cleanup(cb.Close)
	o := demoSignIn(20003)
	o.PushURL, o.ServiceToken, o.ManualAnswer = cb.URL, token, true
	picker, err := e.client.SignIn(ctx, 20003, o)
	require.NoError(t, err)
	fl.Track(picker)
	e.ring(20001)
	result := make(chan error, 1)
	go func() {
		_, err := picker.PickUp(ctx, 20001)
		result <- err
	}()
	select {
	case <-alerting:
	case <-ctx.Done():
		require.FailNow(t, "the picker's phone did not ring")
	}
	secrets := []string{agwtest.DemoPassword, wrongPass, token, poller.Guid(), picker.Guid()}
	for _, s := range secrets {
		content := fmt.Sprintf(`{"callid":%q,"caller":%q}`, s, s)
		require.NoError(t, fl.Route(wrapper.Event{Event: generated.Event{EventType: s, WorkNo: workNo("20003"), Content: []byte(content)}}))
	}
	require.NoError(t, picker.Answer(ctx, nil))
	require.NoError(t, <-result)
	require.NoError(t, picker.Handshake(ctx, &generated.HandshakeParams{ServiceToken: ptr(token)}), "the token in a query")
	require.NoError(t, picker.ForceSignOut(ctx))

	recorded := e.everything(t)
	require.Contains(t, recorded, "span PickUp", "the search covers the PickUp")
	require.Contains(t, recorded, "agentgateway.event_type=other", "the echoing events were recorded, as other")
	require.Contains(t, recorded, "  point agentgateway.event_type=other", "the events the fleet routed are counted")
	secrets = append(secrets, e.heldGuids()...)
	require.Greater(t, len(e.heldGuids()), 3, "Guids rotated: every poll reply rotates the poller's")
	for _, s := range append(secrets, caller) {
		require.NotEmpty(t, s)
		assert.NotContains(t, recorded, s)
	}
}

func workNo(s string) *generated.FlexString { return ptr(generated.FlexString(s)) }

func ptr[T any](v T) *T { return &v }

// everything is the text of every span (started or ended) and metric
// recorded: names, statuses, attributes, events, links, resources,
// exemplars.
func (e *env) everything(t *testing.T) string {
	var b strings.Builder
	put := func(prefix string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			fmt.Fprintf(&b, "%s %s=%s\n", prefix, kv.Key, kv.Value.String())
		}
	}
	for _, s := range e.spans.Started() {
		fmt.Fprintf(&b, "span %s %s %s\n", s.Name(), s.Status().Code, s.Status().Description)
		put("  attr", s.Attributes())
		put("  resource", s.Resource().Attributes())
		for _, ev := range s.Events() {
			fmt.Fprintf(&b, "  event %s\n", ev.Name)
			put("    attr", ev.Attributes)
		}
		for _, l := range s.Links() {
			put("  link", l.Attributes)
		}
	}
	var rm metricdata.ResourceMetrics
	require.NoError(t, e.reader.Collect(context.Background(), &rm))
	put("resource", rm.Resource.Attributes())
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			fmt.Fprintf(&b, "metric %s %s %s\n", m.Name, m.Description, m.Unit)
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range d.DataPoints {
					put("  point", dp.Attributes.ToSlice())
					for _, x := range dp.Exemplars {
						put("  exemplar", x.FilteredAttributes)
					}
				}
			case metricdata.Histogram[float64]:
				for _, dp := range d.DataPoints {
					put("  point", dp.Attributes.ToSlice())
					for _, x := range dp.Exemplars {
						put("  exemplar", x.FilteredAttributes)
					}
				}
			default:
				require.Failf(t, "unexpected metric data", "%s: %T", m.Name, m.Data)
			}
		}
	}
	return b.String()
}
