package agwtest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/internal/vendorexamples"
	"github.com/agentgateway-go/agentgateway/openapi"
)

// TestMain records every event the fakes of this package's tests send and,
// after them, checks each against the vendor's published examples: the
// fake sends only documented shapes, so tests against it meet what a real
// gateway sends.
func TestMain(m *testing.M) {
	var (
		mu   sync.Mutex
		sent = map[string]json.RawMessage{} // by shape, one event each
	)
	agwtest.RecordEvents(func(ev json.RawMessage) {
		key, err := shapeOf(ev)
		if err != nil {
			key = "unreadable: " + err.Error()
		}
		mu.Lock()
		sent[key] = ev
		mu.Unlock()
	})
	code := m.Run()
	if code == 0 {
		if problems := undocumentedShapes(sent); len(problems) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: the fake sent event shapes the vendor does not document:\n  %s\n", strings.Join(problems, "\n  "))
			code = 1
		} else {
			fmt.Fprintf(os.Stderr, "the fake sent %d event shapes, each one the vendor documents\n", len(sent))
		}
	}
	os.Exit(code)
}

// undocumentedShapes returns, for each sent event whose shape no published
// example of its type has, why. A type without a published example must be
// in the spec's EventType list and carry null content: the fake invents no
// content.
func undocumentedShapes(sent map[string]json.RawMessage) []string {
	examples, err := vendorexamples.Events()
	if err != nil {
		return []string{err.Error()}
	}
	documented := map[string]map[string]bool{} // type -> shapes
	for _, ex := range examples {
		shape, err := shapeOf(ex.Object())
		if err != nil {
			return []string{ex.EventType + " example: " + err.Error()}
		}
		if documented[ex.EventType] == nil {
			documented[ex.EventType] = map[string]bool{}
		}
		documented[ex.EventType][shape] = true
	}
	known, err := eventTypes()
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for shape, ev := range sent {
		var head struct{ EventType string }
		_ = json.Unmarshal(ev, &head)
		shapes := documented[head.EventType]
		switch {
		case shapes == nil && known[head.EventType] && strings.HasSuffix(shape, ":null"):
		case shapes[shape]:
		default:
			problems = append(problems, fmt.Sprintf("%s (sent %s)", shape, ev))
		}
	}
	sort.Strings(problems)
	return problems
}

func eventTypes() (map[string]bool, error) {
	spec, err := openapi.Load()
	if err != nil {
		return nil, err
	}
	known := map[string]bool{}
	for _, v := range spec.Components.Schemas["EventType"].Value.Enum {
		known[v.(string)] = true
	}
	return known, nil
}

// shapeOf writes an event's type and its content's JSON kind, with the
// names and kinds of its members, recursively, in key order:
// "AgentOther_PhoneRelease:{phoneState:number}". jsonKey (a serializer's
// artefact in some examples) is left out. A workNo, where present, must be
// a string, as in every example that shows one (some show none).
func shapeOf(ev json.RawMessage) (string, error) {
	var doc struct {
		EventType string
		WorkNo    any
		Content   any
	}
	dec := json.NewDecoder(bytes.NewReader(ev))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return "", err
	}
	if _, ok := doc.WorkNo.(string); doc.WorkNo != nil && !ok {
		return "", fmt.Errorf("workNo is a %s", kindOf(doc.WorkNo))
	}
	return doc.EventType + ":" + kindOf(doc.Content), nil
}

func kindOf(v any) string {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			if k != "jsonKey" {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ":" + kindOf(x[k])
		}
		return "{" + strings.Join(parts, ",") + "}"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
