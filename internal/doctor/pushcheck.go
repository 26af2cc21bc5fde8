package doctor

import (
	"context"
	"crypto/tls"
	"strings"
)

// fromHere is said with every push result: the gateway, not this host,
// connects to the callback URL, maybe from another network.
const fromHere = "reachability from this host, not from the gateway"

// checkPush resolves the callback URL's host, connects to it and, for
// https, shakes hands. It shows only the scheme, host and port: the path
// or query may hold a token.
func (r *runner) checkPush(ctx context.Context) Result {
	if r.push == nil {
		return skip("no push callback URL given")
	}
	ctx, cancel := r.bounded(ctx)
	defer cancel()
	host, hp := r.push.Hostname(), hostPort(r.push)
	shown := r.push.Scheme + "://" + hp + ": "
	res, resolved := resolve(ctx, r.cfg.Resolver, host)
	if !resolved {
		return pushResult(res, shown)
	}
	found := []string{res.Detail}
	res, conn := r.dial(ctx, hp, "the callback server")
	if conn == nil {
		res.Hint = "the gateway may still reach it from its own network; " + res.Hint
		return pushResult(res, shown+strings.Join(found, "; ")+"; ")
	}
	defer func() { _ = conn.Close() }()
	found = append(found, res.Detail)
	if r.push.Scheme == "https" {
		tc := tls.Client(conn, probeTLS(host, "http/1.1"))
		err := tc.HandshakeContext(ctx)
		if err == nil {
			_, err = checkPeer(tc.ConnectionState())
		}
		if err != nil {
			return pushResult(fail("TLS handshake failed: "+err.Error(),
				"the callback server must speak TLS on this port, to the gateway too"), shown+strings.Join(found, "; ")+"; ")
		}
		st := tc.ConnectionState()
		found = append(found, tls.VersionName(st.Version))
		if ps := verify(st.PeerCertificates, host, r.cfg.RootCAs, r.cfg.Now()); len(ps) > 0 {
			return pushResult(warn("certificate refused here: "+ps.text(), "the gateway must trust the callback's certificate: "+ps.hint()),
				shown+strings.Join(found, "; ")+"; ")
		}
		found = append(found, "certificate verified")
	}
	return pushResult(ok(strings.Join(found, "; ")), shown)
}

// pushResult is res with prefix before its detail and fromHere after it.
func pushResult(res Result, prefix string) Result {
	res.Detail = prefix + res.Detail + " (" + fromHere + ")"
	return res
}
