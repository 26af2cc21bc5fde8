package transport

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// URLError is a base URL BaseURL refuses.
type URLError struct {
	Value string // the URL, shortened, user info withheld
	Rule  string // what it must be
}

func (e *URLError) Error() string {
	return "agentgateway: invalid base URL " + e.Value + ": must be " + e.Rule
}

// BaseURL parses a gateway's base URL: its root ("https://host:8043"), to
// which defaultPath is added, or a full base with a path
// ("https://proxy/agw"), used as given without a trailing slash. It must be
// http or https, with a host, and without user info, query or fragment.
func BaseURL(raw, defaultPath string) (*url.URL, error) {
	shown := strconv.Quote(redact.Clip(raw, 64))
	u, err := url.Parse(raw)
	switch {
	case strings.TrimSpace(raw) == "":
		return nil, &URLError{shown, "an http or https URL"}
	case err != nil:
		return nil, &URLError{shown, "an http or https URL (" + err.Error() + ")"}
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, &URLError{shown, "an http or https URL"}
	case u.Host == "":
		return nil, &URLError{shown, "a URL with a host"}
	case u.User != nil:
		return nil, &URLError{u.Redacted(), "a URL without user info"}
	case u.RawQuery != "" || u.Fragment != "":
		return nil, &URLError{shown, "a URL without query or fragment"}
	}
	u.Path, u.RawPath = strings.TrimRight(u.Path, "/"), ""
	if u.Path == "" {
		u.Path = defaultPath
	}
	return u, nil
}
