package wrapper

import (
	"strings"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// contentTypeProblem returns why ct is not a UTF-8 JSON type, or "". A
// missing Content-Type is accepted: some gateway builds omit it.
func contentTypeProblem(ct string) string {
	if ct == "" {
		return ""
	}
	media, params, _ := strings.Cut(ct, ";")
	media = strings.TrimSpace(media)
	if !strings.EqualFold(media, "application/json") && !strings.EqualFold(media, "text/json") &&
		!strings.HasSuffix(strings.ToLower(media), "+json") {
		return "content type " + redact.Clip(media, 64) + " is not JSON"
	}
	for params != "" {
		var p string
		p, params, _ = strings.Cut(params, ";")
		k, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(k), "charset") {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if !strings.EqualFold(v, "utf-8") && !strings.EqualFold(v, "utf8") {
			return "charset " + redact.Clip(v, 32) + " is not UTF-8"
		}
	}
	return ""
}

// parseSetGuid extracts the token from a Set-GUID header value such as
// "JSESSIONID=abc.AgentGateway0", tolerating spaces, a missing prefix and
// cookie-style attributes after ";". It returns "" for a value that
// cannot be a Guid.
func parseSetGuid(v string) string {
	v, _, _ = strings.Cut(v, ";")
	v = strings.TrimSpace(v)
	if k, rest, ok := strings.Cut(v, "="); ok && strings.EqualFold(strings.TrimSpace(k), "JSESSIONID") {
		v = strings.TrimSpace(rest)
	}
	if strings.ContainsAny(v, " \t\r\n\"") {
		return ""
	}
	return v
}
