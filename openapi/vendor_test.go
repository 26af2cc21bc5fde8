package openapi_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
)

// vendorDir holds the vendor research the spec is written from: ../shared
// beside the repository, as the workplace lays it out.
var vendorDir = filepath.Join("..", "..", "shared", "api")

// vendorEntry is one endpoint of voicecall-endpoints.json or
// agentdesk-endpoints.json; only the agent-desk list has operation IDs
// and the detail fields.
type vendorEntry struct {
	OperationID string `json:"operationId"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Params      []struct {
		Name      string   `json:"name"`
		In        string   `json:"in"`
		Min       *float64 `json:"min"`
		Max       *float64 `json:"max"`
		MaxLength any      `json:"maxLength"`
	} `json:"params"`
	LogName    json.RawMessage `json:"log_name"` // absent where the entry only extends the spec
	ErrorCodes []string        `json:"error_codes"`
	Events     []string        `json:"events"`
	Notes      string          `json:"notes"`
	Evidence   any             `json:"evidence"` // a list of {kind, ...} objects, or "doc"/"code"
}

func readVendor(t *testing.T, name string) []vendorEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(vendorDir, name))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found beside the repository", name)
	}
	require.NoError(t, err)
	var list []vendorEntry
	require.NoError(t, json.Unmarshal(raw, &list))
	require.NotEmpty(t, list)
	return list
}

// codeOnly reports whether the vendor research found no page for the
// endpoint itself: no doc evidence, or notes saying the path is code-only.
func (e vendorEntry) codeOnly() bool {
	if s, ok := e.Evidence.(string); ok {
		return s == "code"
	}
	notes := strings.ToLower(e.Notes)
	if strings.Contains(notes, "code-only") || strings.Contains(notes, "no huawei doc page") {
		return true
	}
	list, _ := e.Evidence.([]any)
	return !slices.ContainsFunc(list, func(v any) bool {
		m, _ := v.(map[string]any)
		return m["kind"] == "doc"
	})
}

func specOp(spec *openapi3.T, method, path string) *openapi3.Operation {
	item := spec.Paths.Value(strings.TrimPrefix(path, "/agentgateway/resource"))
	if item == nil {
		return nil
	}
	return item.GetOperation(strings.ToUpper(method))
}

// TestSpecCoversVendorEndpoints checks that every endpoint of both vendor
// lists, and the session operations the wrapper is built around, is in the
// spec with its method and path, and that the agent-desk ones carry the
// list's operation IDs. The spec may hold more: adding an operation needs
// no edit here.
func TestSpecCoversVendorEndpoints(t *testing.T) {
	spec := loadSpec(t)
	for line, id := range sessionOperations {
		method, path, _ := strings.Cut(line, " ")
		op := specOp(spec, method, "/agentgateway/resource"+path)
		require.NotNil(t, op, line)
		require.Equal(t, id, op.OperationID, line)
	}
	for _, file := range []string{"voicecall-endpoints.json", "agentdesk-endpoints.json"} {
		for _, e := range readVendor(t, file) {
			op := specOp(spec, e.Method, e.Path)
			require.NotNil(t, op, "%s: %s %s is not in the spec", file, e.Method, e.Path)
			if e.OperationID != "" {
				require.Equal(t, e.OperationID, op.OperationID, "%s %s", e.Method, e.Path)
			}
			// Deprecated only where the vendor deprecates: it keeps the bare
			// release path "for compatibility, not recommended" (cec_07_1247).
			require.Equal(t, op.OperationID == "ReleaseLegacy", op.Deprecated, "%s: deprecated only where the vendor says so", op.OperationID)
			if e.codeOnly() && !pageFound[op.OperationID] {
				require.NotContains(t, op.Extensions["x-vendor-source"], "cec_", "%s: code-only, yet a page is named", op.OperationID)
			}
		}
	}
}

// pageFound lists the operations the earlier research found only in code
// whose vendor page a later read found (vendor-audit.md: BeginMute
// cec_07_1237, EndMute 1238, Hold 1239, GetHold 1241, CancelTransfer 1243,
// DropCall 1246).
var pageFound = map[string]bool{"BeginMute": true, "EndMute": true, "Hold": true, "GetHold": true, "CancelTransfer": true, "DropCall": true}

// pageWins lists where a vendor page read later contradicts the earlier
// research file; the page wins (DEVELOPERS.md), and the spec says so.
var pageWins = map[string]string{
	"SayBusy reason minimum":       "cec_07_1211: empty or 0 means no reason",
	"Intercept log name":           "cec_07_2403 gives the log name intercept",
	"GetHoldList log name":         "cec_07_1264 gives the log name queryHoldListInfo",
	"AdjustSkill error codes":      "cec_07_2409 lists 100-001, 100-006, 900-001..900-003",
	"GetAllCallInfoEx error codes": "cec_07_1267 lists 100-006, 100-007, 100-011, 900-002",
}

var (
	codePattern  = regexp.MustCompile(`\b\d{3}-\d{3}\b`)
	codeRange    = regexp.MustCompile(`(\d{3})-(\d{3})\.\.(\d{3})-(\d{3})`)
	eventPattern = regexp.MustCompile(`\b(?:AgentState|AgentOther|AgentEvent|AgentMediaEvent|QC_AgentState)_[A-Za-z_]+`)
)

// TestSpecFollowsAgentDeskResearch checks each agent-desk endpoint's
// bounds, error codes, events and log name against the vendor research.
func TestSpecFollowsAgentDeskResearch(t *testing.T) {
	spec := loadSpec(t)
	events := enumOf(spec, "EventType")
	for _, e := range readVendor(t, "agentdesk-endpoints.json") {
		op := specOp(spec, e.Method, e.Path)
		require.NotNil(t, op, e.OperationID)
		t.Run(e.OperationID, func(t *testing.T) {
			for _, p := range e.Params {
				sp := op.Parameters.GetByInAndName(p.In, p.Name)
				require.NotNil(t, sp, "parameter %s", p.Name)
				s := sp.Schema.Value
				if p.Min != nil && pageWins[e.OperationID+" "+p.Name+" minimum"] == "" {
					require.Equal(t, *p.Min, *s.Min, "%s minimum", p.Name)
				}
				if p.Max != nil {
					require.Equal(t, *p.Max, *s.Max, "%s maximum", p.Name)
				}
				if n, ok := p.MaxLength.(float64); ok {
					require.EqualValues(t, n, *s.MaxLength, "%s maxLength", p.Name)
				}
			}
			codes := toStrings(op.Extensions["x-error-codes"])
			for _, c := range e.ErrorCodes {
				if pageWins[e.OperationID+" error codes"] != "" || strings.Contains(c, "not read") {
					break // a page read later wins over a list the research did not read
				}
				want := codePattern.FindAllString(c, 1)
				if m := codeRange.FindStringSubmatch(c); m != nil {
					want = []string{m[1] + "-" + m[2], m[3] + "-" + m[4]}
				}
				for _, w := range want {
					require.Contains(t, codes, w, "error code of %q", c)
				}
			}
			evs := toStrings(op.Extensions["x-events"])
			for _, ev := range evs {
				require.Contains(t, events, ev, "x-events names a documented event type")
			}
			for _, line := range e.Events {
				for _, ev := range eventPattern.FindAllString(line, -1) {
					if strings.HasPrefix(ev, "QC_AgentState_") && ev != "QC_AgentState_Notify" {
						continue // subtypes of QC_AgentState_Notify, not event types
					}
					require.Contains(t, evs, ev, "event of %q", line)
				}
			}
			verified, hasFlag := op.Extensions["x-log-name-verified"].(bool)
			var logName *string
			require.NoError(t, json.Unmarshal(cmpOr(e.LogName, "null"), &logName))
			switch {
			case e.LogName == nil, pageWins[e.OperationID+" log name"] != "":
			case logName == nil:
				require.True(t, hasFlag && !verified, "a log name the docs do not give is marked unverified")
			default:
				require.Contains(t, strings.Split(*logName, " / "), op.Extensions["x-log-name"])
			}
		})
	}
}

// TestTypedReplies checks the reply convention: a response <Name>Reply is
// an envelope whose result is the schema <Name>, and every event content
// schema names the event types it describes.
func TestTypedReplies(t *testing.T) {
	spec := loadSpec(t)
	for name, r := range spec.Components.Responses {
		base, ok := strings.CutSuffix(name, "Reply")
		if !ok {
			continue
		}
		s := r.Value.Content.Get("application/json").Schema.Value
		require.Equal(t, []string{"retcode"}, s.Required, name)
		require.Equal(t, "#/components/schemas/RetCode", s.Properties["retcode"].Ref, name)
		want := "#/components/schemas/" + base
		if name == "SignInReply" {
			want = "#/components/schemas/SignInResult" // SignIn is taken by the request body
		}
		require.Equal(t, want, s.Properties["result"].Ref, name)
	}
	events := enumOf(spec, "EventType")
	for name, s := range spec.Components.Schemas {
		if !strings.HasSuffix(name, "Content") {
			continue
		}
		types := toStrings(s.Value.Extensions["x-event-types"])
		require.NotEmpty(t, types, "%s has x-event-types", name)
		for _, ev := range types {
			require.Contains(t, events, ev, name)
		}
	}
	require.Contains(t, spec.Components.Schemas["Event"].Value.Properties, "eventGenTime")
}

func cmpOr(raw json.RawMessage, otherwise string) []byte {
	if raw == nil {
		return []byte(otherwise)
	}
	return raw
}

func enumOf(spec *openapi3.T, schema string) []string {
	var out []string
	for _, v := range spec.Components.Schemas[schema].Value.Enum {
		out = append(out, v.(string))
	}
	return out
}

func toStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
