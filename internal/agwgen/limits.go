package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// limitsData is what the spec fixes for every client and server: where the
// gateway serves its resources and which agent IDs it accepts.
type limitsData struct {
	BasePath               string
	MinAgentID, MaxAgentID int
	MaxAgentIDWide         int
}

// limitsFile writes generated.BasePath (the path of the spec's first
// server URL) and the agent-ID range of its AgentId parameter, with the
// wider maximum of its x-maximum-wide.
func limitsFile(m *model, pkg string) ([]byte, error) {
	if len(m.spec.Servers) == 0 {
		return nil, errors.New("the spec names no server")
	}
	raw := m.spec.Servers[0].URL
	for name, v := range m.spec.Servers[0].Variables {
		raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return nil, fmt.Errorf("server URL %q has no path", m.spec.Servers[0].URL)
	}
	p := m.spec.Components.Parameters["AgentId"]
	if p == nil || p.Value.Schema == nil || p.Value.Schema.Value.Min == nil || p.Value.Schema.Value.Max == nil {
		return nil, errors.New("the spec has no AgentId parameter with a minimum and a maximum")
	}
	s := p.Value.Schema.Value
	wide, ok := s.Extensions["x-maximum-wide"].(float64)
	if !ok || wide < *s.Max {
		return nil, errors.New("AgentId's schema needs x-maximum-wide, at least its maximum")
	}
	return m.render("limits.tmpl", pkg, imports{}, limitsData{
		BasePath:   strings.TrimSuffix(u.Path, "/"),
		MinAgentID: int(*s.Min), MaxAgentID: int(*s.Max), MaxAgentIDWide: int(wide),
	})
}
