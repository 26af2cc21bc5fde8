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

// holds reports whether text holds a secret: s's Guid or cookies, or a
// password, in any form the client sends them.
func (p *printer) holds(s *wrapper.Session, text string) bool {
	if s.Withhold(text) == wrapper.Withheld {
		return true
	}
	for _, pw := range p.secrets {
		q, _ := json.Marshal(pw)
		if pw != "" && (strings.Contains(text, pw) || strings.Contains(text, string(q[1:len(q)-1]))) {
			return true
		}
	}
	return false
}

// event prints "EVENT <eventType> agent=<id> <content>" for s's event,
// withheld if it holds a secret.
func (p *printer) event(s *wrapper.Session, ev wrapper.Event) {
	typ, content := ev.EventType, string(ev.Content)
	if p.holds(s, typ+" "+content) {
		typ, content = wrapper.Withheld, wrapper.Withheld
	}
	if len(content) > 300 {
		content = content[:300] + "..."
	}
	if content == "" {
		content = "null"
	}
	p.line("EVENT %s agent=%d %s", typ, s.AgentID(), content)
	if p.notify != nil {
		p.notify(s.AgentID(), ev)
	}
}
