package wrapper_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// An operation whose reply carries a result returns it: typed where a page
// documents it, as sent where none does.
func TestResultsAreReturned(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	ctx := testContext(t)
	const list = `[{"workno":"20002","status":4}]`
	for _, line := range []string{"GET /agentgroup/20001/onlineagentonvdn", "GET /agentgroup/20001/agentongroupex",
		"GET /qualitycontrol/20001/allagent", "GET /agentgroup/20001/restreason", "GET /agentgroup/20001/grouponvdn"} {
		g.reply(line, `{"message":"","retcode":"0","result":`+list+`}`)
	}
	for name, call := range map[string]func() ([]byte, error){
		"GetOnlineAgentsOnVdn": func() ([]byte, error) { return s.GetOnlineAgentsOnVdn(ctx) },
		"GetAgentsOnGroupEx": func() ([]byte, error) {
			return s.GetAgentsOnGroupEx(ctx, &generated.GetAgentsOnGroupExParams{Groupid: 1})
		},
		"GetQualityControlAgents": func() ([]byte, error) { return s.GetQualityControlAgents(ctx) },
		"GetRestReasons":          func() ([]byte, error) { return s.GetRestReasons(ctx) },
		"GetGroupsOnVdn":          func() ([]byte, error) { return s.GetGroupsOnVdn(ctx) },
	} {
		raw, err := call()
		require.NoError(t, err, name)
		require.JSONEq(t, list, string(raw), name)
	}

	g.reply("GET /agentgroup/20001/agentbyworkno/20002", `{"message":"","retcode":"0","result":{"workno":20002,"name":"Bo","status":"4","groupname":"sales","callids":["1-1"],"hiredate":"2020"}}`)
	info, err := s.GetAgentByWorkNo(ctx, 20002)
	require.NoError(t, err)
	require.Equal(t, "20002", string(*info.Workno), "a number decodes as the ID string")
	require.EqualValues(t, 4, *info.Status, "a numeric string decodes as the state code")
	require.JSONEq(t, `["1-1"]`, string(info.Callids))
	require.Equal(t, map[string]any{"hiredate": "2020"}, info.AdditionalProperties, "an unlisted field is kept")

	g.reply("GET /calldata/20001/allcallinfoEx/20002", `{"message":"","retcode":"0","result":["1456297722-1253","1456297463-1249"]}`)
	ids, err := s.GetAllCallInfoEx(ctx, 20002)
	require.NoError(t, err)
	require.Equal(t, []string{"1456297722-1253", "1456297463-1249"}, []string(ids))
}

// A reply nested deeper than encoding/json allows is a bad reply, found
// before the decoder recurses: for results, typed or raw, and event polls.
func TestDeepRepliesAreReplyErrors(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	ctx := testContext(t)
	nest := func(n int) string { return strings.Repeat(`{"x":`, n) + "1" + strings.Repeat("}", n) }
	const reason = "JSON nested deeper than 10000 levels"

	g.reply("GET /agentgroup/20001/agentbyworkno/20002", `{"message":"","retcode":"0","result":`+nest(10000)+`}`)
	_, err := s.GetAgentByWorkNo(ctx, 20002)
	re, ok := errors.AsType[*wrapper.ReplyError](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, reason, re.Reason)

	g.reply("GET /agentgroup/20001/restreason", `{"message":"","retcode":"0","result":`+nest(10000)+`}`)
	_, err = s.GetRestReasons(ctx)
	require.ErrorIs(t, err, wrapper.ErrBadReply)
	require.ErrorContains(t, err, reason)

	g.reply("GET /agentevent/20001", `{"message":"","retcode":"0","event":{"eventType":"X","content":`+nest(9999)+`}}`)
	_, err = s.PollEvent(ctx, nil)
	require.ErrorIs(t, err, wrapper.ErrBadReply)
	require.ErrorContains(t, err, reason)

	g.reply("GET /agentgroup/20001/grouponvdn", `{"message":"","retcode":"0","result":`+nest(9999)+`}`)
	raw, err := s.GetGroupsOnVdn(ctx)
	require.NoError(t, err, "10,000 levels")
	require.Len(t, raw, len(nest(9999)))
}
