package agwtest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ConsolePath is where ConsoleHandler serves its page; examples/fakegateway
// mounts it beside ControlHandler.
const ConsolePath = ControlPath + "ui"

//go:embed console
var consoleFiles embed.FS

// consoleAssets are the page's files and their types; nothing else is
// served and nothing is loaded from elsewhere, so the page works offline.
var consoleAssets = map[string]string{
	"index.html":  "text/html; charset=utf-8",
	"console.css": "text/css; charset=utf-8",
	"console.js":  "text/javascript; charset=utf-8",
}

// Timing of the event stream.
const (
	// consoleResync bounds how late the page shows a change that queues no
	// event (a sign-in or sign-out by hook, an idle sign-out, SetState).
	consoleResync = 250 * time.Millisecond
	// consoleWriteWait bounds one write to the page, so that a client that
	// stops reading cannot hold the stream's goroutine. Set before each
	// write, it also lifts the server's WriteTimeout (40 s in
	// examples/fakegateway), which would otherwise cut the stream.
	consoleWriteWait = 10 * time.Second
)

// ConsoleHandler returns a live web console for the fake: its agents with
// state, group and skills (what AgentStatus shows), its calls, and the
// event timeline, updated as they change, with buttons to sign agents in
// and out, ring them, have a callout's customer answer and hang calls up.
// Paths:
//
//	GET /agwtest/ui         the page (a single page; no external assets)
//	GET /agwtest/ui/events  the updates, as server-sent events
//
// The buttons call the hooks of ControlHandler, which must be served at
// ControlPath on the same host. Like them, the console has no
// authentication and refuses non-loopback clients; it never shows a Guid
// or a password. The event stream ends when the client goes away or the
// gateway is closed.
func (g *Gateway) ConsoleHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+ConsolePath, func(w http.ResponseWriter, r *http.Request) {
		serveConsoleAsset(w, "index.html")
	})
	// The page's relative URLs ("ui/events", "ring") resolve only from
	// ConsolePath itself, so it is served there and nowhere else.
	mux.HandleFunc("GET "+ConsolePath+"/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, ConsolePath, http.StatusFound)
	})
	mux.HandleFunc("GET "+ConsolePath+"/{file}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if _, ok := consoleAssets[name]; !ok || name == "index.html" {
			http.NotFound(w, r)
			return
		}
		serveConsoleAsset(w, name)
	})
	mux.HandleFunc("GET "+ConsolePath+"/events", g.serveConsoleEvents)
	return localOnly(mux)
}

func serveConsoleAsset(w http.ResponseWriter, name string) {
	b, err := consoleFiles.ReadFile("console/" + name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", consoleAssets[name])
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	// Same-origin only: no inline script, no external asset, no framing.
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(b)
}

// serveConsoleEvents streams the console's updates: "state" events with
// the tables (sent again whenever they change) and "gw" events, one per
// queued gateway event, whose SSE id lets a reconnecting page resume after
// the last one it saw. A stream that does not resume starts with "reset".
func (g *Gateway) serveConsoleEvents(w http.ResponseWriter, r *http.Request) {
	if g.closing.Err() != nil {
		// 503 rather than an empty stream: EventSource does not reconnect.
		http.Error(w, "agwtest: gateway closed", http.StatusServiceUnavailable)
		return
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	var buf bytes.Buffer
	buf.WriteString("retry: 1000\n\n")
	last, resumed := g.resumeAfter(r.Header.Get("Last-Event-ID"))
	if !resumed {
		writeSSE(&buf, "reset", "", struct{}{})
	}
	var shown []byte // the state the page has
	resync := time.NewTicker(consoleResync)
	defer resync.Stop()
	for {
		entries, wake := g.console.since(last)
		for _, e := range entries {
			writeSSE(&buf, "gw", g.consoleEventID(e.Seq), e)
			last = e.Seq
		}
		if state := mustJSON(g.consoleSnapshot()); !bytes.Equal(state, shown) {
			writeSSE(&buf, "state", "", json.RawMessage(state))
			shown = state
		}
		if buf.Len() > 0 {
			_ = rc.SetWriteDeadline(time.Now().Add(consoleWriteWait))
			if _, err := w.Write(buf.Bytes()); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
			buf.Reset()
		}
		select {
		case <-wake:
		case <-resync.C:
		case <-r.Context().Done():
			return
		case <-g.closing.Done():
			return
		}
	}
}

// consoleEventID names a gateway event for Last-Event-ID. The gateway's
// epoch tells a page that reconnects to a restarted fake, whose numbers
// start again, that it cannot resume.
func (g *Gateway) consoleEventID(seq uint64) string {
	return strconv.FormatInt(g.epoch, 10) + "-" + strconv.FormatUint(seq, 10)
}

// resumeAfter reads Last-Event-ID: the number of the last event the page
// has, if the ID is this gateway's.
func (g *Gateway) resumeAfter(id string) (uint64, bool) {
	epoch, seq, ok := strings.Cut(id, "-")
	if !ok || epoch != strconv.FormatInt(g.epoch, 10) {
		return 0, false
	}
	n, err := strconv.ParseUint(seq, 10, 64)
	return n, err == nil
}

// writeSSE appends one server-sent event; an empty id sends none, so that
// the page's Last-Event-ID stays that of the last gateway event.
func writeSSE(buf *bytes.Buffer, event, id string, data any) {
	fmt.Fprintf(buf, "event: %s\n", event)
	if id != "" {
		fmt.Fprintf(buf, "id: %s\n", id)
	}
	buf.WriteString("data: ")
	buf.Write(mustJSON(data)) // compact JSON: one line, as SSE data needs
	buf.WriteString("\n\n")
}
