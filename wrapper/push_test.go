package wrapper_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

const pushToken = "tok3n"

// In push mode, PickUp learns of the call from events handed to Deliver.
func TestPickUpInPushMode(t *testing.T) {
	g := newGateway(t)
	var signIn map[string]any
	g.handle("PUT /onlineagent/20001", func(w http.ResponseWriter, r *http.Request) {
		assert.NoError(t, json.NewDecoder(r.Body).Decode(&signIn))
		w.Header().Set("Set-GUID", "JSESSIONID="+testGuid)
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
	})

	var session *wrapper.Session
	receiver := httptest.NewServer(fleet.PushHandler(pushToken, func(ev wrapper.Event) { _ = session.Deliver(ev) }))
	defer receiver.Close()
	pushed := make(chan int, 1) // the status the gateway's push got
	g.handle("PUT /voicecall/20001/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
		go func() { // the gateway pushes the pickup's events
			req, _ := http.NewRequest(http.MethodPost, receiver.URL, strings.NewReader(`{"workNo":"20001","eventList":[`+
				`{"eventType":"AgentOther_PhoneAlerting","content":null},`+
				`{"eventType":"AgentEvent_Talking","content":{"callid":"7-7","caller":"139","called":"88001"}}]}`))
			req.Header.Set("Content-Type", jsonUTF8)
			req.Header.Set("service_token", pushToken)
			status := 0
			if resp, err := http.DefaultClient.Do(req); err == nil {
				status = resp.StatusCode
				_ = resp.Body.Close()
			}
			pushed <- status
		}()
	})

	var err error
	session, err = g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{
		Phone: testPhone, Password: testPass, PushURL: receiver.URL + "/agentevent/pushresult", ServiceToken: pushToken})
	require.NoError(t, err)
	require.Equal(t, receiver.URL+"/agentevent/pushresult", signIn["callBackUri"])
	require.Equal(t, pushToken, signIn["serviceToken"])

	call, err := session.PickUp(testContext(t), agentB)
	require.NoError(t, err, "no Poll needed in push mode")
	require.Equal(t, wrapper.CallDetails{CallID: "7-7", Caller: "139", Called: "88001"}, call)
	require.Equal(t, http.StatusOK, <-pushed)
}

func TestPushSignInValidation(t *testing.T) {
	g := newGateway(t)
	c := g.client()
	for name, o := range map[string]wrapper.SignInOptions{
		"url without token": {PushURL: "https://desk.example/push"},
		"token without url": {ServiceToken: pushToken},
		"bad url":           {PushURL: "desk.example/push", ServiceToken: pushToken},
		"bad token":         {PushURL: "https://desk.example/push", ServiceToken: "has space"},
	} {
		o.Phone, o.Password = testPhone, testPass
		_, err := c.SignIn(testContext(t), agentA, o)
		require.ErrorIs(t, err, wrapper.ErrInvalidArgument, name)
	}
	require.Zero(t, g.count())
}
