package wrapper

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
)

// events reads a poll reply with body and decodes its events after dst.
func events(t *testing.T, dst []Event, body string) ([]Event, error) {
	r, err := readReply(testCtx(t), replyOwner{Op: "PollEvent", AgentID: 20001}, response(200, jsonUTF8, body), limit)
	require.NoError(t, err)
	defer r.Release()
	return r.Events(dst)
}

func types(evs []Event) []string {
	var s []string
	for _, ev := range evs {
		s = append(s, ev.EventType+"@"+ev.Agent())
	}
	return s
}

func TestEventsMember(t *testing.T) {
	for _, tc := range []struct {
		name, event string
		want        []string
	}{
		{"object", `{"eventType":"AgentOther_InService","workNo":"20001","content":null}`, []string{"AgentOther_InService@20001"}},
		{"numeric workNo", `{"eventType":"AgentState_Ready","workNo":20001}`, []string{"AgentState_Ready@20001"}},
		{"no workNo", `{"eventType":"AgentState_Ready"}`, []string{"AgentState_Ready@"}},
		{"array", `[{"eventType":"A","workNo":"1"},{"eventType":"B","workNo":"2"}]`, []string{"A@1", "B@2"}},
		{"empty array", `[]`, nil},
		{"null", `null`, nil},
		{"empty string", `""`, nil},
		{"empty object", `{}`, nil},
		{"object of nulls", `{"eventType":null,"content":null}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prior := []Event{{Event: generated.Event{EventType: "Prior"}}}
			got, err := events(t, prior, `{"message":"","retcode":"0","event":`+tc.event+`}`)
			require.NoError(t, err)
			assert.Equal(t, append([]string{"Prior@"}, tc.want...), types(got), "appended after dst")
		})
	}
	got, err := events(t, nil, `{"message":"","retcode":"0"}`)
	require.NoError(t, err)
	assert.Empty(t, got, "no event member, no event")
}

func TestEventsMalformed(t *testing.T) {
	for name, event := range map[string]string{
		"untyped object":      `{"workNo":"1"}`,
		"untyped array entry": `[{"eventType":"A"},{"workNo":"1"}]`,
		"null array entry":    `[null]`,
		"number":              `42`,
		"string":              `"AgentState_Ready"`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := events(t, nil, `{"retcode":"0","event":`+event+`}`)
			var re *ReplyError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, "malformed event", re.Reason)
			assert.ErrorIs(t, err, ErrBadReply)
		})
	}
}

func TestParsePush(t *testing.T) {
	evs, err := ParsePush("application/json", []byte(`{"workNo":"20001","eventList":[
		{"eventType":"AgentEvent_Ringing","content":{"callid":"1-1"}},
		{"eventType":"AgentState_Ready","workNo":"20002"}]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"AgentEvent_Ringing@20001", "AgentState_Ready@20002"}, types(evs),
		"the body's workNo fills only events without their own")

	evs, err = ParsePush("application/json", []byte(`{"workNo":20003,"eventList":[{"eventType":"A"}]}`))
	require.NoError(t, err)
	assert.Equal(t, []string{"A@20003"}, types(evs), "a numeric workNo too")

	for _, bad := range []string{`{"workNo":"1","eventList":{}}`, `{"workNo":"1"}`, `{"eventList":null}`, `[]`, "\xff", `{"eventList":[{"workNo":"1"}]}`} {
		_, err := ParsePush("application/json", []byte(bad))
		assert.Error(t, err, "%q", bad)
	}
}

func TestEventDecode(t *testing.T) {
	evs, err := DecodeEventReply([]byte(`{"retcode":"0","event":{"eventType":"AgentEvent_Talking","workNo":"20001",
		"content":{"caller":"13800000000","called":88001,"callid":"1700000000-1"}}}`))
	require.NoError(t, err)
	require.Len(t, evs, 1)
	v, err := evs[0].Decode()
	require.NoError(t, err)
	talking, ok := v.(*generated.TalkingContent)
	require.True(t, ok, "got %T", v)
	require.NotNil(t, talking.Callid)
	assert.Equal(t, "1700000000-1", string(*talking.Callid))
	require.NotNil(t, talking.Called)
	assert.Equal(t, "88001", string(*talking.Called), "a number decodes as a string")

	unknown := Event{Event: generated.Event{EventType: "AgentEvent_FromTheFuture", Content: []byte(`{"x":1}`)}}
	v, err = unknown.Decode()
	assert.NoError(t, err)
	assert.Nil(t, v, "a type the spec does not model")

	empty := Event{Event: generated.Event{EventType: "AgentEvent_Talking", Content: []byte(`null`)}}
	v, err = empty.Decode()
	assert.NoError(t, err)
	assert.Nil(t, v, "null content")

	bad := Event{Event: generated.Event{EventType: "AgentEvent_Talking", Content: []byte(`[1]`)}}
	_, err = bad.Decode()
	assert.ErrorContains(t, err, "AgentEvent_Talking content")
}

func TestDecodeEventReplyAPIError(t *testing.T) {
	evs, err := DecodeEventReply([]byte(`{"retcode":"100-006","message":"agent not signed in"}`))
	assert.Empty(t, evs)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "100-006", apiErr.RetCode)
	assert.Equal(t, "PollEvent", apiErr.Op)
	assert.Equal(t, "agent not signed in", apiErr.Message)
	assert.ErrorIs(t, err, ErrNotSignedIn)

	_, err = DecodeEventReply([]byte("\xc4\xe3"))
	assert.ErrorIs(t, err, ErrBadReply)
}
