package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// expirySoon is when the tls check starts warning of the leaf's expiry.
const expirySoon = 30 * 24 * time.Hour

func (r *runner) checkTLS(ctx context.Context) Result {
	if why := r.blocked(needTCP); why != "" {
		return skip(why)
	}
	if r.base.Scheme == "http" {
		r.handshakeOK, r.trustedTLS = true, true
		return warn("plain http: no TLS, the password and the Guid travel in clear",
			"use an https base URL outside a lab (the gateway's TLS port, 8043 by default)")
	}
	ctx, cancel := r.bounded(ctx)
	defer cancel()
	host := r.base.Hostname()
	st, err := r.handshake(ctx, probeTLS(host, "http/1.1"))
	if err != nil {
		return fail("TLS handshake with "+r.hostport+" failed: "+err.Error(),
			"if the port speaks plain HTTP use an http:// base URL; else compare the gateway's TLS settings with this client's (TLS 1.2 or later)")
	}
	r.handshakeOK = true
	now := r.cfg.Now()
	leaf := st.PeerCertificates[0]
	found := fmt.Sprintf("%s, certificate for %s, %s", tls.VersionName(st.Version), certNames(leaf), expiry(leaf, now))
	problems := verify(st.PeerCertificates, host, r.cfg.RootCAs, now)
	if len(problems) > 0 && !r.cfg.Insecure {
		r.tlsBroken = "the library would refuse the gateway's certificate (tls failed)"
		return fail(found+"; refused: "+problems.text(), problems.hint())
	}
	r.trustedTLS = true
	var warns, hints []string
	if r.cfg.Insecure {
		off := "verification is off (Insecure)"
		if len(problems) > 0 {
			off += ", else refused: " + problems.text()
		}
		warns = append(warns, off)
		hints = append(hints, "anyone on the path can read the password and the Guid: trust the gateway's CA (agw -ca, wrapper.WithRootCAs) instead")
	} else {
		found += ", chain verified"
	}
	if st.Version < tls.VersionTLS12 {
		warns = append(warns, tls.VersionName(st.Version)+" is below TLS 1.2")
		hints = append(hints, "this library needs TLS 1.2 or later: enable it on the gateway")
	}
	if left := leaf.NotAfter.Sub(now); left >= 0 && left < expirySoon {
		warns = append(warns, "the certificate expires within 30 days")
		hints = append(hints, "renew the gateway's certificate before "+leaf.NotAfter.UTC().Format(time.DateOnly))
	}
	if len(warns) > 0 {
		return warn(found+"; "+strings.Join(warns, "; "), strings.Join(hints, "; "))
	}
	return ok(found)
}

func (r *runner) checkHTTP2(ctx context.Context) Result {
	if why := r.blocked(needHandshake); why != "" {
		return skip(why)
	}
	if r.base.Scheme == "http" {
		return skip("plain http: no TLS, so no ALPN; requests go as HTTP/1.1")
	}
	ctx, cancel := r.bounded(ctx)
	defer cancel()
	const offered = "offered h2 and http/1.1"
	st, err := r.handshake(ctx, probeTLS(r.base.Hostname(), "h2", "http/1.1"))
	switch {
	case err != nil:
		return warn(offered+": the handshake failed: "+err.Error(),
			"the gateway refuses a client offering h2; this library offers only http/1.1, so it may still work (see signin)")
	case st.NegotiatedProtocol == "":
		return ok(offered + "; the gateway chose none (no ALPN): HTTP/1.1, as this library speaks")
	case st.NegotiatedProtocol == "http/1.1":
		return ok(offered + "; the gateway chose http/1.1, as this library speaks")
	}
	return warn(offered+"; the gateway chose "+st.NegotiatedProtocol,
		"this library offers only http/1.1 and stays on HTTP/1.1 (HTTP/2 may resend a request); other clients may get "+st.NegotiatedProtocol)
}

// probeTLS is the config of the raw handshakes: any version, any
// certificate. Nothing is sent over them; verify judges trust afterwards,
// so that a refusal can say why and an old version can be reported.
func probeTLS(host string, protos ...string) *tls.Config {
	return &tls.Config{ServerName: host, InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, NextProtos: protos}
}

// handshake opens a TLS connection to the gateway, returns its state and
// closes it.
func (r *runner) handshake(ctx context.Context, cfg *tls.Config) (tls.ConnectionState, error) {
	d := tls.Dialer{NetDialer: r.netDialer(), Config: cfg}
	conn, err := d.DialContext(ctx, "tcp", r.hostport)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer func() { _ = conn.Close() }()
	return checkPeer(conn.(*tls.Conn).ConnectionState())
}

func checkPeer(st tls.ConnectionState) (tls.ConnectionState, error) {
	if len(st.PeerCertificates) == 0 {
		return st, errors.New("the server sent no certificate")
	}
	return st, nil
}

// problem is one reason a certificate is refused, and what to do.
type problem struct{ text, hint string }

type problems []problem

func (ps problems) text() string {
	texts := make([]string, len(ps))
	for i, p := range ps {
		texts[i] = p.text
	}
	return strings.Join(texts, "; ")
}

func (ps problems) hint() string {
	var hints []string
	for _, p := range ps {
		if !slices.Contains(hints, p.hint) {
			hints = append(hints, p.hint)
		}
	}
	return strings.Join(hints, "; ")
}

// verify lists every reason the chain certs, as a server sent it, is not
// valid for host at now under roots (nil: the system's): the leaf's dates,
// its names, and its chain (checked at a time inside the leaf's dates, so
// that an expiry is not reported twice).
func verify(certs []*x509.Certificate, host string, roots *x509.CertPool, now time.Time) problems {
	leaf := certs[0]
	var ps problems
	at := now
	switch {
	case now.After(leaf.NotAfter):
		ps = append(ps, problem{"expired",
			"renew the certificate (if it is not old, check this host's clock: see clock)"})
		at = leaf.NotAfter
	case now.Before(leaf.NotBefore):
		ps = append(ps, problem{"not yet valid (from " + leaf.NotBefore.UTC().Format(time.RFC3339) + ")",
			"this host's clock may be behind (see clock), or the certificate was issued for later"})
		at = leaf.NotBefore
	}
	if err := leaf.VerifyHostname(host); err != nil {
		ps = append(ps, problem{"wrong host (not valid for " + host + ")",
			"put a name the certificate holds in the base URL, or reissue the certificate for " + host})
	}
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at}); err != nil {
		var ua x509.UnknownAuthorityError
		what := err.Error()
		if errors.As(err, &ua) {
			what = "signed by an unknown authority"
			if ua.Cert != nil && ua.Cert.Issuer.CommonName != "" {
				what += ": " + ua.Cert.Issuer.CommonName
			}
		}
		ps = append(ps, problem{"untrusted chain (" + what + ")",
			"trust the gateway's CA (agw -ca, wrapper.WithRootCAs), or make the gateway send its intermediate certificates"})
	}
	return ps
}

// certNames is what the certificate is for: its DNS names and IP
// addresses (the first few), else its common name.
func certNames(c *x509.Certificate) string {
	names := slices.Clone(c.DNSNames)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	switch {
	case len(names) == 0 && c.Subject.CommonName != "":
		return c.Subject.CommonName + " (common name only)"
	case len(names) == 0:
		return "no name"
	case len(names) > 3:
		return strings.Join(names[:3], ", ") + fmt.Sprintf(" and %d more", len(names)-3)
	}
	return strings.Join(names, ", ")
}

// expiry says when c expires, relative to now.
func expiry(c *x509.Certificate, now time.Time) string {
	date := c.NotAfter.UTC().Format(time.DateOnly)
	left := c.NotAfter.Sub(now)
	switch days := int(left.Abs().Hours() / 24); {
	case left < 0:
		return fmt.Sprintf("expired %s (%d days ago)", date, days)
	case days == 0:
		return fmt.Sprintf("expires %s (in less than a day)", date)
	default:
		return fmt.Sprintf("expires %s (in %d days)", date, days)
	}
}
