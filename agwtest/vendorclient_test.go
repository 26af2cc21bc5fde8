package agwtest_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// javaClient sends requests the way the vendor's Java demo does: raw
// HTTP/1.1 with a lowercase guid header and the JSON Content-Type on
// every request, bodyless ones included.
type javaClient struct {
	t    *testing.T
	addr string
}

// javaReply is one reply, with its raw header block.
type javaReply struct {
	raw string
	env wireEnvelope
}

func (c javaClient) send(method, path, guid, body string) javaReply {
	c.t.Helper()
	conn, err := net.Dial("tcp", c.addr)
	require.NoError(c.t, err)
	defer conn.Close()
	var req strings.Builder
	fmt.Fprintf(&req, "%s /agentgateway/resource%s HTTP/1.1\r\n", method, path)
	fmt.Fprintf(&req, "Host: %s\r\nUser-Agent: Java/1.8.0_292\r\nConnection: close\r\n", c.addr)
	req.WriteString("Content-Type: application/json;charset=UTF-8\r\n")
	if guid != "" {
		fmt.Fprintf(&req, "guid: %s\r\n", guid)
	}
	if body != "" {
		fmt.Fprintf(&req, "Content-Length: %d\r\n", len(body))
	}
	fmt.Fprintf(&req, "\r\n%s", body)
	_, err = io.WriteString(conn, req.String())
	require.NoError(c.t, err)
	raw, err := io.ReadAll(conn)
	require.NoError(c.t, err)
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(raw)), nil)
	require.NoError(c.t, err)
	defer res.Body.Close()
	require.Equal(c.t, http.StatusOK, res.StatusCode, "%s %s: %s", method, path, raw)
	r := javaReply{raw: string(raw)}
	require.NoError(c.t, json.NewDecoder(res.Body).Decode(&r.env))
	require.Equal(c.t, "0", r.env.Retcode, "%s %s: %s", method, path, r.env.Message)
	return r
}

var rawSetGUID = regexp.MustCompile("\r\nSet-GUID: JSESSIONID=([^\r]+)\r\n")

// signIn sends the demo's sign-in body: numbers and booleans as strings,
// and fields the spec does not name.
func (c javaClient) signIn(id int) string {
	c.t.Helper()
	body := `{"password":"` + agwtest.DemoPassword + `","phonenum":"` + demoPhone(id) + `",` +
		`"autoanswer":"false","autoenteridle":"true","releasephone":"false","agenttype":"4",` +
		`"status":"4","phonelinkage":false,"checkInWebm":"true"}`
	r := c.send(http.MethodPut, agentPath(id, ""), "", body)
	m := rawSetGUID.FindStringSubmatch(r.raw)
	require.NotNil(c.t, m, "no raw Set-GUID header in %q", r.raw)
	return m[1]
}

// drain polls until no event is queued and returns the event types.
func (c javaClient) drain(id int, guid string) []string {
	c.t.Helper()
	var types []string
	for {
		r := c.send(http.MethodGet, "/agentevent/"+strconv.Itoa(id), guid, "")
		if string(r.env.Event) == "null" || len(r.env.Event) == 0 {
			return types
		}
		var ev event
		require.NoError(c.t, json.Unmarshal(r.env.Event, &ev))
		assert.Equal(c.t, strconv.Itoa(id), ev.WorkNo)
		types = append(types, ev.EventType)
	}
}

func TestVendorJavaClientFlow(t *testing.T) {
	srv := agwtest.New(agwtest.WithPollWait(0))
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	c := javaClient{t: t, addr: strings.TrimPrefix(srv.URL(), "http://")}

	guidA, guidB := c.signIn(agentA), c.signIn(agentB)
	assert.NotEqual(t, guidA, guidB)
	c.drain(agentA, guidA)
	c.drain(agentB, guidB)

	_, err := srv.Ring(agentA, "13800000000")
	require.NoError(t, err)
	assert.Contains(t, c.drain(agentA, guidA), "AgentEvent_Ringing")

	c.send(http.MethodPut, snatchPath(agentB, agentA), guidB, "")
	assert.Equal(t, []string{"AgentOther_PhoneRelease"}, c.drain(agentA, guidA))
	assert.Equal(t, wantPickedUpEvents[:1], c.drain(agentB, guidB), "autoanswer \"false\" leaves the picker ringing")

	c.send(http.MethodPut, "/voicecall/"+strconv.Itoa(agentB)+"/answer", guidB, "")
	assert.Equal(t, wantPickedUpEvents[1:], c.drain(agentB, guidB))
	assert.Equal(t, agwtest.StateTalking, srv.AgentState(agentB))

	c.send(http.MethodDelete, "/voicecall/"+strconv.Itoa(agentB)+"/release", guidB, "")
	assert.Equal(t, []string{"AgentEvent_Call_Release", "AgentOther_PhoneRelease"}, c.drain(agentB, guidB))

	c.send(http.MethodDelete, agentPath(agentB, "/logout"), guidB, "")
	c.send(http.MethodDelete, agentPath(agentA, "/logout"), guidA, "")
	assert.Equal(t, agwtest.StateSignedOut, srv.AgentState(agentA))
}
