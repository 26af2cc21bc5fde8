package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// Secrets a client might send where the spec refuses them.
const (
	secretPassword = "Pa55-secret-word-0123456789-abcdefghij" // 38 characters: over the 32 allowed
	secretHeader   = "hdr-secret-9f8e7d"
)

// TestRefusalsHoldNoValue sends a secret in every place a refusal can be
// about and checks that no hook argument (in any fmt form, and its Error)
// and no reply carries it.
func TestRefusalsHoldNoValue(t *testing.T) {
	var refused []server.Refusal
	ts, _ := newStub(t,
		server.WithGuidCheck(func(context.Context, int, string) bool { return false }),
		server.WithRefusalHook(func(_ context.Context, r server.Refusal) { refused = append(refused, r) }))
	type req struct {
		name, method, path, body string
		header                   map[string]string
		rule                     string
	}
	sp := generated.BasePath
	for _, tc := range []req{
		{"password too long", "PUT", signInPath, `{"password":"` + secretPassword + `","phonenum":"1"}`, nil, "maxLength"},
		{"password wrong type", "PUT", signInPath, `{"password":["` + secretPassword + `"],"phonenum":"1"}`, nil, "type"},
		{"password in a bad phone", "PUT", signInPath, `{"password":"p","phonenum":"` + secretPassword + `"}`, nil, "maxLength"},
		{"password in an enum", "PUT", signInPath, `{"password":"p","phonenum":"1","agenttype":"` + secretPassword + `"}`, nil, "type"},
		{"password in cut JSON", "PUT", signInPath, `{"password":"` + secretPassword, nil, server.RuleSyntax},
		{"password after the value", "PUT", signInPath, `{"password":"p","phonenum":"1"} "` + secretPassword + `"`, nil, server.RuleSyntax},
		{"password not UTF-8", "PUT", signInPath, `{"password":"` + secretPassword + "\xff" + `","phonenum":"1"}`, nil, server.RuleEncoding},
		{"password in a case variant", "PUT", signInPath, `{"password":"p","phonenum":"1","PASSWORD":"` + secretPassword + `"}`, nil, server.RuleCase},
		{"secret Content-Type", "PUT", signInPath, `{"password":"` + secretPassword + `"}`, map[string]string{"Content-Type": "text/" + secretHeader}, server.RuleMediaType},
		{"secret Guid", "PUT", sp + "/voicecall/20002/snatchpickup?destWorkNo=20001", "", map[string]string{"Guid": secretHeader}, server.RuleGuid},
		{"secret service_token", "POST", sp + "/onlineagent/20002/handshake", "", map[string]string{"service_token": secretHeader + "!"}, "pattern"},
		{"secret query", "PUT", sp + "/voicecall/20002/snatchpickup?destWorkNo=" + secretHeader, "", nil, "type"},
		{"secret query twice", "PUT", sp + "/voicecall/20002/snatchpickup?destWorkNo=20001&destWorkNo=" + secretHeader, "", nil, server.RuleRepeated},
		{"secret path", "PUT", sp + "/voicecall/" + secretHeader + "/snatchpickup?destWorkNo=20001", "", nil, "type"},
		{"secret unknown path", "GET", sp + "/" + secretHeader, "", nil, server.RuleNotFound},
		{"secret wrong method", "GET", sp + "/voicecall/" + secretHeader + "/snatchpickup", "", nil, server.RuleMethod},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refused = nil
			var rd io.Reader
			if tc.body != "" {
				rd = strings.NewReader(tc.body)
			}
			r, err := http.NewRequest(tc.method, ts.URL+tc.path, rd)
			require.NoError(t, err)
			r.Header.Set("Content-Type", server.ContentType)
			r.Header.Set("Guid", "g")
			for k, v := range tc.header {
				r.Header[k] = []string{v}
			}
			res, err := ts.Client().Do(r)
			require.NoError(t, err)
			reply, err := io.ReadAll(res.Body)
			_ = res.Body.Close()
			require.NoError(t, err)

			require.Len(t, refused, 1, "reply %s", reply)
			ref := refused[0]
			assert.Equal(t, tc.rule, ref.Rule, "%+v", ref)
			assert.Contains(t, string(reply), ref.Message())
			assert.Equal(t, ref.Status, res.StatusCode)
			for _, form := range []string{fmt.Sprintf("%v", ref), fmt.Sprintf("%+v", ref), fmt.Sprintf("%#v", ref), ref.Error(), string(reply)} {
				for _, secret := range []string{secretPassword, secretPassword[:10], secretHeader} {
					assert.NotContains(t, form, secret)
				}
			}
		})
	}
}

// TestRefusalNamesFieldAndRule pins the typed refusal and its message.
func TestRefusalNamesFieldAndRule(t *testing.T) {
	var got server.Refusal
	ts, _ := newStub(t, server.WithRefusalHook(func(_ context.Context, r server.Refusal) { got = r }))
	r := call(t, ts, http.MethodPut, generated.BasePath+"/voicecall/20002/snatchpickup?destWorkNo=abc", "")
	assert.Equal(t, server.Refusal{Operation: "SnatchPickup", In: "query", Field: "destWorkNo", Rule: "type",
		Reason: "must be an integer", Status: http.StatusOK, RetCode: generated.RetCodeInvalidParameter}, got)
	assert.Equal(t, "invalid parameter destWorkNo: must be an integer", r.env.Message)
	assert.Equal(t, "SnatchPickup: invalid parameter destWorkNo: must be an integer (HTTP 200, retcode 000-002)", got.Error())

	r = call(t, ts, http.MethodPut, signInPath, `{"password":"p","phonenum":"1","agenttype":5}`)
	assert.Equal(t, server.Refusal{Operation: "SignIn", In: "body", Field: "agenttype", Rule: "enum",
		Reason: "must be one of 4, 11", Status: http.StatusOK, RetCode: generated.RetCodeInvalidParameter}, got)
	assert.Equal(t, "invalid request body: agenttype: must be one of 4, 11", r.env.Message)

	r = call(t, ts, http.MethodPut, signInPath, `{"password":"p"}`)
	assert.Equal(t, "invalid request body: phonenum: is required", r.env.Message)
	r = call(t, ts, http.MethodPut, signInPath, ``)
	assert.Equal(t, "invalid request body: is required", r.env.Message)
	r = call(t, ts, http.MethodPut, generated.BasePath+"/voicecall/20002/snatchpickup", "")
	assert.Equal(t, "invalid parameter destWorkNo: is required", r.env.Message)
}
