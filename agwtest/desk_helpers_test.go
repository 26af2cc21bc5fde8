package agwtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
)

// inspector is Demo's agent with the quality-control right.
var inspector = agwtest.DemoInspector().ID

// deskEnv is a demo server driven through the generated client, with a
// clock the test moves (polls answer at once: WithPollWait(0)).
type deskEnv struct {
	t     *testing.T
	srv   *agwtest.Server
	clock *fakeClock
	api   *generated.ClientWithResponses
	guids map[int]string
}

func newDesk(t *testing.T, opts ...agwtest.Option) *deskEnv {
	t.Helper()
	clock := newFakeClock()
	srv := newDemo(t, append([]agwtest.Option{agwtest.WithClock(clock.Now), agwtest.WithPollWait(0)}, opts...)...)
	api, err := generated.NewClientWithResponses(srv.BaseURL(), generated.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	return &deskEnv{t: t, srv: srv, clock: clock, api: api, guids: map[int]string{}}
}

// signIn signs agent id in through the generated client with body's
// options (password and phone are filled in) and drains nothing.
func (d *deskEnv) signIn(id int, body generated.SignInRequest) *generated.SignInResponse {
	d.t.Helper()
	body.Password, body.Phonenum = agwtest.DemoPassword, demoPhone(id)
	if id == inspector {
		body.Phonenum = agwtest.DemoInspector().Phone
	}
	res, err := d.api.SignInWithResponse(d.t.Context(), id, body)
	if err != nil {
		d.t.Fatal(err)
	}
	if res.JSON200 == nil || res.JSON200.Retcode != "0" {
		d.t.Fatalf("sign-in %d: %s", id, res.Body)
	}
	d.guids[id] = guidFrom(d.t, res.HTTPResponse.Header)
	return res
}

// as is the request editor that sends agent id's Guid and the vendor's
// Content-Type.
func (d *deskEnv) as(id int) generated.RequestEditorFn {
	return func(_ context.Context, r *http.Request) error {
		r.Header.Set("Guid", d.guids[id])
		r.Header.Set("Content-Type", "application/json; charset=UTF-8")
		return nil
	}
}

// events polls agent id until its queue is empty and returns the event
// types in order.
func (d *deskEnv) events(id int) []string {
	d.t.Helper()
	types, _ := drain(d.t, d.srv, id, d.guids[id])
	return types
}

// eventsOf is events with the events themselves.
func (d *deskEnv) eventsOf(id int) []event {
	d.t.Helper()
	_, evs := drain(d.t, d.srv, id, d.guids[id])
	return evs
}

// state is agent id's state as the test hook sees it.
func (d *deskEnv) state(id int) agwtest.State { return d.srv.AgentState(id) }

// answered is any generated client response.
type answered interface{ Bytes() []byte }

// want fails the test unless the request worked and answered retcode
// code; it returns the decoded envelope.
func want[R answered](t *testing.T, res R, err error, code string) wireEnvelope {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	var env wireEnvelope
	if err := json.Unmarshal(res.Bytes(), &env); err != nil {
		t.Fatalf("reply %s: %v", res.Bytes(), err)
	}
	if env.Retcode != code {
		t.Fatalf("retcode %q, want %q: %s", env.Retcode, code, res.Bytes())
	}
	return env
}

// expect returns a checker for a generated call's two results: the call
// must work and answer retcode code.
func expect(t *testing.T, code string) func(answered, error) wireEnvelope {
	return func(res answered, err error) wireEnvelope {
		t.Helper()
		return want(t, res, err, code)
	}
}

// wantEvents fails unless got is exp.
func wantEvents(t *testing.T, got []string, exp ...string) {
	t.Helper()
	if !slices.Equal(got, exp) {
		t.Fatalf("events\n got %s\nwant %s", strings.Join(got, " "), strings.Join(exp, " "))
	}
}

// ringAndAnswer rings agent id with a customer call and answers it.
func (d *deskEnv) ringAndAnswer(id int) string {
	d.t.Helper()
	callID := ring(d.t, d.srv, id)
	res, err := d.api.AnswerWithResponse(d.t.Context(), id, nil, d.as(id))
	want(d.t, res, err, "0")
	return callID
}

func ptr[T any](v T) *T { return &v }
