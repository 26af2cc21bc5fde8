package agwtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// jsonUTF8 is the Content-Type of every reply.
const jsonUTF8 = "application/json;charset=UTF-8"

// Demo agents used throughout the tests.
const (
	agentA = 20001
	agentB = 20002
	agentC = 20003
)

func demoPhone(id int) string { return strconv.Itoa(id - 20001 + 88001) }

// newDemo starts a server seeded with Demo and a short poll wait.
func newDemo(t *testing.T, opts ...agwtest.Option) *agwtest.Server {
	t.Helper()
	srv := agwtest.New(append([]agwtest.Option{agwtest.WithPollWait(50 * time.Millisecond)}, opts...)...)
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	return srv
}

// wireEnvelope is a decoded reply of any operation.
type wireEnvelope struct {
	Message string          `json:"message"`
	Retcode string          `json:"retcode"`
	Result  json.RawMessage `json:"result"`
	Event   json.RawMessage `json:"event"`
}

type response struct {
	status int
	header http.Header
	env    wireEnvelope
	body   string
}

// do sends one request to the server's API; path is relative to BaseURL.
// Every reply must be a JSON envelope with the vendor's Content-Type.
func do(t *testing.T, srv *agwtest.Server, method, path, guid string, body any) response {
	t.Helper()
	r, err := send(t.Context(), srv, method, path, guid, body)
	require.NoError(t, err)
	return r
}

// send is do for goroutines other than the test's, which must not call
// t.Fatal.
func send(ctx context.Context, srv *agwtest.Server, method, path, guid string, body any) (response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return response{}, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.BaseURL()+path, rd)
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	if guid != "" {
		req.Header.Set("Guid", guid)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	r, err := readEnvelope(res)
	if err != nil {
		return r, fmt.Errorf("%s %s: %w", method, path, err)
	}
	return r, nil
}

// readEnvelope reads a reply, which must be a JSON envelope with the
// vendor's Content-Type whatever the status.
func readEnvelope(res *http.Response) (response, error) {
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	r := response{status: res.StatusCode, header: res.Header, body: string(raw)}
	if ct := res.Header.Get("Content-Type"); ct != jsonUTF8 {
		return r, fmt.Errorf("Content-Type %q, want %q (HTTP %d %s)", ct, jsonUTF8, res.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, &r.env); err != nil {
		return r, fmt.Errorf("body is not a JSON envelope: %v: %s", err, raw)
	}
	return r, nil
}

// wantRetcode fails unless r is HTTP 200 with retcode code.
func wantRetcode(t *testing.T, r response, code string) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, "HTTP status (%s)", r.body)
	require.Equal(t, code, r.env.Retcode, "retcode (%s)", r.body)
}

type signInBody struct {
	Password   string `json:"password"`
	Phonenum   string `json:"phonenum"`
	Autoanswer *bool  `json:"autoanswer,omitempty"`
}

func agentPath(id int, suffix string) string { return "/onlineagent/" + strconv.Itoa(id) + suffix }

// signIn signs a demo agent in and returns its Guid.
func signIn(t *testing.T, srv *agwtest.Server, id int, autoanswer ...bool) string {
	t.Helper()
	body := signInBody{Password: agwtest.DemoPassword, Phonenum: demoPhone(id)}
	if len(autoanswer) > 0 {
		body.Autoanswer = &autoanswer[0]
	}
	r := do(t, srv, http.MethodPut, agentPath(id, ""), "", body)
	wantRetcode(t, r, "0")
	return guidFrom(t, r.header)
}

func guidFrom(t *testing.T, h http.Header) string {
	t.Helper()
	v := h.Get("Set-GUID")
	guid, ok := strings.CutPrefix(v, "JSESSIONID=")
	require.True(t, ok, "Set-GUID %q is not JSESSIONID=<guid>", v)
	require.NotEmpty(t, guid, "Set-GUID %q is not JSESSIONID=<guid>", v)
	return guid
}

// event is one polled event.
type event struct {
	EventType string          `json:"eventType"`
	WorkNo    string          `json:"workNo"`
	Content   json.RawMessage `json:"content"`
}

// pollOnce polls once and returns the event, or a zero event for an
// empty reply.
func pollOnce(t *testing.T, srv *agwtest.Server, id int, guid string) (event, response) {
	t.Helper()
	ev, r, err := poll(t.Context(), srv, id, guid)
	require.NoError(t, err)
	return ev, r
}

// poll is pollOnce for other goroutines.
func poll(ctx context.Context, srv *agwtest.Server, id int, guid string) (event, response, error) {
	r, err := send(ctx, srv, http.MethodGet, "/agentevent/"+strconv.Itoa(id), guid, nil)
	if err != nil {
		return event{}, r, err
	}
	if r.status != http.StatusOK || r.env.Retcode != "0" {
		return event{}, r, fmt.Errorf("poll: HTTP %d %s", r.status, r.body)
	}
	var ev event
	if string(r.env.Event) != "null" {
		if err := json.Unmarshal(r.env.Event, &ev); err != nil {
			return event{}, r, fmt.Errorf("event: %v: %s", err, r.env.Event)
		}
	}
	return ev, r, nil
}

// drain polls until an empty reply and returns the event types in order.
func drain(t *testing.T, srv *agwtest.Server, id int, guid string) ([]string, []event) {
	t.Helper()
	var types []string
	var evs []event
	for {
		ev, _ := pollOnce(t, srv, id, guid)
		if ev.EventType == "" {
			return types, evs
		}
		types = append(types, ev.EventType)
		evs = append(evs, ev)
	}
}

func content[T any](t *testing.T, ev event) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(ev.Content, &v), "%s content: %s", ev.EventType, ev.Content)
	return v
}

// signInDirect signs a demo agent in through g.ServeHTTP, without a
// network, and returns its Guid.
func signInDirect(b testing.TB, g *agwtest.Gateway, id int) string {
	body := fmt.Sprintf(`{"password":%q,"phonenum":%q}`, agwtest.DemoPassword, demoPhone(id))
	req := httptest.NewRequest(http.MethodPut, "/agentgateway/resource/onlineagent/"+strconv.Itoa(id), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	// In process the header keeps the vendor spelling, which Get misses.
	//lint:ignore SA1008 the key is the vendor's spelling on purpose
	guid, ok := strings.CutPrefix(strings.Join(rec.Header()[server.SetGuid], ""), "JSESSIONID=")
	require.True(b, ok, "sign-in: %s", rec.Body)
	return guid
}

// benchDo sends one request through g.ServeHTTP and returns the retcode.
// It and benchDrain run in timed loops, so they check with a bare b.Fatal:
// require would add allocations to every op measured.
func benchDo(b *testing.B, g *agwtest.Gateway, method, path, guid, body string) string {
	req := httptest.NewRequest(method, "/agentgateway/resource"+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Guid", guid)
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	var env wireEnvelope
	if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
		b.Fatal(err)
	}
	return env.Retcode
}

// benchDrain polls n events through g.ServeHTTP.
func benchDrain(b *testing.B, g *agwtest.Gateway, id int, guid string, n int) {
	for range n {
		req := httptest.NewRequest(http.MethodGet, "/agentgateway/resource/agentevent/"+strconv.Itoa(id), nil)
		req.Header.Set("Guid", guid)
		rec := httptest.NewRecorder()
		g.ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), `"eventType"`) {
			b.Fatalf("poll: %s", rec.Body)
		}
	}
}

// ring rings agent id with a customer call and returns its call ID.
func ring(t *testing.T, srv *agwtest.Server, id int) string {
	t.Helper()
	callID, err := srv.Ring(id, "13800000000")
	require.NoError(t, err)
	return callID
}

// signInGenerated signs a demo agent in through the generated client over
// hc and fails the test unless the gateway answers retcode "0".
func signInGenerated(t *testing.T, srv *agwtest.Server, hc *http.Client, id int) *generated.SignInResponse {
	t.Helper()
	c, err := generated.NewClientWithResponses(srv.BaseURL(), generated.WithHTTPClient(hc))
	require.NoError(t, err)
	res, err := c.SignInWithResponse(t.Context(), id, generated.SignInRequest{Password: agwtest.DemoPassword, Phonenum: demoPhone(id)})
	require.NoError(t, err)
	require.NotNil(t, res.JSON200, "sign-in: HTTP %d %s", res.StatusCode(), res.Body)
	require.Equal(t, "0", res.JSON200.Retcode, "sign-in: HTTP %d %s", res.StatusCode(), res.Body)
	return res
}
