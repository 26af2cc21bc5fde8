package server

import (
	"github.com/agentgateway-go/agentgateway/generated"

	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// bodies are the operations with a request body, in a fixed order.
func bodies() ([]string, []*node) {
	s := specFor(false)
	var names []string
	for _, pattern := range slices.Sorted(maps.Keys(s.ops)) {
		if s.ops[pattern].body != nil {
			names = append(names, pattern)
		}
	}
	nodes := make([]*node, len(names))
	for i, name := range names {
		nodes[i] = s.ops[name].body
	}
	return names, nodes
}

// FuzzDecodeMatchesStdlib: decode gives what encoding/json decodes, less
// what no schema describes (prune says what that is), for the body of
// every operation that has one.
func FuzzDecodeMatchesStdlib(f *testing.F) {
	names, nodes := bodies()
	for i := range names {
		for _, seed := range []string{
			`{"password":"p\u0077","phonenum":"1","x":[1,{"a":"]}"}],"PASSWORD":1,"y":null}`,
			` {"skills":[1,"2",3.0,{}],"workNo":"101","called":"1","a":{"b":[[]]},"caller":"\"}"} `,
			`{"called":"1","called":2,"callappdata":"a\\b","devicetype":2,"address":"1","mode":"x"}`,
			`[1,2]`, `"s"`, `12.5e3`, `true`, `null`, `{}`,
		} {
			f.Add(uint8(i), []byte(seed))
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, data []byte) {
		if !json.Valid(data) || !utf8.Valid(data) {
			return // refused before decode
		}
		n := nodes[int(op)%len(nodes)]
		got, err := n.decode(bytes.TrimSpace(data))
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if want = prune(n, want); !reflect.DeepEqual(got, want) {
			t.Fatalf("%s %s:\ndecode %#v\nstdlib %#v", names[int(op)%len(names)], data, got, want)
		}
	})
}

// prune is what decode keeps of v: see decode.
func prune(n *node, v any) any {
	switch x := v.(type) {
	case map[string]any:
		switch n.kind {
		case "":
			return v
		case openapi3.TypeObject:
		default:
			return map[string]any{}
		}
		for k, e := range x {
			switch p := n.props[k]; {
			case p != nil:
				x[k] = prune(p.node, e)
			case n.extra != nil:
				x[k] = prune(n.extra, e)
			case n.extraAny:
			case n.extraNo || n.caseFault([]byte(k)) != nil:
				x[k] = nil
			default:
				delete(x, k)
			}
		}
	case []any:
		switch n.kind {
		case "":
			return v
		case openapi3.TypeArray:
		default:
			return []any{}
		}
		if n.maxItems >= 0 && len(x) > n.maxItems+1 {
			x = x[:n.maxItems+1]
		}
		items := n.items
		if items == nil {
			items = anyValue
		}
		for i, e := range x {
			x[i] = prune(items, e)
		}
		return x
	}
	return v
}

func TestDecodeSkipsWhatNoSchemaDescribes(t *testing.T) {
	n := specFor(false).ops["PUT "+generated.BasePath+"/onlineagent/{agentid}"].body
	junk := `[` + strings.Repeat(`{"a":[1,"]"]},`, 1000) + `0]`
	got, err := n.decode([]byte(`{"password":"pw","phonenum":"1","junk":` + junk + `,"Phonenum":` + junk + `}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"password": "pw", "phonenum": "1", "Phonenum": nil}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v", got)
	}
}
