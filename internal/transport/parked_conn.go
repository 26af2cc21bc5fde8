package transport

import (
	"bufio"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// parkedConn is a connection and the exchange on it. Idle, it keeps only
// p, conn, key and since.
type parkedConn struct {
	p     *Parked
	conn  net.Conn
	key   connKey
	since time.Time // idle since

	ctx     context.Context
	w       *Wire
	then    func(*http.Response, error)
	stop    func() bool // of the context's AfterFunc
	first   [1]byte
	pending bool  // first is yet to be read
	limit   int64 // header bytes left to read; negative: the body's turn
	br      *bufio.Reader
}

// wait is all a waiting request runs. It stays tiny so that its goroutine
// waits on the smallest stack.
func (pc *parkedConn) wait() {
	n, err := pc.conn.Read(pc.first[:])
	if n == 0 && err == nil {
		err = io.ErrNoProgress
	}
	pc.reply(err)
}

// reply reads the reply that has begun and hands it to then.
func (pc *parkedConn) reply(err error) {
	var resp *http.Response
	req := &http.Request{Method: pc.w.method, URL: pc.w.url, Close: pc.w.close} // the reply's Request
	if err == nil {
		pc.pending = true
		pc.br = readers.Get().(*bufio.Reader)
		pc.br.Reset(pc)
		resp, err = http.ReadResponse(pc.br, req)
		// A 1xx reply (103 Early Hints, say) precedes the reply; its bytes
		// count towards the header limit. A 101 is handed on.
		for err == nil && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			resp, err = http.ReadResponse(pc.br, req)
		}
	}
	then, ctx := pc.then, pc.ctx
	if err != nil {
		pc.stop()
		_ = pc.conn.Close()
		then(nil, urlError(req.Method, req.URL, ctxErr(ctx, err)))
		return
	}
	pc.limit = -1
	if tc, ok := pc.conn.(*tls.Conn); ok {
		state := tc.ConnectionState()
		resp.TLS = &state
	}
	keep := !resp.Close && !req.Close && resp.StatusCode != http.StatusSwitchingProtocols
	b := &parkedBody{pc: pc, rc: resp.Body, ctx: ctx, keep: keep}
	b.eof.Store(resp.Body == http.NoBody)
	resp.Body = b
	then(resp, nil)
}

// Read reads the reply: the byte wait read, then the connection, within
// the header limit until the headers are read.
func (pc *parkedConn) Read(b []byte) (n int, err error) {
	if pc.limit == 0 {
		return 0, fmt.Errorf("agentgateway: reply headers exceed %d bytes", pc.p.maxHeader)
	}
	if pc.limit > 0 && int64(len(b)) > pc.limit {
		b = b[:pc.limit]
	}
	if pc.pending && len(b) > 0 {
		b[0], n, pc.pending = pc.first[0], 1, false
	} else {
		n, err = pc.conn.Read(b)
	}
	if pc.limit > 0 {
		pc.limit -= int64(n)
	}
	return n, err
}

// parkedBody is a reply's body. Closed once read to its end, it puts the
// connection back for another request, if the reply allows.
type parkedBody struct {
	pc     *parkedConn
	rc     io.ReadCloser // net/http's: after io.EOF it never reads again
	ctx    context.Context
	keep   bool // the reply keeps the connection alive
	eof    atomic.Bool
	closed atomic.Bool
}

func (b *parkedBody) Read(p []byte) (int, error) {
	if b.closed.Load() {
		return 0, http.ErrBodyReadAfterClose
	}
	n, err := b.rc.Read(p)
	switch {
	case err == io.EOF:
		b.eof.Store(true)
	case err != nil:
		err = ctxErr(b.ctx, err)
	}
	return n, err
}

// Close ends the exchange. Before the end of the body it closes the
// connection, which also ends a Read under way.
func (b *parkedBody) Close() error {
	if b.closed.Swap(true) {
		return nil
	}
	pc := b.pc
	// stop fails once the context has ended: its deadline may be set.
	if b.eof.Load() && b.keep && pc.stop() && pc.br.Buffered() == 0 {
		pc.p.putIdle(pc)
		return nil
	}
	pc.stop()
	_ = pc.conn.Close() // a failed TLS close_notify included: the body is closed
	return nil
}
