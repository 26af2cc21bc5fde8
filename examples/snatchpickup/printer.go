package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// printer writes whole lines from several goroutines (one poll per agent).
type printer struct {
	mu      sync.Mutex
	w       io.Writer
	notify  func(agent int, ev wrapper.Event) // if set, told of every event printed
	secrets []string                          // passwords, never to be printed
}

func (p *printer) line(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, format+"\n", args...)
}

// event prints "EVENT <eventType> agent=<id> <content>". An event that
// holds a secret (the session's Guid or a password, raw or JSON-escaped)
// is printed withheld.
func (p *printer) event(agent int, ev wrapper.Event, guid string) {
	typ, content := ev.Type, string(ev.Content)
	for _, s := range append([]string{guid}, p.secrets...) {
		q, _ := json.Marshal(s)
		if s != "" && (strings.Contains(typ+content, s) || strings.Contains(typ+content, string(q[1:len(q)-1]))) {
			typ, content = wrapper.Withheld, wrapper.Withheld
		}
	}
	if len(content) > 300 {
		content = content[:300] + "..."
	}
	if content == "" {
		content = "null"
	}
	p.line("EVENT %s agent=%d %s", typ, agent, content)
	if p.notify != nil {
		p.notify(agent, ev)
	}
}
