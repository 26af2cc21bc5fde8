package transport

import (
	"bufio"
	"context"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type reply struct {
	resp *http.Response
	err  error
}

// sendParked sends req and returns where then's one call lands; a second
// call fails the test.
func sendParked(t testing.TB, p *Parked, req *http.Request) <-chan reply {
	got := make(chan reply, 1)
	var calls atomic.Int32
	sendReq(p, req.Context(), req, 0, func(resp *http.Response, err error) {
		if calls.Add(1) > 1 {
			t.Error("then called twice")
		}
		got <- reply{resp, err}
	})
	return got
}

// sendReq writes req as a Wire and sends it; a request that cannot be
// written fails through then, on another goroutine, as a send would.
func sendReq(p *Parked, ctx context.Context, req *http.Request, timeout time.Duration, then func(*http.Response, error)) {
	w, err := p.NewWire(req)
	if err != nil {
		go then(nil, urlError(req.Method, req.URL, err))
		return
	}
	p.Send(ctx, w, timeout, then)
}

func newParked(t testing.TB, tr *http.Transport) *Parked {
	p, err := NewParked(tr)
	require.NoError(t, err)
	t.Cleanup(p.CloseIdleConnections)
	return p
}

func get(t testing.TB, ctx context.Context, url string) *http.Request {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	return req
}

// readAll reads and closes the body of a reply that must be one.
func readAll(t testing.TB, r reply) string {
	t.Helper()
	require.NoError(t, r.err)
	b, err := io.ReadAll(r.resp.Body)
	require.NoError(t, err)
	require.NoError(t, r.resp.Body.Close())
	return string(b)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// countConns makes srv count the connections it accepts.
func countConns(srv *httptest.Server) *atomic.Int32 {
	var n atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			n.Add(1)
		}
	}
	return &n
}

// holdServer serves "late reply" once release is closed, telling arrived
// of each request first; a request whose client gives up is let go.
func holdServer(t *testing.T) (srv *httptest.Server, arrived chan struct{}, release chan struct{}, conns *atomic.Int32) {
	arrived, release = make(chan struct{}, 1000), make(chan struct{})
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		select {
		case <-release:
			_, _ = io.WriteString(w, "late reply")
		case <-r.Context().Done():
		}
	}))
	conns = countConns(srv)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, arrived, release, conns
}

func TestParkedLateReply(t *testing.T) {
	srv, arrived, release, _ := holdServer(t)
	p := newParked(t, &http.Transport{})
	got := sendParked(t, p, get(t, testCtx(t), srv.URL))
	<-arrived
	select {
	case r := <-got:
		t.Fatalf("then called before the reply: %v", r.err)
	default:
	}
	close(release)
	r := <-got
	assert.Equal(t, "late reply", readAll(t, r))
	assert.Equal(t, "HTTP/1.1", r.resp.Proto)
	assert.Nil(t, r.resp.TLS)
}

func TestParkedReuse(t *testing.T) {
	hold := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/chunked":
			_, _ = io.WriteString(w, "part 1, ")
			http.NewResponseController(w).Flush()
			_, _ = io.WriteString(w, "part 2")
		case "/long":
			_, _ = io.WriteString(w, strings.Repeat("x", 64<<10))
		case "/echo":
			_, _ = io.Copy(w, r.Body)
		case "/none":
			w.WriteHeader(http.StatusNoContent)
		case "/close":
			w.Header().Set("Connection", "close")
			_, _ = io.WriteString(w, "bye")
		case "/hold":
			w.WriteHeader(http.StatusOK)
			http.NewResponseController(w).Flush()
			select {
			case <-hold:
			case <-r.Context().Done():
			}
		default:
			_, _ = io.WriteString(w, "ok")
		}
	}))
	conns := countConns(srv)
	srv.Start()
	defer srv.Close()
	defer close(hold)
	p := newParked(t, &http.Transport{})
	ctx := testCtx(t)
	roundTrip := func(path string) string {
		return readAll(t, <-sendParked(t, p, get(t, ctx, srv.URL+path)))
	}

	assert.Equal(t, "ok", roundTrip("/"))
	assert.Equal(t, "part 1, part 2", roundTrip("/chunked"))
	put, err := http.NewRequestWithContext(ctx, http.MethodPut, srv.URL+"/echo", strings.NewReader(`{"a":1}`))
	require.NoError(t, err)
	assert.Equal(t, `{"a":1}`, readAll(t, <-sendParked(t, p, put)))
	r := <-sendParked(t, p, get(t, ctx, srv.URL+"/none"))
	require.NoError(t, r.err)
	require.NoError(t, r.resp.Body.Close(), "an empty body needs no read")
	assert.Equal(t, "ok", roundTrip("/"))
	assert.Equal(t, int32(1), conns.Load(), "bodies read to their end keep the connection")

	r = <-sendParked(t, p, get(t, ctx, srv.URL+"/long"))
	require.NoError(t, r.err)
	_, err = r.resp.Body.Read(make([]byte, 10))
	require.NoError(t, err)
	require.NoError(t, r.resp.Body.Close())
	_, err = r.resp.Body.Read(make([]byte, 10))
	assert.ErrorIs(t, err, http.ErrBodyReadAfterClose)
	assert.Equal(t, "ok", roundTrip("/"))
	assert.Equal(t, int32(2), conns.Load(), "a body closed before its end closes the connection")

	assert.Equal(t, "bye", roundTrip("/close"))
	assert.Equal(t, "ok", roundTrip("/"))
	assert.Equal(t, int32(3), conns.Load(), "a reply with Connection: close ends it")

	p.CloseIdleConnections()
	assert.Equal(t, "ok", roundTrip("/"))
	assert.Equal(t, int32(4), conns.Load())

	p.idleTimeout = 0 // every idle connection is stale
	assert.Equal(t, "ok", roundTrip("/"))
	assert.Equal(t, int32(5), conns.Load(), "a stale connection is not used")
	p.idleTimeout = time.Minute

	// Closing the body ends a read under way.
	r = <-sendParked(t, p, get(t, ctx, srv.URL+"/hold"))
	require.NoError(t, r.err)
	readErr := make(chan error, 1)
	go func() {
		_, err := r.resp.Body.Read(make([]byte, 10))
		readErr <- err
	}()
	require.NoError(t, r.resp.Body.Close())
	assert.Error(t, <-readErr)
	assert.Equal(t, "ok", roundTrip("/"))
	assert.Equal(t, int32(6), conns.Load())
}

func TestParkedIdleBound(t *testing.T) {
	srv, arrived, release, conns := holdServer(t)
	p := newParked(t, &http.Transport{})
	p.MaxIdlePerHost = 1
	ctx := testCtx(t)
	a, b := sendParked(t, p, get(t, ctx, srv.URL)), sendParked(t, p, get(t, ctx, srv.URL))
	<-arrived
	<-arrived
	close(release)
	readAll(t, <-a)
	readAll(t, <-b)
	assert.Equal(t, int32(2), conns.Load())
	p.mu.Lock()
	assert.Len(t, p.idle, 1)
	for _, s := range p.idle {
		assert.Len(t, s, 1, "the older connection is closed")
	}
	p.mu.Unlock()
}

func TestParkedContextEnds(t *testing.T) {
	srv, arrived, _, _ := holdServer(t)
	p := newParked(t, &http.Transport{})
	notKept := func() {
		t.Helper()
		p.mu.Lock()
		defer p.mu.Unlock()
		assert.Empty(t, p.idle, "a connection given up on is not used again")
	}

	ctx, cancel := context.WithCancel(testCtx(t))
	got := sendParked(t, p, get(t, ctx, srv.URL))
	<-arrived
	cancel()
	r := <-got
	assert.ErrorIs(t, r.err, context.Canceled)
	var ue *url.Error
	assert.ErrorAs(t, r.err, &ue)
	notKept()

	// A deadline likewise, whenever it comes.
	ctx, cancel = context.WithTimeout(testCtx(t), 50*time.Millisecond)
	defer cancel()
	r = <-sendParked(t, p, get(t, ctx, srv.URL))
	assert.ErrorIs(t, r.err, context.DeadlineExceeded)
	notKept()

	r = <-sendParked(t, p, get(t, ctx, "http://"+closedAddr(t)))
	assert.ErrorIs(t, r.err, context.DeadlineExceeded, "an ended context sends nothing")
	var op *net.OpError
	assert.False(t, errors.As(r.err, &op), "nor dials: %v", r.err)
}

// A timeout bounds the wait with the connection's deadline; a connection
// whose exchange ended in time serves the next.
func TestParkedTimeout(t *testing.T) {
	srv, arrived, release, conns := holdServer(t)
	p := newParked(t, &http.Transport{})
	got := make(chan reply, 1)
	sendReq(p, testCtx(t), get(t, testCtx(t), srv.URL), 50*time.Millisecond, func(resp *http.Response, err error) { got <- reply{resp, err} })
	<-arrived
	r := <-got
	require.ErrorIs(t, r.err, os.ErrDeadlineExceeded)
	p.mu.Lock()
	assert.Empty(t, p.idle, "a connection given up on is not used again")
	p.mu.Unlock()
	close(release)

	w, err := p.NewWire(get(t, context.Background(), srv.URL)) // one request, sent twice
	require.NoError(t, err)
	for range 2 {
		p.Send(testCtx(t), w, time.Minute, func(resp *http.Response, err error) { got <- reply{resp, err} })
		r := <-got
		require.NoError(t, r.err)
		assert.Equal(t, "late reply", readAll(t, r))
	}
	assert.Equal(t, int32(2), conns.Load(), "the timed-out one, then one kept alive")
}

func TestParkedContextEndsBodyRead(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "first ")
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	p := newParked(t, &http.Transport{})
	ctx, cancel := context.WithCancel(testCtx(t))
	r := <-sendParked(t, p, get(t, ctx, srv.URL))
	require.NoError(t, r.err)
	defer r.resp.Body.Close()
	buf := make([]byte, 6)
	_, err := io.ReadFull(r.resp.Body, buf)
	require.NoError(t, err)
	cancel()
	_, err = r.resp.Body.Read(buf)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestParkedNoReply(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			_ = conn.Close()
		}
	}))
	defer srv.Close()
	p := newParked(t, &http.Transport{})
	r := <-sendParked(t, p, get(t, testCtx(t), srv.URL))
	assert.Error(t, r.err)
	var op *net.OpError
	assert.False(t, errors.As(r.err, &op) && op.Op == "dial", "sent, so not a dial error: %v", r.err)
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	return ln.Addr().String()
}

func TestParkedDialError(t *testing.T) {
	p := newParked(t, &http.Transport{})
	body := &closeCounter{Reader: strings.NewReader("{}")}
	req, err := http.NewRequestWithContext(testCtx(t), http.MethodPut, "http://"+closedAddr(t)+"/x", body)
	require.NoError(t, err)
	r := <-sendParked(t, p, req)
	var op *net.OpError
	require.ErrorAs(t, r.err, &op)
	assert.Equal(t, "dial", op.Op)
	var ue *url.Error
	require.ErrorAs(t, r.err, &ue)
	assert.Equal(t, "Put", ue.Op, "spelt as net/http does")
	assert.Equal(t, int32(1), body.closes.Load(), "the body is closed as a RoundTripper would")
}

type closeCounter struct {
	io.Reader
	closes atomic.Int32
}

func (c *closeCounter) Close() error { c.closes.Add(1); return nil }

// rawServer answers every request on its connections with reply.
func rawServer(t *testing.T, reply string) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				br := bufio.NewReader(conn)
				for {
					line, err := br.ReadString('\n')
					if err != nil {
						return
					}
					if line == "\r\n" {
						_, _ = io.WriteString(conn, reply)
					}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestParkedMalformedReply(t *testing.T) {
	p := newParked(t, &http.Transport{MaxResponseHeaderBytes: 1 << 10})
	for name, reply := range map[string]string{
		"bad length": "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
		"not HTTP":   "SSH-2.0-OpenSSH_9.6\r\n",
		"huge head":  "HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("y", 2<<10) + "\r\nContent-Length: 0\r\n\r\n",
	} {
		r := <-sendParked(t, p, get(t, testCtx(t), rawServer(t, reply)))
		assert.Error(t, r.err, name)
	}

	// An early 1xx reply precedes the reply.
	u := rawServer(t, "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	assert.Equal(t, "ok", readAll(t, <-sendParked(t, p, get(t, testCtx(t), u))))

	// A 101 is handed on, and its connection not used again.
	u = rawServer(t, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n")
	r := <-sendParked(t, p, get(t, testCtx(t), u))
	require.NoError(t, r.err)
	assert.Equal(t, http.StatusSwitchingProtocols, r.resp.StatusCode)
	require.NoError(t, r.resp.Body.Close())
	p.mu.Lock()
	assert.Empty(t, p.idle[connKey{"http", strings.TrimPrefix(u, "http://")}])
	assert.NotEmpty(t, p.idle, "the other reply's connection is kept")
	p.mu.Unlock()
}

func TestParkedTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "secret")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake below
	conns := countConns(srv)
	srv.StartTLS()
	defer srv.Close()
	trusting := srv.Client().Transport.(*http.Transport).TLSClientConfig
	p := newParked(t, &http.Transport{TLSClientConfig: trusting})
	for range 2 {
		r := <-sendParked(t, p, get(t, testCtx(t), srv.URL))
		assert.Equal(t, "secret", readAll(t, r))
		require.NotNil(t, r.resp.TLS)
		assert.Equal(t, "http/1.1", r.resp.TLS.NegotiatedProtocol)
	}
	assert.Equal(t, int32(1), conns.Load())
	assert.Nil(t, trusting.NextProtos, "the caller's config is cloned, not changed")

	r := <-sendParked(t, newParked(t, &http.Transport{}), get(t, testCtx(t), srv.URL))
	var unknown x509.UnknownAuthorityError
	assert.ErrorAs(t, r.err, &unknown)
}

func TestParkedSettings(t *testing.T) {
	_, err := NewParked(nil)
	assert.Error(t, err)
	_, err = NewParked(&http.Transport{DialTLSContext: func(context.Context, string, string) (net.Conn, error) { return nil, nil }})
	assert.ErrorContains(t, err, "DialContext only")

	p, err := NewParked(http.DefaultTransport.(*http.Transport))
	require.NoError(t, err)
	assert.Equal(t, 1024, p.MaxIdlePerHost)
	assert.Equal(t, 20*time.Second, p.idleTimeout)
	assert.Equal(t, int64(64<<10), p.maxHeader)
	p, err = NewParked(&http.Transport{MaxIdleConnsPerHost: 5000, IdleConnTimeout: time.Second})
	require.NoError(t, err)
	assert.Equal(t, 5000, p.MaxIdlePerHost)
	assert.Equal(t, time.Second, p.idleTimeout)

	// No proxy is used: a request tr would send through one fails.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") }))
	defer srv.Close()
	proxy := &url.URL{Scheme: "http", User: url.UserPassword("u", "Pw7xQz9Kd2"), Host: "proxy.invalid"}
	proxied := newParked(t, &http.Transport{Proxy: http.ProxyURL(proxy)})
	r := <-sendParked(t, proxied, get(t, testCtx(t), srv.URL))
	assert.ErrorContains(t, r.err, "cannot go through the proxy http://u:xxxxx@proxy.invalid")
	direct := newParked(t, &http.Transport{Proxy: func(*http.Request) (*url.URL, error) { return nil, nil }})
	assert.Equal(t, "ok", readAll(t, <-sendParked(t, direct, get(t, testCtx(t), srv.URL))))

	w, err := direct.NewWire(get(t, testCtx(t), srv.URL))
	require.NoError(t, err)
	direct.Send(testCtx(t), w, 0, nil) // does nothing, panics not
}

// TestParkedGoroutines: each waiting request holds one goroutine, in wait,
// and none of net/http's.
func TestParkedGoroutines(t *testing.T) {
	const n = 200
	var seen atomic.Int32
	allIn, release := make(chan struct{}), make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) == n {
			close(allIn)
		}
		<-release
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	p := newParked(t, &http.Transport{})
	ctx := testCtx(t)
	netHTTP := count(goroutines(), "persistConn") // other tests' clients, ending
	var done sync.WaitGroup
	var oks atomic.Int32
	for range n {
		done.Add(1)
		sendReq(p, ctx, get(t, ctx, srv.URL), 0, func(resp *http.Response, err error) {
			defer done.Done()
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if string(b) == "ok" {
					oks.Add(1)
				}
			}
		})
	}
	select {
	case <-allIn:
	case <-ctx.Done():
		t.Fatal("the server did not see every request")
	}

	// The server can see a request before its waiting goroutine runs.
	var stacks []string
	require.Eventually(t, func() bool {
		stacks = goroutines()
		return count(stacks, "(*parkedConn).wait") >= n
	}, 10*time.Second, time.Millisecond)
	assert.Equal(t, n, count(stacks, "(*parkedConn).wait"))
	assert.Zero(t, count(stacks, "(*parkedConn).reply"), "none past the first byte")
	assert.LessOrEqual(t, count(stacks, "persistConn"), netHTTP, "no goroutine of net/http's client")

	close(release)
	done.Wait()
	assert.Equal(t, int32(n), oks.Load())
}

// goroutines are the stacks of every goroutine.
func goroutines() []string {
	buf := make([]byte, 1<<20)
	for {
		if n := runtime.Stack(buf, true); n < len(buf) {
			return strings.Split(string(buf[:n]), "\n\n")
		}
		buf = make([]byte, 2*len(buf))
	}
}

func count(stacks []string, fn string) int {
	n := 0
	for _, s := range stacks {
		if strings.Contains(s, fn) {
			n++
		}
	}
	return n
}
