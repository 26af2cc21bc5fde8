package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// printer writes whole lines from several goroutines (one poll per agent).
type printer struct {
	mu     sync.Mutex
	w      io.Writer
	notify func(agent int, ev wrapper.Event) // if set, told of every event printed
}

func (p *printer) line(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}

// event prints "EVENT <eventType> agent=<id> <content>".
func (p *printer) event(agent int, ev wrapper.Event) {
	content := string(ev.Content)
	if len(content) > 300 {
		content = content[:300] + "..."
	}
	if content == "" {
		content = "null"
	}
	p.line("EVENT %s agent=%d %s", ev.EventType, agent, content)
	if p.notify != nil {
		p.notify(agent, ev)
	}
}
