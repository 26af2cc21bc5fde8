package agwtest

import (
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// logRequest writes the request's one log line. Only the method, the path
// (without query, with DTMF digits masked), the operationId, the status,
// the retcode and the latency are logged: never headers (Guid, cookies),
// query strings or bodies (passwords).
func (g *Gateway) logRequest(r *http.Request, rec *record, rw *replyWriter, latency time.Duration) {
	status := rw.status
	if status == 0 {
		status = http.StatusOK
	}
	g.cfg.logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
		slog.String("method", r.Method),
		slog.String("path", maskDigits(r.URL.Path)),
		slog.String("op", rec.op),
		slog.Int("status", status),
		slog.String("retcode", rw.retcode()),
		slog.Duration("latency", latency),
	)
}

// maskDigits hides the digits of the legacy two-stage dial path: they are
// what the customer keys in, such as a PIN.
func maskDigits(path string) string {
	if i := strings.Index(path, "/seconddial/"); i >= 0 {
		return path[:i] + "/seconddial/***"
	}
	return path
}
