package wrapper_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// These tests run the wrapper against the fake gateway in agwtest; this
// file holds the fixture they share.

type fakeEnv struct {
	t      *testing.T
	srv    *agwtest.Server
	client *wrapper.Client
}

func newFake(t *testing.T, opts ...agwtest.Option) *fakeEnv {
	t.Helper()
	srv := agwtest.New(append([]agwtest.Option{agwtest.WithPollWait(100 * time.Millisecond)}, opts...)...)
	t.Cleanup(srv.Close)
	require.NoError(t, agwtest.Demo(srv.Gateway))
	require.NoError(t, srv.AddGroup("other"))
	require.NoError(t, srv.AddAgent(agwtest.Agent{ID: 30001, Password: agwtest.DemoPassword, Phone: "89001", Group: "other", CanPickUp: true}))
	require.NoError(t, srv.AddAgent(agwtest.Agent{ID: 20009, Password: agwtest.DemoPassword, Phone: "88009", Group: agwtest.DemoGroup}))
	c, err := wrapper.NewClient(srv.URL(), wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	return &fakeEnv{t: t, srv: srv, client: c}
}

var phones = map[int]string{20001: "88001", 20002: "88002", 20003: "88003", 20004: "88004", 20005: "88005", 30001: "89001", 20009: "88009"}

// signIn signs an agent in and keeps it polling until the test ends.
func (f *fakeEnv) signIn(id int, opts ...func(*wrapper.SignInOptions)) (*wrapper.Session, <-chan wrapper.Event) {
	f.t.Helper()
	o := wrapper.SignInOptions{Phone: phones[id], Password: agwtest.DemoPassword}
	for _, opt := range opts {
		opt(&o)
	}
	s, err := f.client.SignIn(testContext(f.t), id, o)
	require.NoError(f.t, err)
	events := make(chan wrapper.Event, 256)
	ctx, cancel := context.WithCancel(context.Background())
	done, err := s.PollInBackground(ctx, func(ev wrapper.Event) error {
		events <- ev
		return nil
	}, wrapper.PollOptions{IdleDelay: time.Millisecond, MinBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond})
	require.NoError(f.t, err)
	f.t.Cleanup(func() {
		cancel()
		<-done
	})
	return s, events
}

func (f *fakeEnv) ring(id int, internal bool) string {
	f.t.Helper()
	ring := f.srv.Ring
	if internal {
		ring = f.srv.RingInternal
	}
	callID, err := ring(id, "13800000000")
	require.NoError(f.t, err)
	return callID
}

func nextTypes(t *testing.T, events <-chan wrapper.Event, n int) []string {
	return types(collect(t, events, n))
}
