package doctor

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

func (r *runner) checkDNS(ctx context.Context) Result {
	ctx, cancel := r.bounded(ctx)
	defer cancel()
	res, ok := resolve(ctx, r.cfg.Resolver, r.base.Hostname())
	r.dnsOK = ok
	return res
}

// resolve looks host up; an IP literal needs no lookup.
func resolve(ctx context.Context, res *net.Resolver, host string) (Result, bool) {
	if _, err := netip.ParseAddr(host); err == nil {
		return ok(host + " is an IP address: nothing to resolve"), true
	}
	addrs, err := res.LookupNetIP(ctx, "ip", host)
	switch {
	case err != nil:
		return fail("cannot resolve "+host+": "+err.Error(),
			"check the host name, and this host's DNS (resolv.conf, search domains, /etc/hosts)"), false
	case len(addrs) == 0:
		return fail(host+" resolves to no address", "check the host's DNS records"), false
	}
	shown := make([]string, 0, 4)
	for _, a := range addrs[:min(len(addrs), 4)] {
		shown = append(shown, a.Unmap().String())
	}
	detail := host + " resolves to " + strings.Join(shown, ", ")
	if len(addrs) > len(shown) {
		detail += fmt.Sprintf(" and %d more", len(addrs)-len(shown))
	}
	return ok(detail), true
}

func (r *runner) checkTCP(ctx context.Context) Result {
	if !r.dnsOK {
		return skip("needs the host resolved (dns failed)")
	}
	ctx, cancel := r.bounded(ctx)
	defer cancel()
	res, conn := r.dial(ctx, r.hostport, "the gateway")
	if conn != nil {
		r.tcpOK = true
		_ = conn.Close()
	}
	// The library's transport honours HTTP(S)_PROXY; these checks do not.
	if p, err := http.ProxyFromEnvironment(&http.Request{URL: r.base}); err == nil && p != nil {
		res.Detail += " (directly; the library goes through the proxy " + p.Host + " of HTTP(S)_PROXY)"
	}
	return res
}

// dial opens a TCP connection to hostport, where what should listen, and
// says how long it took.
func (r *runner) dial(ctx context.Context, hostport, what string) (Result, net.Conn) {
	start := time.Now()
	conn, err := r.netDialer().DialContext(ctx, "tcp", hostport)
	took := time.Since(start)
	switch {
	case err == nil:
		return ok(fmt.Sprintf("connected to %s in %s", conn.RemoteAddr(), ms(took))), conn
	case isTimeout(err):
		return fail(fmt.Sprintf("no answer from %s within %s", hostport, r.cfg.Timeout),
			"packets are dropped: a firewall, a security group, or the wrong address"), nil
	}
	if oe, ok := errors.AsType[*net.OpError](err); ok && oe.Err != nil {
		err = oe.Err // without the address said already
	}
	return fail("cannot connect to "+hostport+": "+err.Error(),
		"refused: nothing listens there; check the port and that "+what+" runs"), nil
}

// netDialer dials with the configured resolver.
func (r *runner) netDialer() *net.Dialer { return &net.Dialer{Resolver: r.cfg.Resolver} }
