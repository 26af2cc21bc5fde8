package agwtest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/openapi"
)

func TestRequestValidation(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	cases := []struct {
		name, method, path string
		body               any
		wantIn             string // a word the message must contain
	}{
		{"agentid not a number", http.MethodPut, "/voicecall/abc/snatchpickup?destWorkNo=20002", nil, "agentid"},
		{"agentid below range", http.MethodPut, "/voicecall/100/snatchpickup?destWorkNo=20002", nil, "agentid"},
		{"agentid above range", http.MethodPut, "/voicecall/60000/snatchpickup?destWorkNo=20002", nil, "agentid"},
		{"destWorkNo missing", http.MethodPut, "/voicecall/20001/snatchpickup", nil, "destWorkNo"},
		{"destWorkNo not a number", http.MethodPut, "/voicecall/20001/snatchpickup?destWorkNo=x", nil, "destWorkNo"},
		{"destWorkNo below range", http.MethodPut, "/voicecall/20001/snatchpickup?destWorkNo=100", nil, "destWorkNo"},
		{"destWorkNo above range", http.MethodPut, "/voicecall/20001/snatchpickup?destWorkNo=60000", nil, "destWorkNo"},
		{"bad digit string", http.MethodPost, "/voicecall/20001/seconddialex?number=12a", nil, "number"},
		{"digit string too long", http.MethodPost, "/voicecall/20001/seconddialex?number=" + strings.Repeat("1", 25), nil, "number"},
		{"required query missing", http.MethodPost, "/voicecall/20001/seconddialex", nil, "number"},
		{"bad path digits", http.MethodPost, "/voicecall/20001/disconnect/12a", nil, "number"},
		{"bad skilltype", http.MethodPost, "/voicecall/20001/requestcall/1-1/2", nil, "skilltype"},
		{"sign-in body missing", http.MethodPut, "/onlineagent/20002", nil, "body"},
		{"sign-in phone not digits", http.MethodPut, "/onlineagent/20002", signInBody{Password: "x", Phonenum: "12a"}, "phonenum"},
		{"sign-in password too long", http.MethodPut, "/onlineagent/20002", signInBody{Password: strings.Repeat("p", 33), Phonenum: "88002"}, "password"},
		{"sign-in field missing", http.MethodPut, "/onlineagent/20002", map[string]string{"password": "x"}, "body"},
		{"callout without called", http.MethodPut, "/voicecall/20001/callout", map[string]string{"caller": "1"}, "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, tc.method, tc.path, guid, tc.body)
			wantRetcode(t, r, "000-002")
			assert.Contains(t, r.env.Message, tc.wantIn, "the message must name the parameter")
			assert.Equal(t, `""`, string(r.env.Result), "result")
		})
	}
	st := srv.Stats()
	delete(st.Requests, "SignIn") // the valid one above
	assert.Empty(t, st.Requests, "invalid requests reached operations")
}

func TestMalformedJSONBody(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	res, err := srv.Client().Post(srv.BaseURL()+"/voicecall/20001/innerhelp", "application/json", strings.NewReader(`{"dstaddress":`))
	require.NoError(t, err)
	r := readResponse(t, res)
	wantRetcode(t, r, "000-002")
}

func TestWrongMethod(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	guid := signIn(t, srv, agentA)
	for _, tc := range []struct{ method, path string }{
		{http.MethodGet, "/voicecall/20001/snatchpickup?destWorkNo=20002"},
		{http.MethodPost, "/voicecall/20001/snatchpickup?destWorkNo=20002"},
		{http.MethodDelete, "/voicecall/20001/snatchpickup?destWorkNo=20002"},
		{http.MethodPost, "/agentevent/20001"},
		{http.MethodDelete, "/onlineagent/20001"},
		{http.MethodPut, "/voicecall/20001/phonepickup"},
	} {
		r := do(t, srv, tc.method, tc.path, guid, nil)
		wantRetcode(t, r, "000-001")
	}
}

func TestUnknownPath(t *testing.T) {
	t.Parallel()
	srv := newDemo(t)
	for _, path := range []string{
		"/agentgateway/resource/nothing",
		"/agentgateway/resource/voicecall/20001/snatchpickup/more",
		"/agentgateway/resource/voicecall/20001/",
		"/agentgateway/resource",
		"/",
		"/elsewhere/voicecall/20001/release",
	} {
		res, err := srv.Client().Get(srv.URL() + path)
		require.NoError(t, err)
		r := readResponse(t, res)
		assert.Equal(t, http.StatusNotFound, r.status, "GET %s: %s", path, r.body)
		assert.Equal(t, "000-002", r.env.Retcode, "GET %s: %s", path, r.body)
	}
}

func readResponse(t *testing.T, res *http.Response) response {
	t.Helper()
	r, err := readEnvelope(res)
	require.NoError(t, err)
	return r
}

// validBodies are minimal valid bodies of the operations that need one.
var validBodies = map[string]string{
	"SignIn":                `{"password":"x","phonenum":"1"}`,
	"ForceSignIn":           `{"password":"x","phonenum":"1"}`,
	"Callout":               `{"called":"123"}`,
	"PreviewCallout":        `{"called":"123","callcontrolid":1}`,
	"CallInner":             `{"called":"20002"}`,
	"AdjustSkill":           `{"workNo":"20002","skills":[1]}`,
	"InnerHelp":             `{"dstaddress":"20002"}`,
	"Transfer":              `{"devicetype":2,"address":"20002","mode":0}`,
	"ConfJoin":              `{"callid":"1-1"}`,
	"ReportSound":           `{}`,
	"SetCallDataEx":         `{"calldata":"x"}`,
	"QueryAcdStat":          `{"skills":[1]}`,
	"ThirdControlSetStatus": `{"agentStatus":"AgentState_Idle"}`,
	"ThirdControlCallout":   `{"called":"123"}`,
}

// validValues fill path and query parameters.
var validValues = map[string]string{
	"callid": "1-1", "number": "123", "skilltype": "0", "destWorkNo": "20002", "skillid": "1", "calldata": "x",
	"workNo": "20002", "workno": "20002", "time": "60", "restcause": "0", "reason": "1", "flag": "1",
	"isautoanswer": "true", "autoflag": "true", "switchtype": "0", "groupid": "1", "agents": "20002",
}

// TestEveryOperationIsRouted sends each operation of the embedded spec,
// with valid parameters and a signed-in agent of its own, and checks that
// it reached its operation and answered an envelope.
func TestEveryOperationIsRouted(t *testing.T) {
	t.Parallel()
	spec, err := openapi.Load()
	require.NoError(t, err)
	srv := newDemo(t)
	require.NoError(t, srv.AddGroup("routes"))
	id := 101
	ops := 0
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			ops++
			agent := id
			id++
			phone := strconv.Itoa(agent)
			require.NoError(t, srv.AddAgent(agwtest.Agent{ID: agent, Password: agwtest.DemoPassword, Phone: phone, Group: "routes"}))
			guid := signInAs(t, srv, agent, phone)

			url := strings.ReplaceAll(path, "{agentid}", phone)
			var query []string
			for _, p := range op.Parameters {
				v, ok := validValues[p.Value.Name]
				if !ok {
					v, ok = sampleValue(p.Value.Schema.Value)
				}
				switch {
				case p.Value.Name == "agentid":
				case p.Value.In == "path":
					require.True(t, ok, "%s: no value for path parameter %s", op.OperationID, p.Value.Name)
					url = strings.ReplaceAll(url, "{"+p.Value.Name+"}", v)
				case p.Value.In == "query" && p.Value.Required:
					require.True(t, ok, "%s: no value for query parameter %s", op.OperationID, p.Value.Name)
					query = append(query, p.Value.Name+"="+v)
				}
			}
			if len(query) > 0 {
				url += "?" + strings.Join(query, "&")
			}
			var body io.Reader
			if op.RequestBody != nil {
				b, ok := validBodies[op.OperationID]
				if !ok {
					b, ok = sampleBody(op.RequestBody.Value)
				}
				require.True(t, ok, "%s: no valid body", op.OperationID)
				body = strings.NewReader(b)
			}

			t.Run(op.OperationID, func(t *testing.T) {
				req, err := http.NewRequestWithContext(t.Context(), method, srv.BaseURL()+url, body)
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/json; charset=UTF-8")
				req.Header.Set("Guid", guid)
				before := srv.Requests(op.OperationID)
				res, err := srv.Client().Do(req)
				require.NoError(t, err)
				r := readResponse(t, res)
				require.Equal(t, http.StatusOK, r.status, "%s %s: %s", method, url, r.body)
				require.NotContains(t, []string{"000-001", "000-002"}, r.env.Retcode, "%s %s: refused before the operation: %s", method, url, r.body)
				require.Equal(t, 1, srv.Requests(op.OperationID)-before, "requests that reached %s", op.OperationID)
			})
		}
	}
	assert.Greater(t, ops, 90, "the spec's operations were read")
}

// sampleValue is a value the schema accepts, for a parameter the test has
// no chosen value for (an operation added to the spec since): the
// minimum, or the first enum value, or a short string its pattern takes.
func sampleValue(s *openapi3.Schema) (string, bool) {
	switch {
	case s == nil:
		return "", false
	case len(s.Enum) > 0:
		return fmt.Sprint(s.Enum[0]), true
	case s.Type.Is("integer") || s.Type.Is("number"):
		if s.Min != nil {
			return strconv.FormatInt(int64(*s.Min), 10), true
		}
		return "1", true
	case s.Type.Is("boolean"):
		return "true", true
	case s.Type.Is("string"):
		for _, c := range []string{"1", "a", "A1", "1-1"} {
			for len(c) < int(s.MinLength) {
				c += c[:1]
			}
			if s.VisitJSON(c) == nil {
				return c, true
			}
		}
	}
	return "", false
}

// sampleBody is a JSON body with the required properties the schema names.
func sampleBody(rb *openapi3.RequestBody) (string, bool) {
	media := rb.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return "", false
	}
	body := map[string]any{}
	for _, name := range media.Schema.Value.Required {
		p := media.Schema.Value.Properties[name].Value
		v, ok := sampleValue(p)
		if !ok {
			return "", false
		}
		var typed any = v
		if !p.Type.Is("string") {
			typed = json.RawMessage(v)
		}
		body[name] = typed
	}
	b, err := json.Marshal(body)
	return string(b), err == nil
}

func TestWideAgentIDs(t *testing.T) {
	t.Parallel()
	wide := agwtest.New(agwtest.WithWideAgentIDs(), agwtest.WithPollWait(0))
	t.Cleanup(wide.Close)
	require.NoError(t, wide.AddGroup("g"))
	require.NoError(t, wide.AddAgent(agwtest.Agent{ID: 600000, Password: agwtest.DemoPassword, Phone: "600000", Group: "g", CanPickUp: true}))
	assert.Error(t, wide.AddAgent(agwtest.Agent{ID: 1000000, Password: "p", Phone: "1", Group: "g"}), "AddAgent accepted 1000000 with wide IDs")
	guid := signInAs(t, wide, 600000, "600000")
	wantRetcode(t, do(t, wide, http.MethodPut, snatchPath(600000, 600001), guid, nil), "100-007")
	wantRetcode(t, do(t, wide, http.MethodPut, snatchPath(600000, 1000000), guid, nil), "000-002")

	narrow := newDemo(t)
	assert.Error(t, narrow.AddAgent(agwtest.Agent{ID: 600000, Password: "p", Phone: "600000", Group: agwtest.DemoGroup}), "AddAgent accepted 600000 without wide IDs")
	wantRetcode(t, do(t, narrow, http.MethodPut, agentPath(600000, ""), "", signInBody{Password: "p", Phonenum: "600000"}), "000-002")
	wantRetcode(t, do(t, narrow, http.MethodPut, snatchPath(agentA, 600000), "", nil), "000-002")
}
