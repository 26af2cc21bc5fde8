package openapi_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// TestVendorSources: every operation, event type and retcode names its
// evidence in x-vendor-source (vendor pages, an official demo's file, or
// "none: <why>"). It prints the counts, which CI shows and the README
// quotes.
func TestVendorSources(t *testing.T) {
	spec := loadSpec(t)
	var missing []string
	count := func(kind, name string, v any, tally map[string]int) {
		src, _ := v.(string)
		switch {
		case strings.HasPrefix(src, "cec_"):
			tally["page"]++
		case strings.HasPrefix(src, "none:") && len(strings.TrimSpace(src[len("none:"):])) > 0:
			tally["none"]++
		case strings.Contains(src, "demo") || strings.Contains(src, "Huawei/"):
			tally["demo"]++
		default:
			missing = append(missing, fmt.Sprintf("%s %s: x-vendor-source %q", kind, name, src))
		}
	}
	ops, events, codes := map[string]int{}, map[string]int{}, map[string]int{}
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			count("operation", op.OperationID, op.Extensions["x-vendor-source"], ops)
		}
	}
	et := spec.Components.Schemas["EventType"].Value
	sources, _ := et.Extensions["x-vendor-source"].(map[string]any)
	for _, v := range et.Enum {
		count("event type", v.(string), sources[v.(string)], events)
	}
	if len(sources) != len(et.Enum) {
		missing = append(missing, fmt.Sprintf("EventType: %d sources for %d types", len(sources), len(et.Enum)))
	}
	retcodes, _ := spec.Extensions["x-retcodes"].(map[string]any)
	for code, v := range retcodes {
		entry, _ := v.(map[string]any)
		count("retcode", code, entry["x-vendor-source"], codes)
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
	line := func(kind string, n int, tally map[string]int) string {
		return fmt.Sprintf("%d %s (%d a vendor page, %d an official demo only, %d none)", n, kind, tally["page"], tally["demo"], tally["none"])
	}
	t.Logf("x-vendor-source: %s; %s; %s", line("operations", sum(ops), ops),
		line("event types", len(et.Enum), events), line("retcodes", len(retcodes), codes))
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
