package agwtest_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/agentgateway-go/agentgateway/generated"
)

// TestCallData stores data with a call and reads it back plain and
// Base64-encoded, reads the call's details before and after answering,
// and checks the refusals without a call.
func TestCallData(t *testing.T) {
	t.Parallel()
	d := newDesk(t)
	ctx := t.Context()
	d.signIn(agentA, generated.SignInRequest{Autoanswer: ptr(false)})
	d.signIn(agentB, generated.SignInRequest{})
	as := d.as(agentA)

	expect(t, "400-001")(d.api.SetCallDataExWithResponse(ctx, agentA, generated.SetCallDataRequest{Calldata: ptr("x")}, as))
	expect(t, "100-007")(d.api.GetAppDataWithResponse(ctx, agentA, nil, as))
	expect(t, "100-007")(d.api.GetCallInfoBeforeAnswerWithResponse(ctx, agentA, as))
	empty, err := d.api.GetCallInfoWithResponse(ctx, agentA, nil, as)
	want(t, empty, err, "0")
	if empty.JSON200.Result.Callid != nil {
		t.Fatalf("callinfo without any call: %s", empty.Body)
	}

	callID := ring(t, d.srv, agentA)
	before, err := d.api.GetCallInfoBeforeAnswerWithResponse(ctx, agentA, as)
	env := want(t, before, err, "0")
	var info generated.CallInfo
	if json.Unmarshal(env.Result, &info) != nil || *info.Callid != callID || *info.Caller != "13800000000" {
		t.Fatalf("callinfobeforeanswer: %s", env.Result)
	}
	expect(t, "0")(d.api.AnswerWithResponse(ctx, agentA, nil, as))

	expect(t, "400-002")(d.api.SetCallDataExWithResponse(ctx, agentA, generated.SetCallDataRequest{}, as))
	expect(t, "0")(d.api.SetCallDataExWithResponse(ctx, agentA, generated.SetCallDataRequest{Calldata: ptr("order=42")}, as))
	data, err := d.api.GetAppDataWithResponse(ctx, agentA, &generated.GetAppDataParams{CallId: &callID}, as)
	want(t, data, err, "0")
	if *data.JSON200.Result != "order=42" {
		t.Fatalf("appdata %q", *data.JSON200.Result)
	}
	encoded := base64.StdEncoding.EncodeToString([]byte("vip"))
	expect(t, "0")(d.api.SetCallDataExWithResponse(ctx, agentA, generated.SetCallDataRequest{
		Callid: &callID, Calldata: &encoded, IsDataEncoded: ptr(true)}, as))
	data, err = d.api.GetAppDataWithResponse(ctx, agentA, &generated.GetAppDataParams{IsEncodeResult: ptr(true)}, as)
	want(t, data, err, "0")
	if *data.JSON200.Result != encoded {
		t.Fatalf("encoded appdata %q, want %q", *data.JSON200.Result, encoded)
	}
	expect(t, "000-002")(d.api.SetCallDataExWithResponse(ctx, agentA, generated.SetCallDataRequest{
		Calldata: ptr("not base64!"), IsDataEncoded: ptr(true)}, as))
	expect(t, "100-007")(d.api.GetAppDataWithResponse(ctx, agentA, &generated.GetAppDataParams{CallId: ptr("1-999")}, as))

	now, err := d.api.GetCallInfoWithResponse(ctx, agentA, nil, as)
	want(t, now, err, "0")
	if c := now.JSON200.Result; *c.Callid != callID || *c.Calldata != "vip" || *c.Callfeature != 0 || *c.Begintime == 0 {
		t.Fatalf("callinfo: %s", now.Body)
	}
	byID, err := d.api.GetCallInfoByCallIDWithResponse(ctx, agentA, callID, as)
	want(t, byID, err, "0")
	expect(t, "100-007")(d.api.GetCallInfoByCallIDWithResponse(ctx, agentA, "1-999", as))
	ids, err := d.api.GetAllCallInfoExWithResponse(ctx, agentB, agentA, d.as(agentB))
	env = want(t, ids, err, "0")
	if string(env.Result) != `["`+callID+`"]` {
		t.Fatalf("allcallinfoEx: %s", env.Result)
	}
	expect(t, "100-007")(d.api.GetAllCallInfoExWithResponse(ctx, agentB, 30000, d.as(agentB)))

	// After the call: the last call unless isNoContainLastCall.
	expect(t, "0")(d.api.ReleaseWithResponse(ctx, agentA, as))
	last, err := d.api.GetCallInfoWithResponse(ctx, agentA, nil, as)
	want(t, last, err, "0")
	if last.JSON200.Result.Callid == nil || *last.JSON200.Result.Callid != callID {
		t.Fatalf("callinfo after the call: %s", last.Body)
	}
	none, err := d.api.GetCallInfoWithResponse(ctx, agentA, &generated.GetCallInfoParams{IsNoContainLastCall: ptr(true)}, as)
	want(t, none, err, "0")
	if none.JSON200.Result.Callid != nil {
		t.Fatalf("isNoContainLastCall: %s", none.Body)
	}
}
