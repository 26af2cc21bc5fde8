package wrapper_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// The SnatchPickup benchmarks compare, on the same server, a hand-written
// net/http call (the floor), the raw generated client, and the wrapper
// (validation + reply checks + error mapping + Guid). The inmemory forms
// replace the network with a RoundTripper that returns a canned reply, so
// the clients' own cost shows alone. Run side by side:
//
//	go test -run '^$' -bench 'SnatchPickup' -benchmem ./wrapper/

const benchReply = `{"result":{},"message":"success","retcode":"0"}`

func benchHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/voicecall/") && (r.Header.Get("Guid") != testGuid || r.URL.Query().Get("destWorkNo") != "20002") {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		switch r.URL.Path {
		case base + "/onlineagent/20001":
			w.Header().Set("Set-GUID", "JSESSIONID="+testGuid)
		case base + "/voicecall/20001/snatchpickup":
		default:
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, benchReply)
	})
}

// cannedTransport answers every request with the same reply, in memory.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	h := http.Header{"Content-Type": {jsonUTF8}}
	if strings.HasSuffix(r.URL.Path, "/onlineagent/20001") {
		h.Set("Set-GUID", "JSESSIONID="+testGuid)
	}
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader(benchReply)), Request: r}, nil
}

func BenchmarkSnatchPickup(b *testing.B) {
	srv := httptest.NewServer(benchHandler())
	defer srv.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Protocols = new(http.Protocols) // HTTP/1.1 only, as the wrapper requires
	tr.Protocols.SetHTTP1(true)
	loopback := &http.Client{Transport: tr}
	inmemory := &http.Client{Transport: cannedTransport{}}

	for _, env := range []struct {
		name string
		hc   *http.Client
	}{{"loopback", loopback}, {"inmemory", inmemory}} {
		b.Run(env.name+"/nethttp", func(b *testing.B) { benchNetHTTP(b, env.hc, srv.URL) })
		b.Run(env.name+"/generated", func(b *testing.B) { benchGenerated(b, env.hc, srv.URL) })
		b.Run(env.name+"/wrapper", func(b *testing.B) { benchWrapper(b, env.hc, srv.URL) })
	}
}

// The timed loops of the benchmarks check with a bare b.Fatal, not require:
// require's b.Helper call and interface conversions would add time and
// allocations to every op measured.
func benchNetHTTP(b *testing.B, hc *http.Client, root string) {
	url := root + base + "/voicecall/20001/snatchpickup?destWorkNo=20002"
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json; charset=UTF-8")
		req.Header.Set("Guid", testGuid)
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var env struct{ Retcode string }
		err = json.NewDecoder(resp.Body).Decode(&env)
		_ = resp.Body.Close()
		if err != nil || env.Retcode != "0" {
			b.Fatal(err, env.Retcode)
		}
	}
}

func benchGenerated(b *testing.B, hc *http.Client, root string) {
	editor := func(_ context.Context, r *http.Request) error {
		r.Header.Set("Content-Type", "application/json; charset=UTF-8")
		r.Header.Set("Guid", testGuid)
		return nil
	}
	c, err := generated.NewClientWithResponses(root+base, generated.WithHTTPClient(hc), generated.WithRequestEditorFn(editor))
	require.NoError(b, err)
	ctx := context.Background()
	params := &generated.SnatchPickupParams{DestWorkNo: agentB}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := c.SnatchPickupWithResponse(ctx, agentA, params)
		if err != nil || resp.JSON200 == nil || resp.JSON200.Retcode != "0" {
			b.Fatal(err)
		}
	}
}

func benchWrapper(b *testing.B, hc *http.Client, root string, opts ...wrapper.Option) {
	c, err := wrapper.NewClient(root, append([]wrapper.Option{wrapper.WithHTTPClient(hc)}, opts...)...)
	require.NoError(b, err)
	ctx := context.Background()
	s, err := c.SignIn(ctx, agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHooks is the in-memory wrapper call without hooks (the same
// allocations as BenchmarkSnatchPickup/inmemory/wrapper had before hooks
// existed), and with a Call hook that does nothing.
func BenchmarkHooks(b *testing.B) {
	srv := httptest.NewServer(benchHandler()) // for its URL only: the base of BenchmarkSnatchPickup, so the allocations compare
	defer srv.Close()
	inmemory := &http.Client{Transport: cannedTransport{}}
	noop := wrapper.Hooks{Call: func(ctx context.Context, _ wrapper.CallInfo) (context.Context, func(wrapper.CallResult)) {
		return ctx, func(wrapper.CallResult) {}
	}}
	b.Run("off", func(b *testing.B) { benchWrapper(b, inmemory, srv.URL) })
	b.Run("noop", func(b *testing.B) { benchWrapper(b, inmemory, srv.URL, wrapper.WithHooks(noop)) })
}

// BenchmarkDecodeEvent measures decoding one small event-poll reply into a
// typed event; events/s per core is 1e9 / ns/op.
func BenchmarkDecodeEvent(b *testing.B) {
	body := []byte(`{"message":"","retcode":"0","event":{"eventType":"AgentEvent_Talking","workNo":"20001",` +
		`"content":{"caller":"13800000000","called":"88002","callid":"1700000000-1","type":"main","feature":"0","mediaAbility":"1"}}}`)
	b.Run("envelope", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			evs, err := wrapper.DecodeEventReply(body)
			if err != nil || len(evs) != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("envelope+content", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			evs, err := wrapper.DecodeEventReply(body)
			if err != nil || len(evs) != 1 {
				b.Fatal(err)
			}
			v, err := evs[0].Decode()
			if err != nil {
				b.Fatal(err)
			}
			if _, ok := v.(*generated.TalkingContent); !ok {
				b.Fatalf("%T", v)
			}
		}
	})
}
