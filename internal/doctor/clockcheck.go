package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Clock skew thresholds: events' times and the Guid's expiry depend on
// the two clocks agreeing.
const (
	skewWarn = 5 * time.Second
	skewFail = 60 * time.Second
)

// checkClock compares the Date header of a GET of the base URL (a request
// carrying nothing secret) with the local clock. When the tls check
// refused the certificate it still reads the Date, unverified: an
// "expired" certificate may be this host's clock's fault.
func (r *runner) checkClock(ctx context.Context) Result {
	if why := r.blocked(needHandshake); why != "" {
		return skip(why)
	}
	ctx, cancel := r.bounded(ctx)
	defer cancel()
	tc := &tls.Config{ServerName: r.base.Hostname(), RootCAs: r.cfg.RootCAs, MinVersion: tls.VersionTLS10, // the tls check judges the version
		NextProtos: []string{"http/1.1"}, Time: r.cfg.Now}
	unverified := ""
	if r.base.Scheme == "https" && (!r.trustedTLS || r.cfg.Insecure) {
		tc = probeTLS(r.base.Hostname(), "http/1.1")
		unverified = "; read without verifying the certificate"
	}
	tr := &http.Transport{DialContext: r.netDialer().DialContext, TLSClientConfig: tc, DisableKeepAlives: true, Protocols: new(http.Protocols)}
	tr.Protocols.SetHTTP1(true)
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.client.BaseURL(), nil)
	if err != nil {
		return fail("cannot build a request: "+err.Error(), "check the base URL")
	}
	before := r.cfg.Now()
	resp, err := hc.Do(req)
	after := r.cfg.Now()
	if err != nil {
		return fail("no HTTP reply to GET "+r.base.Path+": "+err.Error(),
			"the port takes connections but does not answer HTTP in time: check the gateway's service and any proxy in front")
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	date := resp.Header.Get("Date")
	if date == "" {
		return warn(fmt.Sprintf("the reply (HTTP %d) has no Date header: clocks not compared", resp.StatusCode)+unverified,
			"check this host's and the gateway's time sync (NTP) by other means")
	}
	t, err := http.ParseTime(date)
	if err != nil {
		return warn(fmt.Sprintf("the reply's Date header %q is not an HTTP date: clocks not compared", date)+unverified,
			"check this host's and the gateway's time sync (NTP) by other means")
	}
	// Date holds whole seconds: the gateway's time was half a second later
	// on average, read halfway through the exchange.
	skew := t.Add(time.Second / 2).Sub(before.Add(after.Sub(before) / 2))
	const hint = "events' times and the Guid's expiry depend on agreeing clocks: check time sync (NTP) on this host and on the gateway"
	switch abs := skew.Abs().Round(time.Second); {
	case abs > skewFail:
		return fail(skewText(skew)+", more than "+skewFail.String()+unverified, hint)
	case abs > skewWarn:
		return warn(skewText(skew)+", more than "+skewWarn.String()+unverified, hint)
	case abs == 0:
		return ok("the gateway's clock agrees with this host's to the second (Date header)" + unverified)
	}
	return ok(skewText(skew) + " (Date header)" + unverified)
}

// skewText says by how much and which way the gateway's clock is off.
func skewText(skew time.Duration) string {
	way := "ahead of"
	if skew < 0 {
		way = "behind"
	}
	return "the gateway's clock is " + skew.Abs().Round(time.Second).String() + " " + way + " this host's"
}
