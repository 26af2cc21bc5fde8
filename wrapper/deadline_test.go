package wrapper_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// returns runs f and fails the test if it has not returned after a bound
// far beyond any deadline the tests set.
func returns(t *testing.T, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		require.FailNow(t, "the call outlived its deadline")
		return nil
	}
}

// hold keeps a connection open until the client closes it.
func hold(c net.Conn) { _, _ = io.Copy(io.Discard, c) }

const switching = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: agw\r\n\r\n"

// Whatever the server sends, a call ends by its deadline.
func TestCallEndsByItsDeadline(t *testing.T) {
	for _, tc := range []struct {
		name    string
		serve   func(c net.Conn)
		badStat int // a *ReplyError with this status, else the deadline's error
	}{
		{"silent", hold, 0},
		{"101, connection held", func(c net.Conn) { _, _ = io.WriteString(c, switching); hold(c) }, 101},
		{"101, bytes trickled", func(c net.Conn) { _, _ = io.WriteString(c, switching+"{"); hold(c) }, 101},
		{"1xx, then nothing", func(c net.Conn) { _, _ = io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"); hold(c) }, 0},
		{"1xx without end", func(c net.Conn) {
			for {
				if _, err := io.WriteString(c, "HTTP/1.1 102 Processing\r\n\r\n"); err != nil {
					return
				}
			}
		}, -1},
		{"headers cut", func(c net.Conn) { _, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Ty"); hold(c) }, 0},
		{"body cut", func(c net.Conn) {
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 99\r\n\r\n{\"mess")
			hold(c)
		}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRawServer(t, func(c net.Conn, br *bufio.Reader) {
				if _, ok := readRequest(br); ok {
					tc.serve(c)
				}
			})
			timeout := 150 * time.Millisecond
			if tc.badStat > 0 {
				// It ends at once, not by the deadline: a short one would race
				// the reply on a loaded machine.
				timeout = 5 * time.Second
			}
			c, err := wrapper.NewClient(srv.URL(), wrapper.WithTimeout(timeout))
			require.NoError(t, err)
			s, err := c.Resume(agentA, testGuid)
			require.NoError(t, err)
			err = returns(t, func() error { return s.SnatchPickup(t.Context(), &generated.SnatchPickupParams{DestWorkNo: agentB}) })
			switch {
			case tc.badStat > 0:
				var re *wrapper.ReplyError
				require.ErrorAs(t, err, &re)
				assert.Equal(t, tc.badStat, re.HTTPStatus)
				assert.NotErrorIs(t, err, context.DeadlineExceeded, "ended at once")
			case tc.badStat == 0:
				assert.ErrorIs(t, err, context.DeadlineExceeded)
			default:
				assert.Error(t, err)
			}
		})
	}
}

// A poll that meets a 101 or a silent server ends when its context is
// cancelled; each poll is bounded by the poll timeout meanwhile.
func TestPollEndsByItsContext(t *testing.T) {
	for name, serve := range map[string]func(net.Conn){
		"101":    func(c net.Conn) { _, _ = io.WriteString(c, switching); hold(c) },
		"silent": hold,
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRawServer(t, func(c net.Conn, br *bufio.Reader) {
				if _, ok := readRequest(br); ok {
					serve(c)
				}
			})
			c, err := wrapper.NewClient(srv.URL(), wrapper.WithPollTimeout(100*time.Millisecond))
			require.NoError(t, err)
			s, err := c.Resume(agentA, testGuid)
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(t.Context())
			failed := make(chan error, 1)
			done, err := s.PollInBackground(ctx, func(wrapper.Event) error { return nil }, wrapper.PollOptions{
				MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond,
				OnError: func(err error) {
					select {
					case failed <- err:
					default:
					}
				},
			})
			require.NoError(t, err)
			err = returns(t, func() error { return <-failed })
			assert.Error(t, err, "a poll failed and was retried")
			cancel()
			assert.ErrorIs(t, returns(t, func() error { return <-done }), context.Canceled)
		})
	}
}

// blockingBody never yields a byte until it is closed.
type blockingBody struct{ closed chan struct{} }

func (b blockingBody) Read([]byte) (int, error) { <-b.closed; return 0, io.ErrClosedPipe }
func (b blockingBody) Close() error {
	select {
	case <-b.closed:
	default:
		close(b.closed)
	}
	return nil
}

// A caller's transport whose body ignores the context still cannot hold a
// call past its deadline: the library closes the body.
func TestBodyReadIsBoundByTheContext(t *testing.T) {
	body := blockingBody{closed: make(chan struct{})}
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {jsonUTF8}}, Body: body, Request: r}, nil
	})
	c, err := wrapper.NewClient("http://gw.invalid", wrapper.WithTransport(rt), wrapper.WithTimeout(50*time.Millisecond))
	require.NoError(t, err)
	s, err := c.Resume(agentA, testGuid)
	require.NoError(t, err)
	err = returns(t, func() error { return s.SnatchPickup(t.Context(), &generated.SnatchPickupParams{DestWorkNo: agentB}) })
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, wrapper.ErrBadReply)
}
