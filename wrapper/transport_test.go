package wrapper_test

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// h2Reset is a TLS server on loopback that offers HTTP/2 and HTTP/1.1. On
// HTTP/2 it resets every stream with RST_STREAM(PROTOCOL_ERROR), which Go's
// HTTP/2 client answers by sending the request again; on HTTP/1.1 it drops
// the connection. It counts the requests of both.
type h2Reset struct {
	srv      *httptest.Server
	requests atomic.Int32
	h2conns  atomic.Int32
}

func newH2Reset(t *testing.T) *h2Reset {
	h := &h2Reset{}
	h.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		h.requests.Add(1)
		panic(http.ErrAbortHandler)
	}))
	h.srv.TLS = &tls.Config{NextProtos: []string{"h2", "http/1.1"}}
	h.srv.Config.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){"h2": h.serveH2}
	h.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	h.srv.StartTLS()
	t.Cleanup(h.srv.Close)
	return h
}

// serveH2 is just enough HTTP/2 framing (RFC 9113) to read requests and
// reset them; it never decodes a header block.
func (h *h2Reset) serveH2(_ *http.Server, c *tls.Conn, _ http.Handler) {
	h.h2conns.Add(1)
	defer func() { _ = c.Close() }()
	if _, err := io.CopyN(io.Discard, c, 24); err != nil { // the client preface
		return
	}
	_, _ = c.Write([]byte{0, 0, 0, 4, 0, 0, 0, 0, 0}) // empty SETTINGS
	hdr := make([]byte, 9)
	for {
		if _, err := io.ReadFull(c, hdr); err != nil {
			return
		}
		if _, err := io.CopyN(io.Discard, c, int64(hdr[0])<<16|int64(hdr[1])<<8|int64(hdr[2])); err != nil {
			return
		}
		switch typ, flags := hdr[3], hdr[4]; {
		case typ == 4 && flags&1 == 0: // SETTINGS: acknowledge
			_, _ = c.Write([]byte{0, 0, 0, 4, 1, 0, 0, 0, 0})
		case typ == 1: // HEADERS: a request; RST_STREAM with PROTOCOL_ERROR (1)
			h.requests.Add(1)
			_, _ = c.Write([]byte{0, 0, 4, 3, 0, hdr[5] & 0x7f, hdr[6], hdr[7], hdr[8], 0, 0, 0, 1})
		}
	}
}

// Every client the library builds speaks HTTP/1.1 only, so a server that
// resets HTTP/2 streams sees each call once.
func TestHTTP2StreamResetIsNotResent(t *testing.T) {
	h := newH2Reset(t)
	pool := x509.NewCertPool()
	pool.AddCert(h.srv.Certificate())
	quiet := wrapper.WithLogger(slog.New(slog.DiscardHandler))
	for name, opts := range map[string][]wrapper.Option{
		"default":                                     nil,
		"WithRootCAs":                                 {wrapper.WithRootCAs(pool)},
		"WithTLSConfig offering h2":                   {wrapper.WithTLSConfig(&tls.Config{RootCAs: pool, NextProtos: []string{"h2", "http/1.1"}})},
		"WithInsecureSkipVerify":                      {wrapper.WithInsecureSkipVerify(), quiet},
		"WithHTTPClient, nil Transport":               {wrapper.WithHTTPClient(&http.Client{}), wrapper.WithRootCAs(pool)},
		"an HTTP/2 transport, cloned for WithRootCAs": {wrapper.WithTransport(&http.Transport{ForceAttemptHTTP2: true}), wrapper.WithRootCAs(pool)},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := wrapper.NewClient(h.srv.URL, append(opts, wrapper.WithTimeout(2*time.Second))...)
			require.NoError(t, err)
			if opts == nil { // the default trusts the system roots only
				wrapper.TransportOf(c).(*http.Transport).TLSClientConfig.RootCAs = pool
			}
			before := h.requests.Load()
			s, err := c.Resume(agentA, testGuid)
			require.NoError(t, err)
			require.Error(t, s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: agentB}))
			require.Equal(t, before+1, h.requests.Load(), "SnatchPickup sent more than once")
			_, err = c.SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
			require.Error(t, err)
			require.Equal(t, before+2, h.requests.Load(), "SignIn sent more than once")
			require.Zero(t, h.h2conns.Load(), "HTTP/2 was negotiated")
		})
	}
}

// rawServer is a loopback TCP server that hands each connection to serve.
// Close ends every connection and waits for the serving goroutines.
type rawServer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

func newRawServer(t *testing.T, serve func(c net.Conn, br *bufio.Reader)) *rawServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	rs := &rawServer{ln: ln}
	rs.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			rs.mu.Lock()
			rs.conns = append(rs.conns, c)
			rs.mu.Unlock()
			rs.wg.Go(func() {
				defer func() { _ = c.Close() }()
				serve(c, bufio.NewReader(c))
			})
		}
	})
	t.Cleanup(func() {
		_ = ln.Close()
		rs.mu.Lock()
		for _, c := range rs.conns {
			_ = c.Close()
		}
		rs.mu.Unlock()
		rs.wg.Wait()
	})
	return rs
}

func (rs *rawServer) URL() string { return "http://" + rs.ln.Addr().String() }

// readRequest reads one request and its body.
func readRequest(br *bufio.Reader) (*http.Request, bool) {
	r, err := http.ReadRequest(br)
	if err != nil {
		return nil, false
	}
	_, _ = io.Copy(io.Discard, r.Body)
	return r, true
}

func writeReply(c net.Conn, head, body string) {
	_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: "+jsonUTF8+"\r\n"+head+
		"Content-Length: "+strconv.Itoa(len(body))+"\r\n\r\n"+body)
}

// net/http's HTTP/1 transport resends a GET (and any "replayable" request)
// when a kept-alive connection closes before the reply; the library makes
// every request unreplayable, so each call reaches the server once.
func TestKeptAliveConnectionClosedAfterRequest(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	var framing []string // the empty body that makes a GET unreplayable is never sent
	srv := newRawServer(t, func(c net.Conn, br *bufio.Reader) {
		for first := true; ; first = false {
			r, ok := readRequest(br)
			if !ok {
				return
			}
			mu.Lock()
			seen[r.Method+" "+strings.TrimPrefix(r.URL.Path, base)]++
			if len(r.TransferEncoding) > 0 || (r.Method != http.MethodPut && r.ContentLength != 0) {
				framing = append(framing, r.Method+" sent a body")
			}
			mu.Unlock()
			if !first {
				return // read, then hang up without a reply
			}
			writeReply(c, "Set-GUID: JSESSIONID="+testGuid+"\r\n", okReply)
		}
	})
	c, err := wrapper.NewClient(srv.URL(), wrapper.WithTimeout(5*time.Second))
	require.NoError(t, err)
	ctx := testContext(t)
	s, err := c.Resume(agentA, testGuid)
	require.NoError(t, err)
	for _, call := range []struct {
		req  string
		call func() error
	}{
		{"PUT /voicecall/20001/snatchpickup", func() error { return s.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: agentB}) }},
		{"GET /calldata/20001/holdlist", func() error { _, err := s.GetHoldList(ctx); return err }},
		{"DELETE /voicecall/20001/release", func() error { return s.Release(ctx) }},
		{"DELETE /onlineagent/20001/logout", func() error { return s.SignOut(ctx) }},
	} {
		// A call on a fresh connection is answered; the next one reuses it.
		require.NoError(t, s.Answer(ctx, nil))
		assert.Error(t, call.call(), call.req)
		mu.Lock()
		assert.Equal(t, 1, seen[call.req], "%s reached the server more than once", call.req)
		mu.Unlock()
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, framing)
}

// NewClient warns when a caller's *http.Transport may negotiate HTTP/2,
// and says nothing for one that cannot or that it cannot inspect.
func TestCallerTransportThatMaySpeakHTTP2Warns(t *testing.T) {
	h1 := &http.Transport{Protocols: new(http.Protocols)}
	h1.Protocols.SetHTTP1(true)
	for name, tc := range map[string]struct {
		opt  wrapper.Option
		warn bool
	}{
		"http.DefaultTransport":          {wrapper.WithTransport(http.DefaultTransport), true},
		"ForceAttemptHTTP2":              {wrapper.WithTransport(&http.Transport{ForceAttemptHTTP2: true}), true},
		"client with DefaultTransport":   {wrapper.WithHTTPClient(&http.Client{Transport: http.DefaultTransport}), true},
		"HTTP/1 only":                    {wrapper.WithTransport(h1), false},
		"empty TLSNextProto":             {wrapper.WithTransport(&http.Transport{TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{}}), false},
		"client with nil Transport":      {wrapper.WithHTTPClient(&http.Client{}), false},
		"a RoundTripper (not inspected)": {wrapper.WithTransport(roundTripFunc(nil)), false},
	} {
		t.Run(name, func(t *testing.T) {
			var logs strings.Builder
			_, err := wrapper.NewClient("https://gw:8043", tc.opt, wrapper.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			require.NoError(t, err)
			if tc.warn {
				assert.Contains(t, logs.String(), "level=WARN")
				assert.Contains(t, logs.String(), "HTTP/2")
			} else {
				assert.Empty(t, logs.String())
			}
		})
	}
}
