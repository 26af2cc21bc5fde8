package transport

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Parked sends requests whose replies may be long in coming (a long poll)
// at a small cost while they wait: one goroutine on a small stack blocked
// in a 1-byte read, the connection and a few hundred bytes, where an
// http.Client holds the caller's goroutine, two of its own per connection
// and their buffers. It speaks HTTP/1.1 only, directly to the server: no
// proxy, no compression, and it never sends a request twice.
type Parked struct {
	// MaxIdlePerHost bounds the idle connections kept per scheme and host:
	// many agents poll at once and come back within moments, and each
	// connection closed would cost a dial. Set it before the first Send.
	MaxIdlePerHost int

	dial        func(ctx context.Context, network, addr string) (net.Conn, error)
	proxy       func(*http.Request) (*url.URL, error)
	tls         *tls.Config
	tlsTimeout  time.Duration
	maxHeader   int64
	idleTimeout time.Duration

	mu   sync.Mutex
	idle map[connKey][]*parkedConn // oldest first
}

type connKey struct{ scheme, addr string }

// NewParked returns a Parked that connects as tr would: through
// tr.DialContext (a net.Dialer by default), then for https a TLS handshake
// with a clone of tr.TLSClientConfig offering http/1.1 only, TLS 1.2 or
// later, bounded by tr.TLSHandshakeTimeout (10 s by default). Reply headers
// are bounded by tr.MaxResponseHeaderBytes (64 KiB by default). tr.Proxy is
// asked per request: one it would send through a proxy fails, and should
// go through an http.Client instead. tr's Dial, DialTLS and DialTLSContext
// are refused; its timeouts for reply headers and 100-continue do not
// apply (Send's context and timeout bound the wait).
func NewParked(tr *http.Transport) (*Parked, error) {
	if tr == nil {
		return nil, errors.New("agentgateway: Parked needs an *http.Transport")
	}
	//lint:ignore SA1019 the deprecated dials are refused, not used
	if tr.Dial != nil || tr.DialTLS != nil || tr.DialTLSContext != nil {
		return nil, errors.New("agentgateway: Parked dials through DialContext only")
	}
	p := &Parked{
		MaxIdlePerHost: max(tr.MaxIdleConnsPerHost, 1024),
		dial:           tr.DialContext,
		proxy:          tr.Proxy,
		tls:            cmp.Or(tr.TLSClientConfig, &tls.Config{}).Clone(),
		tlsTimeout:     cmp.Or(max(tr.TLSHandshakeTimeout, 0), 10*time.Second),
		maxHeader:      cmp.Or(max(tr.MaxResponseHeaderBytes, 0), 64<<10),
		// Servers close idle connections, and a request written to one
		// that is closing is lost without our knowing whether it arrived.
		idleTimeout: min(cmp.Or(max(tr.IdleConnTimeout, 0), time.Hour), 20*time.Second),
	}
	if p.dial == nil {
		p.dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	if tr.DisableKeepAlives {
		p.MaxIdlePerHost = 0
	}
	p.tls.MinVersion = cmp.Or(p.tls.MinVersion, tls.VersionTLS12)
	p.tls.NextProtos = []string{"http/1.1"}
	return p, nil
}

// Wire is a request as net/http writes it, made once and sent as is by
// Send, again and again, one send at a time: a waiting send holds no
// request of its own (a poll sent every few seconds by each of thousands
// of agents). It is not a secret-free value: it holds the headers.
type Wire struct {
	method string
	url    *url.URL
	close  bool
	key    connKey
	bytes  []byte
}

// NewWire writes req, closing its body, for p's Send. The transport's
// Proxy is asked here, once per Wire, not per send: a request it would
// send through a proxy is refused.
func (p *Parked) NewWire(req *http.Request) (*Wire, error) {
	u := req.URL
	var err error
	switch {
	case u == nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		err = errors.New("agentgateway: Parked needs an http or https URL with a host")
	case p.proxy != nil:
		var pu *url.URL
		if pu, err = p.proxy(req); err == nil && pu != nil {
			err = errors.New("agentgateway: Parked cannot go through the proxy " + pu.Redacted())
		}
	}
	if err != nil {
		if req.Body != nil {
			_ = req.Body.Close() // as a RoundTripper would
		}
		return nil, err
	}
	var b bytes.Buffer
	if err := req.Write(&b); err != nil {
		return nil, err
	}
	w := &Wire{method: cmp.Or(req.Method, http.MethodGet), url: u, close: req.Close, key: connKey{u.Scheme, u.Host}, bytes: b.Bytes()}
	if u.Port() == "" {
		w.key.addr = net.JoinHostPort(u.Hostname(), defaultPort[u.Scheme])
	}
	return w, nil
}

// Send writes w on the caller's goroutine, bounded by ctx, on a fresh
// idle connection to its scheme and host or a new one, and returns. then,
// which must not be nil, is called once, on a goroutine of Parked's, with
// the reply as soon as it begins to arrive, or with the error that ended
// the wait: a *url.Error around a *net.OpError whose Op is "dial" when the
// request was never sent, around ctx's error when that ended first.
// then's code must close the reply's Body; read to its end first, the
// connection may serve another request. timeout, if positive, bounds the
// exchange as a context deadline would, but with the connection's
// deadline: no context or timer to allocate per request.
func (p *Parked) Send(ctx context.Context, w *Wire, timeout time.Duration, then func(*http.Response, error)) {
	if then == nil {
		return
	}
	pc, err := p.send(ctx, w, timeout, then)
	if err != nil {
		go then(nil, urlError(w.method, w.url, err))
		return
	}
	go pc.wait()
}

func (p *Parked) send(ctx context.Context, w *Wire, timeout time.Duration, then func(*http.Response, error)) (*parkedConn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	pc := p.getIdle(w.key)
	if pc == nil {
		conn, err := p.connect(ctx, w.key, w.url.Hostname())
		if err != nil {
			return nil, err
		}
		pc = &parkedConn{p: p, conn: conn, key: w.key}
	}
	pc.ctx, pc.w, pc.then, pc.limit = ctx, w, then, p.maxHeader
	conn := pc.conn
	var deadline time.Time // none, or a reused connection's last one cleared
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	_ = conn.SetDeadline(deadline)
	// A deadline in the past ends the write, the wait or a body read at once.
	pc.stop = context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	if _, err := conn.Write(w.bytes); err != nil {
		pc.stop()
		_ = conn.Close()
		return nil, ctxErr(ctx, err)
	}
	return pc, nil
}

func (p *Parked) connect(ctx context.Context, key connKey, host string) (net.Conn, error) {
	conn, err := p.dial(ctx, "tcp", key.addr)
	if err != nil || key.scheme == "http" {
		return conn, err
	}
	cfg := p.tls
	if cfg.ServerName == "" {
		cfg = cfg.Clone()
		cfg.ServerName = host
	}
	tc := tls.Client(conn, cfg)
	hctx, cancel := context.WithTimeout(ctx, p.tlsTimeout)
	defer cancel()
	if err := tc.HandshakeContext(hctx); err != nil {
		_ = conn.Close()
		if ctx.Err() == nil && hctx.Err() != nil {
			err = errors.New("agentgateway: TLS handshake timeout")
		}
		return nil, err
	}
	return tc, nil
}

var (
	defaultPort = map[string]string{"http": "80", "https": "443"}
	readers     = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 1<<10) }}
)

// getIdle takes the newest idle connection for key, if it is fresh.
func (p *Parked) getIdle(key connKey) *parkedConn {
	var pc *parkedConn
	var stale []*parkedConn
	p.mu.Lock()
	s := p.idle[key]
	if n := len(s); n > 0 && time.Since(s[n-1].since) < p.idleTimeout {
		pc, s[n-1] = s[n-1], nil
		s = s[:n-1]
	} else {
		stale, s = s, nil // the newest is stale, and the others older
	}
	if len(s) == 0 {
		delete(p.idle, key)
	} else {
		p.idle[key] = s
	}
	p.mu.Unlock()
	for _, c := range stale {
		_ = c.conn.Close()
	}
	return pc
}

// putIdle keeps pc for another request, with no goroutine and no buffer,
// making room by closing the oldest and the stale.
func (p *Parked) putIdle(pc *parkedConn) {
	pc.br.Reset(nil)
	readers.Put(pc.br)
	pc.ctx, pc.w, pc.then, pc.stop, pc.br = nil, nil, nil, nil, nil
	pc.since = time.Now()
	if p.MaxIdlePerHost <= 0 {
		_ = pc.conn.Close()
		return
	}
	p.mu.Lock()
	if p.idle == nil {
		p.idle = make(map[connKey][]*parkedConn)
	}
	s := p.idle[pc.key]
	n := 0
	for n < len(s) && (len(s)-n >= p.MaxIdlePerHost || pc.since.Sub(s[n].since) >= p.idleTimeout) {
		n++
	}
	drop := slices.Clone(s[:n])
	p.idle[pc.key] = append(slices.Delete(s, 0, n), pc)
	p.mu.Unlock()
	for _, c := range drop {
		_ = c.conn.Close()
	}
}

// CloseIdleConnections closes every idle connection.
func (p *Parked) CloseIdleConnections() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()
	for _, s := range idle {
		for _, pc := range s {
			_ = pc.conn.Close()
		}
	}
}

// ctxErr is ctx's error once it has ended, err before: ending the context
// interrupts reads and writes with errors of their own.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}

// urlError wraps err as net/http would.
func urlError(method string, u *url.URL, err error) error {
	op := cmp.Or(method, http.MethodGet)
	redacted := ""
	if u != nil {
		redacted = u.Redacted()
	}
	return &url.Error{Op: op[:1] + strings.ToLower(op[1:]), URL: redacted, Err: err}
}
