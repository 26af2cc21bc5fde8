package wrapper_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// TestBadInputSendsNothing checks every documented bound: the call fails
// with a *ValidationError naming the field and no request leaves the process.
func TestBadInputSendsNothing(t *testing.T) {
	g := newGateway(t) // no voicecall routes: any request fails the test
	s := g.session()
	wide := g.client(wrapper.WithWideAgentIDs())
	c := g.client()
	ctx := testContext(t)
	callout := func(body generated.CalloutRequest) error { _, err := s.Callout(ctx, body); return err }
	signIn := func(cl *wrapper.Client, id int, o wrapper.SignInOptions) error {
		_, err := cl.SignIn(ctx, id, o)
		return err
	}
	good := wrapper.SignInOptions{Phone: testPhone, Password: testPass}
	with := func(f func(*wrapper.SignInOptions)) wrapper.SignInOptions { o := good; f(&o); return o }

	tests := []struct {
		name  string
		field string
		call  func() error
	}{
		{"destWorkNo below range", "destWorkNo", func() error { return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 100}) }},
		{"destWorkNo above range", "destWorkNo", func() error { return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 60000}) }},
		{"destWorkNo zero", "destWorkNo", func() error { return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 0}) }},
		{"destWorkNo negative", "destWorkNo", func() error { return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: -20002}) }},
		{"PickUp destWorkNo", "destWorkNo", func() error { _, err := s.PickUp(ctx, 1_000_000); return err }},
		{"agentid below range", "agentid", func() error { return signIn(c, 100, good) }},
		{"agentid above default range", "agentid", func() error { return signIn(c, 60000, good) }},
		{"agentid above wide range", "agentid", func() error { return signIn(wide, 1_000_000, good) }},
		{"phone empty", "phonenum", func() error { return signIn(c, agentA, with(func(o *wrapper.SignInOptions) { o.Phone = "" })) }},
		{"phone letters", "phonenum", func() error { return signIn(c, agentA, with(func(o *wrapper.SignInOptions) { o.Phone = "88a01" })) }},
		{"phone too long", "phonenum", func() error {
			return signIn(c, agentA, with(func(o *wrapper.SignInOptions) { o.Phone = strings.Repeat("1", 25) }))
		}},
		{"password empty", "password", func() error { return signIn(c, agentA, with(func(o *wrapper.SignInOptions) { o.Password = "" })) }},
		{"password too long", "password", func() error {
			return signIn(c, agentA, with(func(o *wrapper.SignInOptions) { o.Password = strings.Repeat("p", 33) }))
		}},
		{"agent type", "agenttype", func() error { return signIn(c, agentA, with(func(o *wrapper.SignInOptions) { o.AgentType = 5 })) }},
		{"callout called empty", "called", func() error { return callout(generated.CalloutRequest{}) }},
		{"callout called bad char", "called", func() error { return callout(generated.CalloutRequest{Called: "123-456"}) }},
		{"callout called too long", "called", func() error { return callout(generated.CalloutRequest{Called: strings.Repeat("1", 25)}) }},
		{"callout caller", "caller", func() error { return callout(generated.CalloutRequest{Called: "1", Caller: ptr("+861")}) }},
		{"callout media", "mediaability", func() error { return callout(generated.CalloutRequest{Called: "1", Mediaability: ptr(3)}) }},
		{"callout skill", "skillid", func() error { return callout(generated.CalloutRequest{Called: "1", Skillid: ptr(-1)}) }},
		{"callout callappdata 16 KB + 1", "callappdata", func() error {
			return callout(generated.CalloutRequest{Called: "1", Callappdata: ptr(strings.Repeat("d", 16<<10+1))})
		}},
		{"preview called", "called", func() error { return errOf(s.PreviewCallout(ctx, generated.PreviewCalloutRequest{Callcontrolid: 1})) }},
		{"callinner called empty", "called", func() error { return errOf(s.CallInner(ctx, generated.CallInnerRequest{})) }},
		{"innerhelp empty", "dstaddress", func() error { return errOf(s.InnerHelp(ctx, generated.InnerHelpRequest{Devicetype: ptr(1)})) }},
		{"innerhelp devicetype", "devicetype", func() error {
			return errOf(s.InnerHelp(ctx, generated.InnerHelpRequest{Dstaddress: "20002", Devicetype: ptr(-1)}))
		}},
		{"answer empty callid", "callid", func() error { return s.Answer(ctx, &generated.AnswerParams{Callid: ptr("")}) }},
		{"unhold empty callid", "callid", func() error { return s.GetHold(ctx, &generated.GetHoldParams{Callid: ptr("")}) }},
		{"transfer devicetype", "devicetype", func() error { return s.Transfer(ctx, generated.TransferRequest{Devicetype: 6, Address: "1"}) }},
		{"transfer address empty", "address", func() error { return s.Transfer(ctx, generated.TransferRequest{Devicetype: 2}) }},
		{"transfer address long", "address", func() error {
			return s.Transfer(ctx, generated.TransferRequest{Devicetype: 2, Address: strings.Repeat("1", 25)})
		}},
		{"transfer mode", "mode", func() error { return s.Transfer(ctx, generated.TransferRequest{Devicetype: 2, Address: "1", Mode: 5}) }},
		{"digits empty", "number", func() error { return s.SecondDialEx(ctx, &generated.SecondDialExParams{Number: ""}) }},
		{"digits bad char", "number", func() error { return s.SecondDialEx(ctx, &generated.SecondDialExParams{Number: "12a"}) }},
		{"digits too long", "number", func() error {
			return s.SecondDialEx(ctx, &generated.SecondDialExParams{Number: strings.Repeat("#", 25)})
		}},
		{"legacy digits", "number", func() error { return s.SecondDial(ctx, "12#") }},
		{"confjoin callid", "callid", func() error { return s.ConfJoin(ctx, generated.ConfJoinRequest{}) }},
		{"confjoin callappdata", "callappdata", func() error {
			return s.ConfJoin(ctx, generated.ConfJoinRequest{Callid: "1-2", Callappdata: ptr(strings.Repeat("d", 16<<10+1))})
		}},
		{"connecthold callid", "callid", func() error { return s.ConnectHold(ctx, "") }},
		{"disconnect letters", "number", func() error { return s.Disconnect(ctx, "abc") }},
		{"disconnect empty", "number", func() error { return s.Disconnect(ctx, "") }},
		{"dropcall callid", "callid", func() error { return s.DropCall(ctx, "") }},
		{"reportsound nil", "body", func() error { return s.ReportSound(ctx, nil) }},
		{"requestcall skilltype", "skilltype", func() error { return s.RequestCall(ctx, "1-2", 2, nil) }},
		{"requestcall callid", "callid", func() error { return s.RequestCall(ctx, "", 0, nil) }},
		{"adjustskill too many skills", "skills", func() error {
			return s.AdjustSkill(ctx, generated.AdjustSkillRequest{WorkNo: "20002", Skills: make([]int, 1001)})
		}},
		{"adjustskill workNo", "workNo", func() error { return s.AdjustSkill(ctx, generated.AdjustSkillRequest{WorkNo: "x", Skills: []int{1}}) }},
		{"acdstat too many skills", "skills", func() error { return errOf(s.QueryAcdStat(ctx, generated.AcdStatRequest{Skills: make([]int, 101)})) }},
		{"heartbeat token", "service_token", func() error { return s.Handshake(ctx, &generated.HandshakeParams{ServiceToken: ptr("bad token!")}) }},
		{"acdstat without skills", "skills", func() error { return errOf(s.QueryAcdStat(ctx, generated.AcdStatRequest{})) }},
		{"acdstat negative skill", "skills[]", func() error { return errOf(s.QueryAcdStat(ctx, generated.AcdStatRequest{Skills: []int{-1}})) }},
		{"rest time", "time", func() error { return s.Rest(ctx, -1, 0, nil) }},
		{"poll nil handler", "handle", func() error { return s.Poll(ctx, nil, wrapper.PollOptions{}) }},
		{"resume empty guid", "guid", func() error { _, err := c.Resume(agentA, ""); return err }},
		{"resume agent", "agentid", func() error { _, err := c.Resume(99, testGuid); return err }},
	}
	before := g.count()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Error(t, err)
			assert.ErrorIs(t, err, wrapper.ErrInvalidArgument)
			var ve *wrapper.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, tt.field, ve.Field)
			assert.NotEmpty(t, ve.Rule)
			assert.NotContains(t, err.Error(), testPass)
		})
	}
	assert.Equal(t, before, g.count(), "no request may leave the process for bad input")
}

func TestWideAgentIDsAreOneOptionAway(t *testing.T) {
	g := newGateway(t)
	g.reply("PUT /voicecall/600001/snatchpickup", okReply)
	g.reply("PUT /onlineagent/600001", okReply, "Set-GUID", "JSESSIONID="+testGuid)
	ctx := testContext(t)

	_, err := g.client().SignIn(ctx, 600001, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.ErrorIs(t, err, wrapper.ErrInvalidArgument, "the default range is the 2023 one")

	s, err := g.client(wrapper.WithWideAgentIDs()).SignIn(ctx, 600001, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.NoError(t, err)
	require.NoError(t, s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 999999}))
	require.Equal(t, "destWorkNo=999999", g.last().URL.RawQuery)
	require.ErrorIs(t, s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 1_000_000}), wrapper.ErrInvalidArgument)

	_, err = wrapper.NewClient(g.srv.URL, wrapper.WithAgentIDRange(200, 100))
	require.Error(t, err)
}

func TestCanceledContextSendsNothing(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	before := g.count()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB})
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, before, g.count())
}

// errOf drops a result, for calls checked only for their error.
func errOf[T any](_ T, err error) error { return err }
