package main

import (
	"fmt"
	"sort"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// eventContent pairs an event type with the model of its content.
type eventContent struct{ Event, Model string }

// eventsFile writes newContent, which maps each event type to the content
// model whose schema lists it in x-event-types.
func eventsFile(m *model, pkg string) ([]byte, error) {
	var entries []eventContent
	for name, ref := range m.spec.Components.Schemas {
		if ref.Value.Type == nil || len(*ref.Value.Type) == 0 {
			continue // documented null content (NoContent): Decode returns nil
		}
		for _, ev := range stringList(ref.Value.Extensions["x-event-types"]) {
			entries = append(entries, eventContent{ev, codegen.SchemaNameToTypeName(name)})
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Event < entries[j].Event })
	for i := 1; i < len(entries); i++ {
		if entries[i-1].Event == entries[i].Event {
			return nil, fmt.Errorf("event %s is in x-event-types of two schemas", entries[i].Event)
		}
	}
	im := imports{}
	if len(entries) > 0 {
		im.add(generatedImport)
	}
	return m.render("events.tmpl", pkg, im, entries)
}
