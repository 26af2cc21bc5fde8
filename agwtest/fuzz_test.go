package agwtest_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

// FuzzServeHTTP feeds arbitrary requests to the gateway: whatever arrives,
// it must answer a JSON envelope with a retcode, and never panic.
func FuzzServeHTTP(f *testing.F) {
	// A fuzzed sign-in may select push mode: its deliveries must reach no
	// real port, even on loopback.
	noNetwork := &http.Client{Transport: refuseAll{}}
	g := agwtest.NewGateway(agwtest.WithPollWait(0), agwtest.WithDynamicGuid(1), agwtest.WithPushClient(noNetwork))
	f.Cleanup(g.Close)
	if err := agwtest.Demo(g); err != nil {
		f.Fatal(err)
	}
	guid := signInDirect(f, g, agentA)
	if _, err := g.Ring(agentA, "13800000000"); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []struct{ method, path, body string }{
		{"PUT", "/agentgateway/resource/onlineagent/20002", `{"password":"demo-Passw0rd","phonenum":"88002"}`},
		{"PUT", "/agentgateway/resource/onlineagent/20002", `{"password":`},
		{"PUT", "/agentgateway/resource/voicecall/20002/snatchpickup?destWorkNo=20001", ""},
		{"PUT", "/agentgateway/resource/voicecall/20001/snatchpickup?destWorkNo=20001&destWorkNo=2", ""},
		{"GET", "/agentgateway/resource/agentevent/20001?calldata=%zz", ""},
		{"POST", "/agentgateway/resource/voicecall/20001/requestcall/%2F/1?skillid=-1", ""},
		{"PUT", "/agentgateway/resource/voicecall/20001/answer?callid=", ""},
		{"DELETE", "/agentgateway/resource/voicecall/20001", ""},
		{"POST", "/agentgateway/resource/voicecall/20001/transfer", `{"devicetype":9,"address":"","mode":"x"}`},
		{"PATCH", "/agentgateway/resource/voicecall/20001/hold", ""},
		{"GET", "/agentgateway/resource/../../etc/passwd", ""},
	} {
		f.Add(seed.method, seed.path, seed.body, true)
	}
	f.Fuzz(func(t *testing.T, method, target, body string, withGuid bool) {
		req, err := http.NewRequest(method, "http://fake"+target, strings.NewReader(body))
		if err != nil {
			t.Skip()
		}
		req.Header.Set("Content-Type", "application/json")
		if withGuid {
			if cur, ok := g.Guid(agentA); ok {
				req.Header.Set("Guid", cur)
			} else {
				req.Header.Set("Guid", guid)
			}
		}
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		require.Equal(t, jsonUTF8, rec.Header().Get("Content-Type"), "%s %s: Content-Type: %s", method, target, rec.Body)
		var env struct{ Retcode *string }
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &env), "%s %s: not an envelope: %s", method, target, rec.Body)
		require.NotNil(t, env.Retcode, "%s %s: not an envelope: %s", method, target, rec.Body)
		require.Contains(t, []int{http.StatusOK, http.StatusNotFound}, rec.Code, "%s %s: HTTP status", method, target)
	})
}

// refuseAll is a transport that sends nothing.
type refuseAll struct{}

func (refuseAll) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("fuzzing: no network")
}
