package wrapper_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

var sentinels = []error{
	wrapper.ErrInvalidParam, wrapper.ErrNoRight, wrapper.ErrAlreadySignedIn, wrapper.ErrBadCredentials,
	wrapper.ErrNotSignedIn, wrapper.ErrAgentOperation, wrapper.ErrForceSignInDisabled, wrapper.ErrCallState,
	wrapper.ErrConference, wrapper.ErrRecording, wrapper.ErrRecovery, wrapper.ErrQualityControl,
}

func TestRetCodeMapsToSentinel(t *testing.T) {
	tests := []struct {
		code string
		want []error // every sentinel the error must match; all others must not
	}{
		{"000-002", []error{wrapper.ErrInvalidParam}},
		{"000-003", []error{wrapper.ErrNoRight, wrapper.ErrNotSignedIn}}, // the call carried a Guid
		{"100-002", []error{wrapper.ErrAlreadySignedIn}},
		{"100-004", []error{wrapper.ErrBadCredentials}},
		{"100-006", []error{wrapper.ErrNotSignedIn}},
		{"100-007", []error{wrapper.ErrAgentOperation}},
		{"100-015", []error{wrapper.ErrForceSignInDisabled}},
		{"200-001", []error{wrapper.ErrCallState}},
		{"200-002", []error{wrapper.ErrCallState}},
		{"200-017", []error{wrapper.ErrCallState}},
		{"300-001", []error{wrapper.ErrNoRight}},
		{"101-002", []error{wrapper.ErrConference}},
		{"104-002", []error{wrapper.ErrRecording}},
		{"105-002", []error{wrapper.ErrRecovery}},    // restoring: try again
		{"105-005", []error{wrapper.ErrNotSignedIn}}, // the vendor says: sign in again
		{"105-006", []error{wrapper.ErrNotSignedIn}},
		{"105-007", []error{wrapper.ErrNotSignedIn}},
		{"900-002", []error{wrapper.ErrQualityControl}},
		{"100-008", nil}, // documented, no family: still an *APIError
		{"999-999", nil},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			g := newGateway(t)
			s := g.session()
			g.reply("PUT /voicecall/20001/snatchpickup", `{"message":"nope","retcode":"`+tt.code+`","result":""}`)

			err := s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: agentB})
			var apiErr *wrapper.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.code, apiErr.RetCode)
			assert.Equal(t, "SnatchPickup", apiErr.Op)
			assert.Equal(t, agentA, apiErr.AgentID)
			assert.Equal(t, http.StatusOK, apiErr.HTTPStatus)
			assert.Equal(t, "nope", apiErr.Message)
			assert.Contains(t, string(apiErr.Body), tt.code)
			assert.Contains(t, err.Error(), tt.code)
			for _, sentinel := range sentinels {
				want := false
				for _, w := range tt.want {
					want = want || w == sentinel
				}
				assert.Equal(t, want, errors.Is(err, sentinel), "errors.Is(%s, %v)", tt.code, sentinel)
			}
			assert.False(t, errors.Is(err, wrapper.ErrBadReply))
		})
	}
}

// Sign-in carries no Guid, so a 000-003 there is only "no right".
func TestNoRightWithoutGuidIsNotSignedOut(t *testing.T) {
	g := newGateway(t)
	g.reply("PUT /onlineagent/20001", `{"message":"","retcode":"000-003","result":null}`)
	_, err := g.client().SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.ErrorIs(t, err, wrapper.ErrNoRight)
	require.NotErrorIs(t, err, wrapper.ErrNotSignedIn)
}

func TestBadRepliesAreReplyErrors(t *testing.T) {
	huge := `{"retcode":"0","result":"` + strings.Repeat("x", 2<<20) + `"}`
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		reason      string
		truncate    bool // announce more bytes than are sent
	}{
		{"html 502 from a load balancer", 502, "text/html", "<html><body>Bad Gateway</body></html>", "Bad Gateway", false},
		{"html 503", 503, "text/html; charset=iso-8859-1", "<html>Service Unavailable</html>", "Service Unavailable", false},
		{"html with status 200", 200, "text/html", "<html>login</html>", "is not JSON", false},
		{"text/plain", 200, "text/plain", "OK", "is not JSON", false},
		{"empty body", 200, jsonUTF8, "", "empty body", false},
		{"whitespace body", 200, jsonUTF8, "  \n", "empty body", false},
		{"truncated JSON", 200, jsonUTF8, `{"message":"success","retc`, "malformed JSON", false},
		{"truncated transfer", 200, jsonUTF8, `{"message":"success",`, "reading body", true},
		{"not JSON", 200, jsonUTF8, `retcode=0`, "malformed JSON", false},
		{"GBK charset", 200, "application/json;charset=GBK", `{"retcode":"0"}`, "charset GBK", false},
		{"non-UTF-8 body", 200, jsonUTF8, "{\"message\":\"\xc4\xe3\xba\xc3\",\"retcode\":\"0\"}", "not UTF-8", false},
		{"no retcode", 200, jsonUTF8, `{"message":"success","result":{}}`, "no retcode", false},
		{"null retcode", 200, jsonUTF8, `{"retcode":null}`, "no retcode", false},
		{"numeric retcode", 200, jsonUTF8, `{"retcode":0}`, "malformed JSON", false},
		{"array body", 200, jsonUTF8, `[1,2]`, "malformed JSON", false},
		{"huge body", 200, jsonUTF8, huge, "exceeds the reply limit", false},
		{"404 envelope ok retcode", 404, jsonUTF8, okReply, "Not Found", false},
		{"redirect", 307, jsonUTF8, okReply, "Temporary Redirect", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGateway(t)
			s := g.session()
			g.handle("PUT /voicecall/20001/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
				if tt.status == 307 {
					w.Header().Set("Location", base+"/voicecall/20001/snatchpickup?destWorkNo=20002")
				}
				w.Header().Set("Content-Type", tt.contentType)
				if tt.truncate {
					w.Header().Set("Content-Length", fmt.Sprint(len(tt.body)+100))
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			before := g.count()
			err := s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: agentB})
			require.Error(t, err)
			require.ErrorIs(t, err, wrapper.ErrBadReply)
			var re *wrapper.ReplyError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.status, re.HTTPStatus)
			assert.Contains(t, re.Reason, tt.reason)
			assert.LessOrEqual(t, len(re.Body), 512, "body kept in the error is bounded")
			if tt.body != "" && !tt.truncate {
				assert.True(t, bytes.HasPrefix([]byte(tt.body), re.Body), "error keeps the start of the body")
			}
			assert.Less(t, len(err.Error()), 2000, "error text is bounded")
			assert.Equal(t, before+1, g.count(), "sent exactly once, not retried, no redirect followed")
		})
	}
}

// A 5xx that still carries a gateway envelope is reported by its retcode.
func TestErrorStatusWithEnvelope(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	g.handle("DELETE /voicecall/20001/release", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonUTF8)
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"message":"no call","retcode":"200-017","result":""}`)
	})
	err := s.Release(testContext(t))
	var apiErr *wrapper.APIError
	require.ErrorAs(t, err, &apiErr)
	require.Equal(t, 500, apiErr.HTTPStatus)
	require.ErrorIs(t, err, wrapper.ErrCallState)
	require.Contains(t, err.Error(), "HTTP 500")
}

func TestRetCodeText(t *testing.T) {
	require.Equal(t, "the agent is not signed in (or the Guid was rejected)", wrapper.RetCodeText("100-006"))
	require.Empty(t, wrapper.RetCodeText("123-456"))
}

// TestHugeReplyIsBounded streams 50 MB and checks the client stops reading
// at its limit instead of buffering it all.
func TestHugeReplyIsBounded(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	var written atomic.Int64
	g.handle("PUT /voicecall/20001/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", jsonUTF8)
		w.Header().Set("Content-Length", strconv.Itoa(50<<20))
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for written.Load() < 50<<20 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: agentB})
	runtime.ReadMemStats(&after)

	var re *wrapper.ReplyError
	require.ErrorAs(t, err, &re)
	require.Contains(t, re.Reason, "exceeds the reply limit")
	require.Len(t, re.Body, 512)
	allocated := after.TotalAlloc - before.TotalAlloc
	require.Less(t, allocated, uint64(16<<20), "reading must stop near the 1 MiB limit, not buffer 50 MB")
}
