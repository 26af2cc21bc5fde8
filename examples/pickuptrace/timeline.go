package main

import (
	"errors"
	"fmt"
	"html"
	"io"
	"sort"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// timeline is one trace's spans, parents before their children, with the
// times relative to the root's start.
type timeline struct {
	total time.Duration
	rows  []row
}

type row struct {
	name       string
	depth      int
	start, end time.Duration
	status     string
	events     []mark
}

type mark struct {
	at    time.Duration
	label string
}

// pickUpTimeline lays out the trace of the PickUp span among spans.
func pickUpTimeline(spans []sdktrace.ReadOnlySpan) (timeline, error) {
	var root sdktrace.ReadOnlySpan
	for _, s := range spans {
		if s.Name() == "PickUp" {
			root = s
		}
	}
	if root == nil {
		return timeline{}, errors.New("no PickUp span was recorded")
	}
	children := map[string][]sdktrace.ReadOnlySpan{}
	for _, s := range spans {
		if s.SpanContext().TraceID() == root.SpanContext().TraceID() && s != root {
			id := s.Parent().SpanID().String()
			children[id] = append(children[id], s)
		}
	}
	t0 := root.StartTime()
	tl := timeline{total: root.EndTime().Sub(t0)}
	var add func(s sdktrace.ReadOnlySpan, depth int)
	add = func(s sdktrace.ReadOnlySpan, depth int) {
		r := row{name: s.Name(), depth: depth, start: s.StartTime().Sub(t0), end: s.EndTime().Sub(t0), status: s.Status().Code.String()}
		for _, ev := range s.Events() {
			r.events = append(r.events, mark{at: ev.Time.Sub(t0), label: eventLabel(ev.Attributes)})
		}
		tl.rows = append(tl.rows, r)
		kids := children[s.SpanContext().SpanID().String()]
		sort.Slice(kids, func(i, j int) bool { return kids[i].StartTime().Before(kids[j].StartTime()) })
		for _, k := range kids {
			add(k, depth+1)
		}
	}
	add(root, 0)
	return tl, nil
}

// eventLabel names a span event by its event type and stage.
func eventLabel(attrs []attribute.KeyValue) string {
	var typ, stage string
	for _, kv := range attrs {
		switch kv.Key {
		case "agentgateway.event_type":
			typ = kv.Value.AsString()
		case "agentgateway.event_stage":
			stage = kv.Value.AsString()
		}
	}
	if stage != "" {
		return typ + " (" + stage + ")"
	}
	return typ
}

// text prints a row per span: its bar on a 50-column scale, then its
// events below it.
func (tl timeline) text(w io.Writer) {
	const cols = 50
	scale := func(d time.Duration) int { return int(int64(d) * cols / max(int64(tl.total), 1)) }
	fmt.Fprintf(w, "TRACE of PickUp, %v in all\n", tl.total.Round(time.Microsecond))
	for _, r := range tl.rows {
		a, b := scale(r.start), max(scale(r.end), scale(r.start)+1)
		bar := strings.Repeat(" ", a) + strings.Repeat("█", min(b, cols)-a)
		fmt.Fprintf(w, "%-*s |%-*s| %8v..%v %s\n", 24, strings.Repeat("  ", r.depth)+r.name, cols, bar,
			r.start.Round(time.Microsecond), r.end.Round(time.Microsecond), r.status)
		for _, m := range r.events {
			fmt.Fprintf(w, "%-*s  %*s▲ %v %s\n", 24, "", scale(m.at), "", m.at.Round(time.Microsecond), m.label)
		}
	}
}

// svg draws the same as a picture: a bar per span, a tick per event.
func (tl timeline) svg(w io.Writer) {
	const left, width, rowH = 190, 560, 26
	n := len(tl.rows)
	for _, r := range tl.rows {
		n += len(r.events)
	}
	height := 64 + n*rowH
	x := func(d time.Duration) float64 { return left + float64(d)*width/float64(max(tl.total, 1)) }
	fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="monospace" font-size="12">`+"\n", left+width+160, height)
	fmt.Fprintf(w, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(w, `<text x="8" y="18" font-weight="bold">PickUp trace: %s in all (spans on a time line; ▲ span events)</text>`+"\n",
		html.EscapeString(tl.total.Round(time.Microsecond).String()))
	y := 32
	for _, r := range tl.rows {
		fill := "#4c78a8"
		if r.status == "Error" {
			fill = "#e45756"
		}
		fmt.Fprintf(w, `<text x="%d" y="%d">%s</text>`+"\n", 8+14*r.depth, y+14, html.EscapeString(r.name))
		fmt.Fprintf(w, `<rect x="%.1f" y="%d" width="%.1f" height="16" fill="%s"/>`+"\n", x(r.start), y+2, max(x(r.end)-x(r.start), 1.5), fill)
		fmt.Fprintf(w, `<text x="%.1f" y="%d" fill="#555">%s</text>`+"\n", x(r.end)+6, y+14,
			html.EscapeString((r.end - r.start).Round(time.Microsecond).String()))
		y += rowH
		for _, m := range r.events {
			// The label goes on the side of the tick with more room.
			lx, anchor := x(m.at)+8, "start"
			if x(m.at) > left+width/2 {
				lx, anchor = x(m.at)-6, "end"
			}
			fmt.Fprintf(w, `<text x="%.1f" y="%d" fill="#f58518">▲</text><text x="%.1f" y="%d" fill="#555" text-anchor="%s">%s</text>`+"\n",
				x(m.at)-4, y+14, lx, y+14, anchor, html.EscapeString(m.label))
			y += rowH
		}
	}
	// The axis: the root's start and end.
	fmt.Fprintf(w, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>`+"\n", left, y+4, left+width, y+4)
	fmt.Fprintf(w, `<text x="%d" y="%d" fill="#555">0</text><text x="%d" y="%d" fill="#555" text-anchor="end">%s</text>`+"\n",
		left, y+18, left+width, y+18, html.EscapeString(tl.total.Round(time.Microsecond).String()))
	fmt.Fprintln(w, "</svg>")
}
