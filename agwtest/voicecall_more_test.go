package agwtest_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A held call joins the connected one (ConfJoin): AgentEvent_Conference
// names the call and both other parties.
func TestConfJoin(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	join := func(callID, want string) {
		t.Helper()
		wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/confjoin", guid, map[string]string{"callid": callID}), want)
	}
	join("1-1", "200-010") // no connected call
	first := ring(t, srv, agentA)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "0")
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/hold", guid, nil), "0")
	second, err := srv.Ring(agentA, "13900000000")
	require.NoError(t, err)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/answer", guid, nil), "0")
	join("9-9", "200-011") // no such held call
	join(first, "0")
	types, evs := drain(t, srv, agentA, guid)
	require.Equal(t, "AgentEvent_Conference", types[len(types)-1])
	conf := content[struct{ Callid, Partner string }](t, evs[len(evs)-1])
	assert.Equal(t, second, conf.Callid)
	assert.Equal(t, "13800000000,13900000000", conf.Partner)
	wantRetcode(t, do(t, srv, http.MethodGet, "/calldata/20001/holdlist", guid, nil), "400-003")
}

// A preview offer (AgentEvent_Preview_CallOut_Ex) lets PreviewCallout call
// one of its numbers once, as a callout; and PhoneHangup gives up a call.
func TestPreviewCalloutAndPhoneHangup(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA, true)
	control, err := srv.OfferPreview(agentA, "13900000001", "13900000002")
	require.NoError(t, err)
	types, evs := drain(t, srv, agentA, guid)
	require.Equal(t, []string{"AgentEvent_Preview_CallOut_Ex"}, types)
	offer := content[struct{ Controlid, Dialeddigits string }](t, evs[0])
	assert.Equal(t, strconv.FormatInt(control, 10), offer.Controlid)
	assert.Equal(t, "13900000001,13900000002", offer.Dialeddigits)

	body := map[string]any{"called": "13900000003", "callcontrolid": control}
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/previewCallout", guid, body), "100-007") // not offered
	body["called"] = "13900000002"
	r := do(t, srv, http.MethodPut, "/voicecall/20001/previewCallout", guid, body)
	wantRetcode(t, r, "0")
	types, _ = drain(t, srv, agentA, guid)
	assert.Equal(t, []string{"AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", "AgentEvent_Customer_Alerting"}, types)
	wantRetcode(t, do(t, srv, http.MethodPut, "/voicecall/20001/previewCallout", guid, body), "100-007") // called once

	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/phonehangup", guid, nil), "0")
	types, _ = drain(t, srv, agentA, guid)
	assert.Equal(t, []string{"AgentEvent_No_Answer", "AgentOther_PhoneRelease"}, types, "a call not yet connected is given up")
	wantRetcode(t, do(t, srv, http.MethodPost, "/voicecall/20001/phonehangup", guid, nil), "200-017")
}
