package wrapper_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/internal/vendorexamples"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// Every event example the vendor publishes, served as the gateway would
// (wrapped or bare, with eventGenTime or jsonKey where the page shows
// them), comes out of PollEvent, Poll and the push handler with its content
// decoded into the typed model, no error and no field dropped.
func TestVendorEventExamplesDecode(t *testing.T) {
	examples, err := vendorexamples.Events()
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	for i, ex := range examples {
		t.Run(fmt.Sprintf("%02d_%s_%s", i, ex.EventType, ex.Page), func(t *testing.T) {
			reply := asAgent(t, ex.Example, "20001") // the session's agent, so Poll keeps it
			event := asAgent(t, ex.Object(), "20001")

			g := newGateway(t)
			s := g.session()
			g.reply("GET /agentevent/20001", string(reply))
			got, err := s.PollEvent(testContext(t), nil)
			require.NoError(t, err)
			require.Len(t, got, 1)
			checkDecoded(t, ex, got[0])

			g = newGateway(t)
			s = g.session()
			scriptedPoll(g, nil, string(reply))
			events, _ := startPoll(t, s)
			checkDecoded(t, ex, <-events)

			var pushed []wrapper.Event
			h := fleet.PushHandler("", func(ev wrapper.Event) { pushed = append(pushed, ev) })
			body := `{"workNo":"20001","eventList":[` + string(event) + `]}`
			req := httptest.NewRequest(http.MethodPost, "/cb", strings.NewReader(body))
			req.Header.Set("Content-Type", jsonUTF8)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
			require.Len(t, pushed, 1)
			checkDecoded(t, ex, pushed[0])
		})
	}
}

// asAgent returns the example with its event's workNo set to agent.
func asAgent(t *testing.T, raw json.RawMessage, agent string) json.RawMessage {
	t.Helper()
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&doc))
	ev := doc
	if inner, ok := doc["event"].(map[string]any); ok {
		ev = inner
	}
	ev["workNo"] = agent
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// checkDecoded: the event has the example's type and generation time, its
// call ID is the one the content names, and Decode gives the typed model
// holding every field of the published content (jsonKey aside, a
// serializer's artefact) with the same value.
func checkDecoded(t *testing.T, ex vendorexamples.Event, ev wrapper.Event) {
	t.Helper()
	var want struct {
		EventType    string          `json:"eventType"`
		EventGenTime *int64          `json:"eventGenTime"`
		Content      json.RawMessage `json:"content"`
	}
	require.NoError(t, json.Unmarshal(ex.Object(), &want))
	assert.Equal(t, want.EventType, ev.EventType)
	assert.Equal(t, want.EventGenTime, ev.EventGenTime, "eventGenTime")

	v, err := ev.Decode()
	require.NoError(t, err)
	content := bytes.TrimSpace(want.Content)
	switch {
	case len(content) == 0 || string(content) == "null":
		assert.Nil(t, v, "documented without content")
		assert.Empty(t, ev.CallID())
	case content[0] == '"':
		var id string
		require.NoError(t, json.Unmarshal(content, &id))
		got, ok := v.(*string)
		require.True(t, ok, "%T for a call-ID content", v)
		assert.Equal(t, id, *got)
		assert.Equal(t, id, ev.CallID())
	default:
		require.NotNil(t, v, "%s has no content model", ev.EventType)
		decoded, err := json.Marshal(v)
		require.NoError(t, err)
		wantFields, gotFields := scalars(t, content), scalars(t, decoded)
		for k := range wantFields {
			if k == "jsonKey" || strings.HasSuffix(k, ".jsonKey") {
				delete(wantFields, k)
			}
		}
		assert.Equal(t, wantFields, gotFields, "decoded %T", v)
		id := wantFields["callid"] + wantFields["callId"]
		assert.Equal(t, id, ev.CallID())
	}
}

// scalars flattens a JSON object into path -> value text, so that 5 and
// "5" compare equal: the models keep each value, not always its JSON kind
// (the vendor sends some fields as a string in one event, a number in
// another).
func scalars(t *testing.T, raw []byte) map[string]string {
	t.Helper()
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&doc))
	out := map[string]string{}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(strings.TrimPrefix(prefix+"."+k, "."), e)
			}
		case []any:
			b, _ := json.Marshal(x)
			out[prefix] = string(b)
		case nil:
			out[prefix] = "null"
		default:
			out[prefix] = fmt.Sprint(x)
		}
	}
	walk("", doc)
	return out
}
