package wrapper_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/openapi"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// TestEveryOperationIsAMethod reads the spec itself: each operation is a
// method named by its operationId (or Client.SignIn, for an operation
// that starts the session), so an operation added to the spec cannot be
// missed.
func TestEveryOperationIsAMethod(t *testing.T) {
	spec, err := openapi.Load()
	require.NoError(t, err)
	session, client := reflect.TypeFor[*wrapper.Session](), reflect.TypeFor[*wrapper.Client]()
	n := 0
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			name := op.OperationID
			if op.Extensions["x-session-effect"] == "starts" {
				name = "SignIn"
			}
			_, onSession := session.MethodByName(name)
			_, onClient := client.MethodByName(name)
			assert.True(t, onSession || onClient, "%s %s: no method %s", method, path, name)
			n++
		}
	}
	assert.Greater(t, n, 30)
}

// TestEveryGeneratedMethodSendsItsOperation calls each generated method once
// (operations_gen_test.go, written by agwgen from the spec) and checks that
// exactly its request line reached the gateway, with the session's Guid.
func TestEveryGeneratedMethodSendsItsOperation(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	c := g.client()
	require.NotEmpty(t, operationCalls)
	for _, oc := range operationCalls {
		t.Run(oc.op, func(t *testing.T) {
			g.reply(oc.method+" "+oc.path, `{"message":"success","retcode":"0","result":`+oc.result+`}`)
			before := g.count()
			require.NoError(t, oc.call(testContext(t), s, c))
			require.Equal(t, before+1, g.count(), "one request")
			req := g.last()
			assert.Equal(t, oc.method, req.Method)
			assert.Equal(t, base+oc.path, req.URL.Path)
			if oc.guid {
				assert.Equal(t, testGuid, req.Header.Get("Guid"))
			}
		})
	}
}

// TestAliasesSendTheirOperation: each friendlier name is its operation.
func TestAliasesSendTheirOperation(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	ctx := testContext(t)
	for _, tc := range []struct {
		line, query string
		call        func() error
	}{
		{"POST /voicecall/20001/beginmute", "", func() error { return s.BeginMute(ctx) }},
		{"POST /voicecall/20001/endmute", "", func() error { return s.EndMute(ctx) }},
		{"POST /voicecall/20001/gethold", "callid=1-1", func() error { return s.GetHold(ctx, &generated.GetHoldParams{Callid: ptr("1-1")}) }},
		{"POST /voicecall/20001/seconddialex", "number=12%23", func() error { return s.SecondDialEx(ctx, &generated.SecondDialExParams{Number: "12#"}) }},
	} {
		g.reply(tc.line, okReply)
		require.NoError(t, tc.call(), tc.line)
		method, path, _ := strings.Cut(tc.line, " ")
		assert.Equal(t, method, g.last().Method)
		assert.Equal(t, base+path, g.last().URL.Path)
		assert.Equal(t, tc.query, g.last().URL.RawQuery)
	}
}

func TestValidateAgentIDUsesTheClientsRange(t *testing.T) {
	g := newGateway(t)
	narrow, wide := g.client(), g.client(wrapper.WithWideAgentIDs())
	require.NoError(t, narrow.ValidateAgentID(59999))
	require.ErrorIs(t, narrow.ValidateAgentID(60000), wrapper.ErrInvalidArgument)
	require.NoError(t, wide.ValidateAgentID(999999))
	require.ErrorIs(t, wide.ValidateAgentID(100), wrapper.ErrInvalidArgument)
	assert.Zero(t, g.count(), "no request")
}

// TestEveryGeneratedMethodAgainstTheFake sends each generated method to
// the fake gateway, from a fresh session: every one reaches the fake once
// and comes back as success or as the vendor's refusal (an *APIError),
// never as an unreadable reply or a refused argument.
func TestEveryGeneratedMethodAgainstTheFake(t *testing.T) {
	f := newFake(t)
	refused := map[string]int{}
	for _, oc := range operationCalls {
		s, err := f.client.SignIn(testContext(t), 20001, wrapper.SignInOptions{Phone: phones[20001], Password: agwtest.DemoPassword, ForceIfSignedIn: true})
		require.NoError(t, err)
		before := f.srv.Requests(oc.op)
		err = oc.call(testContext(t), s, f.client)
		assert.Equal(t, before+1, f.srv.Requests(oc.op), "%s reached the fake once", oc.op)
		if err != nil {
			var apiErr *wrapper.APIError
			if assert.ErrorAs(t, err, &apiErr, oc.op) {
				refused[apiErr.RetCode]++
			}
		}
	}
	t.Logf("%d operations, refusals by retcode: %v", len(operationCalls), refused)
}

// TestEveryEventTypeDecodes reads the spec's EventType list and content
// schemas: a type a schema lists decodes into its generated model (a
// string schema from a JSON string, an object one from an object); a
// NoContent type, and a type with no documented content, decodes to nil.
func TestEveryEventTypeDecodes(t *testing.T) {
	spec, err := openapi.Load()
	require.NoError(t, err)
	kind := map[string]string{} // event type -> its schema's JSON type, "" for NoContent
	for _, ref := range spec.Components.Schemas {
		list, _ := ref.Value.Extensions["x-event-types"].([]any)
		for _, typ := range list {
			kind[typ.(string)] = ""
			if ref.Value.Type != nil && len(*ref.Value.Type) > 0 {
				kind[typ.(string)] = (*ref.Value.Type)[0]
			}
		}
	}
	types := spec.Components.Schemas["EventType"].Value.Enum
	require.NotEmpty(t, types)
	for _, typ := range types {
		k, modelled := kind[typ.(string)]
		content := map[string]string{"object": `{}`, "string": `"1-1"`}[k]
		if content == "" {
			content = `null`
		}
		ev := wrapper.Event{Event: generated.Event{EventType: typ.(string), Content: []byte(content)}}
		v, err := ev.Decode()
		require.NoError(t, err, typ)
		if modelled && k != "" {
			assert.NotNil(t, v, "%s has no content model", typ)
		} else {
			assert.Nil(t, v, "%s: documented without content, or not documented", typ)
		}
	}
}
