package wrapper

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// A session's jar sends the cookies its state records, by domain and
// path, and forgets those the gateway deletes.
func TestSessionCookieJar(t *testing.T) {
	s := &Session{}
	jar := cookieJar{s}
	names := func(raw string) []string {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range jar.Cookies(u) {
			out = append(out, c.Name+"="+c.Value)
		}
		slices.Sort(out)
		return out
	}
	set := func(host string, cookies ...string) {
		resp := &http.Response{Header: http.Header{"Set-Cookie": cookies},
			Request: &http.Request{URL: &url.URL{Scheme: "https", Host: host, Path: "/"}}}
		s.noteCookies(resp)
	}
	assert.Empty(t, names("https://gw.example.com/agentgateway/resource"))

	set("gw.example.com:8043", "lb=node7; Path=/", "app=a1; Path=/agentgateway", "other=o; Path=/agentgatewayx",
		"wide=w; Domain=.example.com; Path=/")
	assert.Equal(t, []string{"app=a1", "lb=node7", "wide=w"}, names("https://gw.example.com:8043/agentgateway/resource/agentevent/20001"))
	assert.Equal(t, []string{"lb=node7", "wide=w"}, names("https://gw.example.com/"), "a path matches at a boundary only")
	assert.Equal(t, []string{"lb=node7", "wide=w"}, names("https://gw.example.com/agentgatewa"), "nor a longer path")
	assert.Equal(t, []string{"wide=w"}, names("https://other.example.com/agentgateway"), "host-only cookies stay with their host")
	assert.Empty(t, names("https://example.org/"))

	set("gw.example.com", "lb=node8; Path=/", "app=; Path=/agentgateway; Max-Age=0",
		"wide=; Domain=example.com; Path=/; Expires="+time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat))
	assert.Equal(t, []string{"lb=node8"}, names("https://gw.example.com/agentgateway/x"), "replaced and deleted")
}
