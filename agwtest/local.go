package agwtest

import (
	"net"
	"net/http"
)

// localOnly guards the unauthenticated hooks and console. It refuses
// (403) requests from other hosts; requests whose Host is not a loopback
// name, which is how a web page that rebinds its DNS name to 127.0.0.1
// would reach them; and cross-site browser POSTs, which any page the
// developer has open could otherwise send to the hooks.
func localOnly(h http.Handler) http.Handler {
	h = http.NewCrossOriginProtection().Handler(h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil || !isLoopback(host) {
			http.Error(w, "agwtest: loopback clients only", http.StatusForbidden)
			return
		}
		if !isLoopback(hostOnly(r.Host)) {
			http.Error(w, "agwtest: the Host must be a loopback address or localhost", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// hostOnly strips the port, if any, and IPv6 brackets from a Host header.
func hostOnly(hostport string) string {
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		return host
	}
	if n := len(hostport); n > 1 && hostport[0] == '[' && hostport[n-1] == ']' {
		return hostport[1 : n-1]
	}
	return hostport
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
