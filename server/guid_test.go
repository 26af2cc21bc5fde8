package server_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// guidStub answers SnatchPickup and Callout with success.
type guidStub struct {
	stub
	reached chan string
}

func (s guidStub) SnatchPickup(context.Context, generated.SnatchPickupRequestObject) (generated.SnatchPickupResponseObject, error) {
	s.reached <- "SnatchPickup"
	return generated.SnatchPickup200JSONResponse{EnvelopeJSONResponse: server.Success(nil)}, nil
}

// guidAsked records what WithGuidCheck's function was asked.
type guidAsked struct {
	mu    sync.Mutex
	asked []string
}

func (g *guidAsked) valid(_ context.Context, agentID int, guid string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.asked = append(g.asked, guid)
	return agentID == 20002 && guid == "good"
}

func (g *guidAsked) take() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	a := g.asked
	g.asked = nil
	return a
}

func callGuid(t *testing.T, url, method, path, guid, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url+path, bodyReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", server.ContentType)
	if guid != "" {
		req.Header.Set("Guid", guid)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	return readReply(t, res)
}

func TestGuidCheck(t *testing.T) {
	var g guidAsked
	reached := make(chan string, 8)
	signedIn := make(chan *generated.SignInJSONRequestBody, 8)
	ts := newServer(t, guidStub{stub{got: signedIn}, reached}, server.WithGuidCheck(g.valid))
	snatch := generated.BasePath + "/voicecall/20002/snatchpickup?destWorkNo=20001"

	r := callGuid(t, ts.URL, http.MethodPut, snatch, "", "")
	assert.Equal(t, generated.RetCodeNotSignedIn, r.env.Retcode)
	assert.Equal(t, "Guid header missing", r.env.Message)
	assert.Empty(t, g.take(), "no Guid: nothing to ask")

	r = callGuid(t, ts.URL, http.MethodPut, snatch, "stale", "")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, generated.RetCodeNotSignedIn, r.env.Retcode)
	assert.Equal(t, "Guid not valid", r.env.Message)
	assert.Equal(t, []string{"stale"}, g.take())
	assert.Empty(t, reached)

	r = callGuid(t, ts.URL, http.MethodPut, snatch, "good", "")
	assert.Equal(t, "0", r.env.Retcode, r.env.Message)
	assert.Equal(t, "SnatchPickup", <-reached)
	assert.Equal(t, []string{"good"}, g.take())

	// Parameters are checked first; the body after the Guid, unread when
	// the Guid is refused.
	r = callGuid(t, ts.URL, http.MethodPut, generated.BasePath+"/voicecall/20002/snatchpickup?destWorkNo=x", "stale", "")
	assert.Equal(t, generated.RetCodeInvalidParameter, r.env.Retcode)
	assert.Empty(t, g.take())
	r = callGuid(t, ts.URL, http.MethodPut, generated.BasePath+"/voicecall/20002/callout", "stale", `{"bad":`)
	assert.Equal(t, generated.RetCodeNotSignedIn, r.env.Retcode)
	assert.Equal(t, []string{"stale"}, g.take())

	// Sign-in and the all-agent poll need no Guid, as on the gateway.
	r = callGuid(t, ts.URL, http.MethodPut, signInPath, "", `{"password":"p","phonenum":"1"}`)
	assert.Equal(t, "0", r.env.Retcode, r.env.Message)
	<-signedIn
	r = callGuid(t, ts.URL, http.MethodGet, generated.BasePath+"/agentevent/allagentevent", "", "")
	assert.Equal(t, "not implemented: PollAllAgentEvents", r.env.Message, "reached the operation")
	assert.Empty(t, g.take())
}

// TestNoGuidCheckByDefault: without WithGuidCheck every Guid, or none,
// reaches the operation, which must check it.
func TestNoGuidCheckByDefault(t *testing.T) {
	reached := make(chan string, 1)
	ts := newServer(t, guidStub{reached: reached})
	r := callGuid(t, ts.URL, http.MethodPut, generated.BasePath+"/voicecall/20002/snatchpickup?destWorkNo=20001", "", "")
	assert.Equal(t, "0", r.env.Retcode, r.env.Message)
	assert.Equal(t, "SnatchPickup", <-reached)
}
