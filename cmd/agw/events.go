package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/agentgateway-go/agentgateway/internal/connflags"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// runEvents is `agw events`: the agent's events, one line each, until ctx
// ends or the session does; then it signs out if it signed in.
func runEvents(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("agw events", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs, "bound for the sign-in", 30*time.Second)
	asJSON := fs.Bool("json", false, "print JSON lines instead of text")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: agw events [flags]\n\nPrints the agent's events live, one line each, and each gap (events may be lost) as a GAP line, until interrupted.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(code int, err error) int {
		fmt.Fprintln(stderr, "agw events:", err)
		return code
	}
	if fs.NArg() > 0 {
		return fail(exitUsage, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " ")))
	}
	if err := c.check(true); err != nil {
		return fail(exitUsage, err)
	}
	l, err := c.login()
	if err != nil {
		return fail(exitUsage, err)
	}
	client, err := c.conn.Client()
	if err != nil {
		return fail(exitUsage, err)
	}
	signInCtx, cancel := context.WithTimeout(ctx, c.timeout)
	s, err := open(signInCtx, client, &c, l)
	cancel()
	if s != nil {
		defer s.close(stderr)
	}
	if err != nil {
		return fail(exitFailed, errors.New(connflags.Withhold(nil, l.password, s.withhold(err.Error()))))
	}
	how := "signed in"
	if !s.signedIn {
		how = "resumed the session of"
	}
	fmt.Fprintf(stderr, "agw events: %s agent %d; its events follow until interrupted\n", how, s.AgentID())
	p := &eventPrinter{out: stdout, s: s, json: *asJSON}
	err = s.Poll(ctx, p.event, wrapper.PollOptions{
		OnGap: p.gap,
		OnError: func(err error) {
			p.mu.Lock()
			defer p.mu.Unlock()
			fmt.Fprintf(stderr, "agw events: %s (retrying)\n", s.withhold(err.Error()))
		},
	})
	switch {
	case err == nil:
		fmt.Fprintln(stderr, "agw events: the session ended")
	case ctx.Err() != nil && errors.Is(err, ctx.Err()):
	default:
		return fail(exitFailed, errors.New(s.withhold(err.Error())))
	}
	return exitOK
}

// eventPrinter prints events and gaps; handle and OnGap share a
// goroutine, OnError has its own, hence mu.
type eventPrinter struct {
	mu   sync.Mutex
	out  io.Writer
	s    *session
	json bool
}

// eventLine is an event as --json prints it.
type eventLine struct {
	Time      string          `json:"time"`
	EventType string          `json:"eventType,omitempty"`
	Agent     string          `json:"agent,omitempty"`
	Content   json.RawMessage `json:"content,omitempty"`
	Gap       *gapLine        `json:"gap,omitempty"`
	Withheld  bool            `json:"withheld,omitempty"`
}

type gapLine struct {
	Agent  int    `json:"agent"`
	Reason string `json:"reason"`
	State  string `json:"state,omitempty"`
	Calls  int    `json:"calls"`
	Error  string `json:"error,omitempty"`
}

func (p *eventPrinter) event(ev wrapper.Event) error {
	content := ev.Content
	if v, err := ev.Decode(); err == nil && v != nil {
		if b, err := json.Marshal(v); err == nil {
			content = b // the spec's model of it
		}
	}
	p.print(eventLine{EventType: ev.EventType, Agent: ev.Agent(), Content: compact(content)},
		func() string { return fmt.Sprintf("%s agent=%s %s", ev.EventType, ev.Agent(), compact(content)) })
	return nil
}

func (p *eventPrinter) gap(g wrapper.Gap) {
	line := gapLine{Agent: g.Agent, Reason: string(g.Reason)}
	if g.Snapshot != nil {
		line.State, line.Calls = fmt.Sprint(g.Snapshot.State), len(g.Snapshot.Calls)
	}
	if g.Err != nil {
		line.Error = g.Err.Error()
	}
	p.print(eventLine{Gap: &line}, func() string {
		text := fmt.Sprintf("GAP agent=%d reason=%s: events may have been lost", g.Agent, g.Reason)
		if line.Error != "" {
			return text + "; no snapshot: " + line.Error
		}
		return fmt.Sprintf("%s; now state=%s calls=%d", text, line.State, line.Calls)
	})
}

// print writes one line, withheld whole if it holds a secret.
func (p *eventPrinter) print(line eventLine, text func() string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now().Format("15:04:05.000")
	if !p.json {
		fmt.Fprintf(p.out, "%s %s\n", now, p.s.withhold(text()))
		return
	}
	line.Time = now
	b, err := json.Marshal(line)
	if err != nil || p.s.withhold(string(b)) == wrapper.Withheld {
		b, _ = json.Marshal(eventLine{Time: now, Withheld: true})
	}
	fmt.Fprintf(p.out, "%s\n", b)
}

// compact puts JSON on one line; text that is not JSON stays as it is.
func compact(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return raw
	}
	return b.Bytes()
}
