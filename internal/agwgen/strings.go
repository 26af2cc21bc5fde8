package main

import (
	"fmt"

	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"
)

// intEnum is an integer enum schema whose values the spec names.
type intEnum struct {
	Type   string
	Values []enumValue
}

// enumValue is one value: oapi-codegen's constant and the spec's name.
type enumValue struct{ Const, Name string }

// stringsFile writes String() for each integer enum whose values the spec
// names in x-enum-varnames (oapi-codegen writes their constants).
func stringsFile(m *model, pkg string) ([]byte, error) {
	var enums []intEnum
	for _, name := range sortedKeys(m.spec.Components.Schemas) {
		s := m.spec.Components.Schemas[name].Value
		varnames := stringList(s.Extensions["x-enum-varnames"])
		if s.Type == nil || !s.Type.Is("integer") || len(varnames) == 0 {
			continue
		}
		if len(varnames) != len(s.Enum) {
			return nil, fmt.Errorf("%s: %d x-enum-varnames for %d values", name, len(varnames), len(s.Enum))
		}
		e := intEnum{Type: codegen.SchemaNameToTypeName(name)}
		for _, v := range varnames {
			e.Values = append(e.Values, enumValue{Const: e.Type + v, Name: v})
		}
		enums = append(enums, e)
	}
	im := imports{}
	if len(enums) > 0 {
		im.add("strconv")
	}
	return m.render("strings.tmpl", pkg, im, enums)
}
