package openapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/openapi"
)

// sessionOperations are the operations around the vendor lists in
// /work/shared/api that an agent needs: the rest of the session and the
// per-agent event poll. Paths are relative to /agentgateway/resource.
var sessionOperations = map[string]string{
	"PUT /onlineagent/{agentid}/forcelogin":     "ForceSignIn",
	"DELETE /onlineagent/{agentid}/logout":      "SignOut",
	"DELETE /onlineagent/{agentid}/forcelogout": "ForceSignOut",
	"POST /onlineagent/{agentid}/handshake":     "Handshake",
	"PUT /onlineagent/{agentid}/updateGuid":     "UpdateGuid",
	"GET /agentevent/{agentid}":                 "PollEvent",
}

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	spec, err := openapi.Load()
	require.NoError(t, err)
	require.NoError(t, spec.Validate(context.Background()), "embedded spec must pass kin-openapi validation")
	return spec
}

type operation struct {
	method, path string
	op           *openapi3.Operation
	item         *openapi3.PathItem
}

func operations(spec *openapi3.T) []operation {
	var ops []operation
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{method, path, op, item})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].method+ops[i].path < ops[j].method+ops[j].path })
	return ops
}

func TestSpecServer(t *testing.T) {
	spec := loadSpec(t)
	require.Len(t, spec.Servers, 1)
	s := spec.Servers[0]
	require.Equal(t, "https://{host}:{port}/agentgateway/resource", s.URL)
	require.Equal(t, "8043", s.Variables["port"].Default)
}

func TestEveryOperationIsDocumented(t *testing.T) {
	spec := loadSpec(t)
	tags := map[string]bool{}
	for _, tag := range spec.Tags {
		tags[tag.Name] = true
	}
	for _, o := range operations(spec) {
		id := o.op.OperationID
		t.Run(id, func(t *testing.T) {
			require.NotEmpty(t, id)
			require.Len(t, o.op.Tags, 1)
			require.True(t, tags[o.op.Tags[0]], "tag %q is declared", o.op.Tags[0])
			require.Equal(t, strings.SplitN(o.path, "/", 3)[1], o.op.Tags[0], "tag follows the resource")
			require.NotEmpty(t, o.op.Summary)
			require.Contains(t, o.op.Description, "Error codes", "description lists error codes")
			require.NotEmpty(t, o.op.Extensions["x-log-name"], "x-log-name")
			require.NotEmpty(t, o.op.Extensions["x-error-codes"], "x-error-codes")
			require.Contains(t, o.op.Extensions, "x-events")
			reason, _ := o.op.Extensions["x-deprecated-reason"].(string)
			require.Equal(t, reason != "", o.op.Deprecated, "deprecated exactly when a reason is given")
			if o.op.Deprecated {
				require.True(t, strings.HasPrefix(o.op.Description, "Deprecated:"), "deprecation says why")
			}
			resp := o.op.Responses.Value("200")
			require.NotNil(t, resp, "200 response")
			require.NotNil(t, resp.Value.Content.Get("application/json"), "JSON reply")

			// Sign-in is the only unauthenticated call, and the all-agents
			// poll may come without a Guid; it and the calls that can rotate
			// the Guid declare Set-GUID.
			signIn := id == "SignIn" || id == "ForceSignIn"
			switch {
			case signIn:
				require.NotNil(t, o.op.Security)
				require.Empty(t, *o.op.Security)
			case id == "PollAllAgentEvents":
				require.NotNil(t, o.op.Security)
				require.Len(t, *o.op.Security, 2)
				require.Empty(t, (*o.op.Security)[0], "no Guid is one way")
			default:
				require.Nil(t, o.op.Security, "inherits the Guid requirement")
			}
			_, hasSetGUID := resp.Value.Headers["Set-GUID"]
			require.Equal(t, signIn || id == "PollEvent" || id == "Handshake", hasSetGUID, "Set-GUID header")
		})
	}
	require.Contains(t, spec.Security[0], "Guid")
	g := spec.Components.SecuritySchemes["Guid"].Value
	require.Equal(t, "apiKey", g.Type)
	require.Equal(t, "header", g.In)
	require.Equal(t, "Guid", g.Name)
}

func TestParameterBounds(t *testing.T) {
	spec := loadSpec(t)
	for _, o := range operations(spec) {
		params := map[string]*openapi3.Schema{}
		for _, p := range o.op.Parameters {
			params[p.Value.Name] = p.Value.Schema.Value
			require.NotEmpty(t, p.Value.Description, "%s %s", o.op.OperationID, p.Value.Name)
		}
		if o.op.OperationID != "PollAllAgentEvents" {
			require.NotNil(t, params["agentid"], o.op.OperationID)
		}
		for _, p := range o.op.Parameters {
			isAgent, _ := p.Value.Extensions["x-agent-id"].(bool)
			switch p.Value.Name {
			case "agentid", "destWorkNo", "workNo", "workno", "whisperagentid":
				require.True(t, isAgent, "%s %s carries x-agent-id", o.op.OperationID, p.Value.Name)
			}
			if isAgent {
				s := p.Value.Schema.Value
				require.Equal(t, "integer", s.Type.Slice()[0], "%s %s", o.op.OperationID, p.Value.Name)
				require.Equal(t, 101.0, *s.Min, "%s %s", o.op.OperationID, p.Value.Name)
				require.Equal(t, 59999.0, *s.Max, "%s %s", o.op.OperationID, p.Value.Name)
			}
		}
		if n, ok := params["number"]; ok {
			require.NotEmpty(t, n.Pattern, "%s number pattern", o.op.OperationID)
			require.EqualValues(t, 24, *n.MaxLength)
			require.EqualValues(t, 1, n.MinLength)
		}
		if c, ok := params["callid"]; ok {
			require.EqualValues(t, 1, c.MinLength, o.op.OperationID)
		}
	}
	snatch := spec.Paths.Find("/voicecall/{agentid}/snatchpickup").Put
	dest := snatch.Parameters.GetByInAndName("query", "destWorkNo")
	require.NotNil(t, dest)
	require.True(t, dest.Required)
	require.Equal(t, 101.0, *dest.Schema.Value.Min)
	require.Equal(t, 59999.0, *dest.Schema.Value.Max)
	require.Contains(t, dest.Description, "999999", "the 2025 range is noted")
	require.Nil(t, snatch.RequestBody, "snatchpickup has no body")

	schemas := spec.Components.Schemas
	require.EqualValues(t, 16384, *schemas["CallAppData"].Value.MaxLength)
	require.Equal(t, "^[0-9*#]{1,24}$", schemas["DialString"].Value.Pattern)
	require.EqualValues(t, 32, *schemas["SignInRequest"].Value.Properties["password"].Value.MaxLength)
	require.EqualValues(t, 24, *schemas["SignInRequest"].Value.Properties["phonenum"].Value.MaxLength)
	require.Equal(t, []string{"retcode"}, schemas["Envelope"].Value.Required)
}

// TestEnvelopeResultIsTolerant checks the shapes gateways really send for
// result: an object, null, and "" on errors.
func TestEnvelopeResultIsTolerant(t *testing.T) {
	spec := loadSpec(t)
	env := spec.Components.Schemas["Envelope"].Value
	for _, body := range []any{
		map[string]any{"retcode": "0", "message": "success", "result": map[string]any{}},
		map[string]any{"retcode": "0", "result": nil},
		map[string]any{"retcode": "100-006", "message": "agent not login", "result": ""},
	} {
		require.NoError(t, env.VisitJSON(body), "%v", body)
	}
	require.Error(t, env.VisitJSON(map[string]any{"retcode": 0}), "retcode is a string")

	ev := spec.Components.Schemas["EventEnvelope"].Value
	event := map[string]any{"eventType": "AgentOther_InService", "workNo": "291", "content": nil}
	require.NoError(t, ev.VisitJSON(map[string]any{"retcode": "0", "message": "", "event": event}))
	require.NoError(t, ev.VisitJSON(map[string]any{"retcode": "0", "event": []any{event, event}}))
	require.NoError(t, ev.VisitJSON(map[string]any{"retcode": "0", "event": nil}))
	for _, name := range []string{"NoContent", "PhoneOffhookContent", "PhoneReleaseContent",
		"TalkingContent", "RingingContent", "IncomingCallInfoContent", "RecordContent"} {
		require.Contains(t, schemas(spec), name)
	}
}

func schemas(spec *openapi3.T) []string {
	var names []string
	for n := range spec.Components.Schemas {
		names = append(names, n)
	}
	return names
}

func TestStdHTTPHandlerRegisters(t *testing.T) {
	var si generated.ServerInterface = generated.NewStrictHandler(nil, nil)
	mux := http.NewServeMux()
	var h http.Handler
	require.NotPanics(t, func() {
		h = generated.HandlerWithOptions(si, generated.StdHTTPServerOptions{
			BaseURL:    "/agentgateway/resource",
			BaseRouter: mux,
		})
	})
	require.Same(t, mux, h, "the handler is the router it registered on")

	// Every operation of the spec is routed under the base URL, with its
	// method; nothing is routed outside it.
	fill := strings.NewReplacer("{agentid}", "20001", "{number}", "4711", "{callid}", "1-2", "{skilltype}", "1")
	for _, o := range operations(loadSpec(t)) {
		req := httptest.NewRequest(o.method, "/agentgateway/resource"+fill.Replace(o.path), nil)
		_, pattern := mux.Handler(req)
		require.Equal(t, o.method+" /agentgateway/resource"+o.path, pattern, "route of %s", o.op.OperationID)
	}
	_, pattern := mux.Handler(httptest.NewRequest(http.MethodPut, "/voicecall/20001/answer", nil))
	require.Empty(t, pattern, "an operation is routed outside the base URL")
}

// TestSnatchPickupRequest pins the exact request the generated client builds
// for the headline operation.
func TestSnatchPickupRequest(t *testing.T) {
	type seen struct {
		Method, Path, RawQuery, ContentType string
		Body                                []byte
		ContentLength                       int64
	}
	got := make(chan seen, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), body, r.ContentLength}
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = io.WriteString(w, `{"result":{},"message":"success","retcode":"0"}`)
	}))
	defer srv.Close()

	// Bodyless requests get no Content-Type from the generator; the vendor
	// requires one, so callers (the wrapper does) add it with an editor.
	setContentType := func(_ context.Context, r *http.Request) error {
		r.Header.Set("Content-Type", "application/json; charset=UTF-8")
		return nil
	}
	c, err := generated.NewClientWithResponses(srv.URL+"/agentgateway/resource",
		generated.WithRequestEditorFn(setContentType))
	require.NoError(t, err)
	resp, err := c.SnatchPickupWithResponse(context.Background(), 20001,
		&generated.SnatchPickupParams{DestWorkNo: 20002})
	require.NoError(t, err)
	require.NotNil(t, resp.JSON200)
	require.Equal(t, "0", resp.JSON200.Retcode)

	want := seen{
		Method:      http.MethodPut,
		Path:        "/agentgateway/resource/voicecall/20001/snatchpickup",
		RawQuery:    "destWorkNo=20002",
		ContentType: "application/json; charset=UTF-8",
		Body:        []byte{},
	}
	require.Empty(t, cmp.Diff(want, <-got), "request differs (-want +got)")
}

// Push mode is declared as a callback of SignIn whose body is the
// PushEventList schema; the generated callback client builds a request
// that the schema accepts.
func TestPushCallback(t *testing.T) {
	spec := loadSpec(t)
	signIn := spec.Paths.Value("/onlineagent/{agentid}").Put
	cb := signIn.Callbacks["pushEvents"]
	require.NotNil(t, cb, "SignIn declares the pushEvents callback")
	post := cb.Value.Value("{$request.body#/callBackUri}").Post
	require.NotNil(t, post)
	body := post.RequestBody.Value.Content.Get("application/json").Schema.Value
	require.Equal(t, spec.Components.Schemas["PushEventList"].Value, body)

	workNo := "20001"
	req, err := generated.NewPushEventsCallbackRequest("http://127.0.0.1:9/agentevent/pushresult",
		&generated.PushEventsParams{Guid: ptr("g"), ServiceToken: ptr("tok3n")},
		generated.PushEventList{WorkNo: generated.FlexString(workNo), EventList: []generated.Event{
			{EventType: "AgentEvent_Ringing", WorkNo: ptr(generated.FlexString(workNo)), Content: []byte(`{"callid":"1-2"}`)},
			{EventType: "AgentOther_PhoneRelease", Content: []byte(`null`)},
		}})
	require.NoError(t, err)
	require.Equal(t, "tok3n", req.Header.Get("service_token"))
	raw, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	var decoded any
	require.NoError(t, json.Unmarshal(raw, &decoded))
	require.NoError(t, body.VisitJSON(decoded), "%s", raw)
	require.Error(t, body.VisitJSON(map[string]any{"workNo": "20001"}), "eventList is required")
}

func ptr[T any](v T) *T { return &v }

// TestEveryErrorCodeHasAMeaning: the wrapper's RetCodeText is generated
// from x-retcodes, so every code an operation lists must be there.
func TestEveryErrorCodeHasAMeaning(t *testing.T) {
	spec := loadSpec(t)
	meanings, ok := spec.Extensions["x-retcodes"].(map[string]any)
	require.True(t, ok, "x-retcodes")
	for _, o := range operations(spec) {
		codes, _ := o.op.Extensions["x-error-codes"].([]any)
		for _, c := range codes {
			assert.Contains(t, meanings, fmt.Sprint(c), "%s lists %v", o.op.OperationID, c)
		}
	}
}
