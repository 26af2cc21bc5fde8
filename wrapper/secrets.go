package wrapper

import (
	"net/http"
	"net/url"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// Withhold returns text, or Withheld if it holds any form of the session's
// Guid, cookies or push service token: for printing what the gateway
// sent, such as events.
func (s *Session) Withhold(text string) string {
	return redact.Of(s.secrets("", nil, nil, nil)...).Field(text)
}

// secrets lists every secret an exchange touched: the Guid it sent and the
// session's Guid now, the service token it signed in with, its other
// secrets (a password, a service token), the
// Guid and cookies the reply set, the session's cookies for the request's
// URL (from resp, else reqURL) and the base URL, and those State records.
// resp and reqURL may be nil. Only error paths pay for it.
func (s *Session) secrets(sentGuid string, extra []string, resp *http.Response, reqURL *url.URL) []string {
	vals := append([]string{sentGuid, s.Guid()}, extra...)
	if s.token != nil {
		vals = append(vals, *s.token)
	}
	var cookies []*http.Cookie
	if resp != nil {
		cookies = resp.Cookies()
		if resp.Request != nil {
			reqURL = resp.Request.URL
		}
		for _, v := range resp.Header.Values("Set-Guid") {
			vals = append(vals, v, parseSetGuid(v))
		}
	}
	cookies = append(cookies, s.hc.Jar.Cookies(s.c.baseURL)...) // every session has a jar
	if reqURL != nil {
		cookies = append(cookies, s.hc.Jar.Cookies(reqURL)...)
	}
	for _, c := range cookies {
		vals = append(vals, c.Value)
	}
	if cs := s.cookies.Load(); cs != nil { // those of every gateway, as State shows them
		for _, c := range *cs {
			vals = append(vals, c.Value)
		}
	}
	return vals
}
