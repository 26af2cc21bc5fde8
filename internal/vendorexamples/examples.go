// Package vendorexamples holds the event examples the vendor publishes on
// its agent-gateway pages (cec_07_NNNN), as data for conformance tests:
// the client must decode each one, and the fake must send only these
// shapes. Only tests import it.
package vendorexamples

import (
	_ "embed"
	"encoding/json"
)

//go:embed events.json
var eventsJSON []byte

// Event is one published example.
type Event struct {
	EventType string          `json:"eventType"`
	Page      string          `json:"page"` // the vendor page, e.g. "cec_07_1355"
	Form      string          `json:"form"` // "wrapped" in {message,retcode,event}, or "bare"
	Note      string          `json:"note"`
	Example   json.RawMessage `json:"example"` // the published JSON, whole
}

// Events returns every published event example.
func Events() ([]Event, error) {
	var list []Event
	err := json.Unmarshal(eventsJSON, &list)
	return list, err
}

// Object returns the example's event object: the envelope's event, or the
// bare example itself.
func (e Event) Object() json.RawMessage {
	if e.Form != "wrapped" {
		return e.Example
	}
	var env struct {
		Event json.RawMessage `json:"event"`
	}
	_ = json.Unmarshal(e.Example, &env)
	return env.Event
}

// Content returns the example's content member as published.
func (e Event) Content() json.RawMessage {
	var ev struct {
		Content json.RawMessage `json:"content"`
	}
	_ = json.Unmarshal(e.Object(), &ev)
	return ev.Content
}
