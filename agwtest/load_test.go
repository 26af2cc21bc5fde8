package agwtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	. "github.com/agentgateway-go/agentgateway/agwtest"
)

// TestManyAgents runs a full call for many agents at once, each with its
// own long poll, to show that polls for different agents do not hold each
// other up and that no event goes astray.
func TestManyAgents(t *testing.T) {
	t.Parallel()
	agents := 500
	if testing.Short() {
		agents = 50
	}
	srv := New(WithPollWait(time.Hour))
	t.Cleanup(srv.Close)
	if err := srv.AddGroup("load"); err != nil {
		t.Fatal(err)
	}
	for i := range agents {
		id := 1000 + i
		if err := srv.AddAgent(Agent{ID: id, Password: DemoPassword, Phone: strconv.Itoa(id), Group: "load"}); err != nil {
			t.Fatal(err)
		}
	}
	// One connection per agent, kept: the poll and the call-control
	// requests of an agent alternate on it.
	srv.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = agents

	signedIn := make(chan int, agents)
	var wg sync.WaitGroup
	for i := range agents {
		id := 1000 + i
		wg.Go(func() {
			if err := agentLife(t.Context(), srv, id, signedIn); err != nil {
				t.Errorf("agent %d: %v", id, err)
			}
		})
	}
	// Ring each agent once it is signed in; its poll may already wait.
	for range agents {
		id := <-signedIn
		if _, err := srv.Ring(id, "13800000000"); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	st := srv.Stats()
	if st.EventsQueued != 4*agents || st.EventsDelivered != 4*agents {
		t.Errorf("queued %d delivered %d, want %d", st.EventsQueued, st.EventsDelivered, 4*agents)
	}
}

// agentLife signs in, waits for a ring, answers, releases and signs out.
func agentLife(ctx context.Context, srv *Server, id int, signedIn chan<- int) error {
	path := func(p string) string { return strings.ReplaceAll(p, "ID", strconv.Itoa(id)) }
	r, err := send(ctx, srv, http.MethodPut, path("/onlineagent/ID"), "", signInBody{Password: DemoPassword, Phonenum: strconv.Itoa(id)})
	if err != nil {
		return err
	}
	guid, ok := strings.CutPrefix(r.header.Get("Set-GUID"), "JSESSIONID=")
	if !ok {
		return fmt.Errorf("sign-in: %s", r.body)
	}
	signedIn <- id

	var got []string
	next := func() error {
		ev, _, err := poll(ctx, srv, id, guid)
		if err == nil && ev.WorkNo != strconv.Itoa(id) {
			err = fmt.Errorf("got an event for agent %q", ev.WorkNo)
		}
		got = append(got, ev.EventType)
		return err
	}
	for _, step := range []struct{ method, path string }{
		{"", ""}, // wait for the ring
		{http.MethodPut, "/voicecall/ID/answer"},
		{http.MethodDelete, "/voicecall/ID/release"},
		{"", ""}, // AgentOther_PhoneRelease follows Call_Release
		{http.MethodDelete, "/onlineagent/ID/logout"},
	} {
		if step.method != "" {
			r, err := send(ctx, srv, step.method, path(step.path), guid, nil)
			if err != nil {
				return err
			}
			if r.env.Retcode != "0" {
				return fmt.Errorf("%s %s: %s", step.method, step.path, r.body)
			}
		}
		if step.path != "/onlineagent/ID/logout" {
			if err := next(); err != nil {
				return err
			}
		}
	}
	want := []string{"AgentEvent_Ringing", "AgentEvent_Talking", "AgentEvent_Call_Release", "AgentOther_PhoneRelease"}
	if !slices.Equal(got, want) {
		return fmt.Errorf("events %v, want %v", got, want)
	}
	return nil
}

// BenchmarkSnatchPickup measures one pickup cycle through the handler
// stack, without a network: ring, pick up, hang up, and the polls that
// fetch the nine events it produces.
func BenchmarkSnatchPickup(b *testing.B) {
	g := NewGateway(WithPollWait(0))
	if err := Demo(g); err != nil {
		b.Fatal(err)
	}
	guidA := benchSignIn(b, g, agentA)
	guidB := benchSignIn(b, g, agentB)
	snatch := snatchPath(agentA, agentB)
	b.ReportAllocs()
	for b.Loop() {
		callID, err := g.Ring(agentB, "13800000000")
		if err != nil {
			b.Fatal(err)
		}
		if code := benchDo(b, g, http.MethodPut, snatch, guidA, ""); code != "0" {
			b.Fatalf("snatch: %s", code)
		}
		if err := g.Hangup(callID); err != nil {
			b.Fatal(err)
		}
		benchDrain(b, g, agentA, guidA, 6)
		benchDrain(b, g, agentB, guidB, 2)
	}
}

func benchSignIn(b testing.TB, g *Gateway, id int) string {
	body := fmt.Sprintf(`{"password":%q,"phonenum":%q}`, DemoPassword, demoPhone(id))
	req := httptest.NewRequest(http.MethodPut, "/agentgateway/resource/onlineagent/"+strconv.Itoa(id), strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	guid, ok := strings.CutPrefix(rec.Header().Get("Set-GUID"), "JSESSIONID=")
	if !ok {
		b.Fatalf("sign-in: %s", rec.Body)
	}
	return guid
}

func benchDo(b *testing.B, g *Gateway, method, path, guid, body string) string {
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

func benchDrain(b *testing.B, g *Gateway, id int, guid string, n int) {
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
