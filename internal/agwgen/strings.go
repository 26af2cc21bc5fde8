package main

import (
	"bytes"
	"fmt"
	"log"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// intEnum is an integer enum schema with names for its values.
type intEnum struct {
	Type   string
	Values []struct{ Name string }
}

// stringsFile writes String() for each integer enum whose values the spec
// names in x-enum-varnames (oapi-codegen writes their constants).
func stringsFile(spec *openapi3.T, pkg string) []byte {
	data := struct {
		Header, Package string
		Enums           []intEnum
	}{Header: strings.TrimSuffix(header, "\n\n"), Package: pkg}
	names := make([]string, 0, len(spec.Components.Schemas))
	for name := range spec.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := spec.Components.Schemas[name].Value
		varnames := stringList(s.Extensions["x-enum-varnames"])
		if s.Type == nil || !s.Type.Is("integer") || len(varnames) == 0 {
			continue
		}
		if len(varnames) != len(s.Enum) {
			log.Fatalf("%s: %d x-enum-varnames for %d values", name, len(varnames), len(s.Enum))
		}
		e := intEnum{Type: codegen.SchemaNameToTypeName(name)}
		for _, v := range varnames {
			e.Values = append(e.Values, struct{ Name string }{e.Type + v})
		}
		data.Enums = append(data.Enums, e)
	}
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, "strings.tmpl", data); err != nil {
		log.Fatal(fmt.Errorf("strings.tmpl: %w", err))
	}
	return b.Bytes()
}
