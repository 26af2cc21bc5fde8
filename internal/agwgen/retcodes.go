package main

import (
	"fmt"
	"sort"
)

// retCode is one entry of the spec's x-retcodes.
type retCode struct {
	Code, Name, Meaning, Family, Source string
}

// retFamily is one entry of x-retcode-errors with the codes that name it.
type retFamily struct {
	Name, Doc string
	Codes     []string
}

type retCodeTable struct {
	Codes    []retCode
	Families []retFamily
}

// retCodes reads x-retcodes and x-retcode-errors; a code naming an
// unknown family, or missing its name, meaning or source, is an error.
func (m *model) retCodes() (retCodeTable, error) {
	codes, _ := m.spec.Extensions["x-retcodes"].(map[string]any)
	families, _ := m.spec.Extensions["x-retcode-errors"].(map[string]any)
	var t retCodeTable
	if len(codes) == 0 || len(families) == 0 {
		return t, fmt.Errorf("the document needs x-retcodes and x-retcode-errors")
	}
	byFamily := map[string][]string{}
	for _, code := range sortedKeys(codes) {
		e, _ := codes[code].(map[string]any)
		rc := retCode{Code: code, Name: str(e["name"]), Meaning: str(e["meaning"]), Family: str(e["error"]), Source: str(e["x-vendor-source"])}
		if rc.Name == "" || rc.Meaning == "" || rc.Source == "" {
			return t, fmt.Errorf("x-retcodes %s: name, meaning and x-vendor-source are required", code)
		}
		if rc.Family != "" {
			if _, ok := families[rc.Family]; !ok {
				return t, fmt.Errorf("x-retcodes %s: error %q is not in x-retcode-errors", code, rc.Family)
			}
			byFamily[rc.Family] = append(byFamily[rc.Family], code)
		}
		t.Codes = append(t.Codes, rc)
	}
	for _, name := range sortedKeys(families) {
		sort.Strings(byFamily[name])
		t.Families = append(t.Families, retFamily{Name: name, Doc: str(families[name]), Codes: byFamily[name]})
	}
	return t, nil
}

// retcodesFile writes the RetCode constants and the RetCodes table into
// the package that declares RetCode.
func retcodesFile(m *model, pkg string) ([]byte, error) {
	t, err := m.retCodes()
	if err != nil {
		return nil, err
	}
	return m.render("retcodes.tmpl", pkg, imports{}, t)
}

// familiesFile writes a sentinel error per family and the map from each
// documented retcode to its family's sentinel.
func familiesFile(m *model, pkg string) ([]byte, error) {
	t, err := m.retCodes()
	if err != nil {
		return nil, err
	}
	im := imports{}
	im.add("errors")
	for _, c := range t.Codes {
		if c.Family != "" {
			im.add(generatedImport)
		}
	}
	return m.render("families.tmpl", pkg, im, t)
}
