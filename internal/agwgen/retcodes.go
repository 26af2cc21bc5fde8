package main

import (
	"bytes"
	"embed"
	"fmt"
	"log"
	"sort"
	"strings"
	"text/template"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"quote":      func(s string) string { return fmt.Sprintf("%q", s) },
	"join":       strings.Join,
	"trimPrefix": func(s, prefix string) string { return strings.TrimPrefix(s, prefix) },
}).ParseFS(templateFS, "templates/*.tmpl"))

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
	Header   string
	Package  string
	Codes    []retCode
	Families []retFamily
}

// readRetCodes reads x-retcodes and x-retcode-errors; a code naming an
// unknown family, or missing its name, meaning or source, stops generation.
func readRetCodes(spec *openapi3.T) retCodeTable {
	codes, _ := spec.Extensions["x-retcodes"].(map[string]any)
	families, _ := spec.Extensions["x-retcode-errors"].(map[string]any)
	if len(codes) == 0 || len(families) == 0 {
		log.Fatal("the document needs x-retcodes and x-retcode-errors")
	}
	t := retCodeTable{Header: strings.TrimSuffix(header, "\n\n")}
	byFamily := map[string][]string{}
	for code, v := range codes {
		m, _ := v.(map[string]any)
		rc := retCode{Code: code, Name: str(m["name"]), Meaning: str(m["meaning"]), Family: str(m["error"]), Source: str(m["x-vendor-source"])}
		if rc.Name == "" || rc.Meaning == "" || rc.Source == "" {
			log.Fatalf("x-retcodes %s: name, meaning and x-vendor-source are required", code)
		}
		if rc.Family != "" {
			if _, ok := families[rc.Family]; !ok {
				log.Fatalf("x-retcodes %s: error %q is not in x-retcode-errors", code, rc.Family)
			}
			byFamily[rc.Family] = append(byFamily[rc.Family], code)
		}
		t.Codes = append(t.Codes, rc)
	}
	sort.Slice(t.Codes, func(i, j int) bool { return t.Codes[i].Code < t.Codes[j].Code })
	for name, doc := range families {
		sort.Strings(byFamily[name])
		t.Families = append(t.Families, retFamily{Name: name, Doc: str(doc), Codes: byFamily[name]})
	}
	sort.Slice(t.Families, func(i, j int) bool { return t.Families[i].Name < t.Families[j].Name })
	return t
}

func str(v any) string { s, _ := v.(string); return s }

// render executes a template on data with the package name set.
func render(name, pkg string, data retCodeTable) []byte {
	data.Package = pkg
	var b bytes.Buffer
	if err := templates.ExecuteTemplate(&b, name, data); err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	return b.Bytes()
}
