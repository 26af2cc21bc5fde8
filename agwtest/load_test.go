package agwtest_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
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
	srv := agwtest.New(agwtest.WithPollWait(time.Hour))
	t.Cleanup(srv.Close)
	require.NoError(t, srv.AddGroup("load"))
	for i := range agents {
		id := 1000 + i
		require.NoError(t, srv.AddAgent(agwtest.Agent{ID: id, Password: agwtest.DemoPassword, Phone: strconv.Itoa(id), Group: "load"}))
	}
	// One connection per agent, kept: the poll and the call-control
	// requests of an agent alternate on it.
	srv.Client().Transport.(*http.Transport).MaxIdleConnsPerHost = agents

	signedIn := make(chan int, agents)
	var wg sync.WaitGroup
	for i := range agents {
		id := 1000 + i
		wg.Go(func() {
			assert.NoError(t, agentLife(t.Context(), srv, id, signedIn), "agent %d", id)
		})
	}
	// Ring each agent once it is signed in; its poll may already wait.
	for range agents {
		ring(t, srv, <-signedIn)
	}
	wg.Wait()
	st := srv.Stats()
	assert.Equal(t, 4*agents, st.EventsQueued, "events queued")
	assert.Equal(t, 4*agents, st.EventsDelivered, "events delivered")
}

// agentLife signs in, waits for a ring, answers, releases and signs out.
func agentLife(ctx context.Context, srv *agwtest.Server, id int, signedIn chan<- int) error {
	path := func(p string) string { return strings.ReplaceAll(p, "ID", strconv.Itoa(id)) }
	r, err := send(ctx, srv, http.MethodPut, path("/onlineagent/ID"), "", signInBody{Password: agwtest.DemoPassword, Phonenum: strconv.Itoa(id)})
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
// fetch the nine events it produces. Its timed loop checks with a bare
// b.Fatal: require would add allocations to every op measured.
func BenchmarkSnatchPickup(b *testing.B) {
	g := agwtest.NewGateway(agwtest.WithPollWait(0))
	require.NoError(b, agwtest.Demo(g))
	guidA := signInDirect(b, g, agentA)
	guidB := signInDirect(b, g, agentB)
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
