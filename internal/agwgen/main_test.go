package main

import (
	"bytes"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from testdata/spec.yaml")

// TestGolden generates every output from testdata/spec.yaml and compares
// it byte for byte with testdata/<flag>.golden; -update rewrites those.
func TestGolden(t *testing.T) {
	m, err := load("testdata/spec.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outputs {
		t.Run(o.flag, func(t *testing.T) {
			got, err := o.build(m, packageOf(o.path))
			if err != nil {
				t.Fatal(err)
			}
			checkImports(t, got)
			golden := filepath.Join("testdata", o.flag+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what agwgen writes now (go test ./internal/agwgen -update rewrites it):\n%s", golden, firstDifference(got, want))
			}
		})
	}
}

// TestRepoFilesAreCurrent generates the repository's files as generate.go
// does and compares them with the committed ones.
func TestRepoFilesAreCurrent(t *testing.T) {
	src, err := os.ReadFile("../../generate.go")
	if err != nil {
		t.Fatal(err)
	}
	_, line, ok := strings.Cut(string(src), "go run ./internal/agwgen ")
	if !ok {
		t.Fatal("generate.go does not run ./internal/agwgen")
	}
	line, _, _ = strings.Cut(line, "\n")
	specPath, paths, err := parseArgs(strings.Fields(line))
	if err != nil {
		t.Fatal(err)
	}
	m, err := load(filepath.Join("../..", specPath))
	if err != nil {
		t.Fatal(err)
	}
	m.source = specPath
	for i, o := range outputs {
		got, err := o.build(m, packageOf(paths[i]))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("../..", paths[i]))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what agwgen writes now; run go generate ./...:\n%s", paths[i], firstDifference(got, want))
		}
	}
}

// checkImports fails unless every import of src is used.
func checkImports(t *testing.T, src []byte) {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, imp := range f.Imports {
		path, _ := strconv.Unquote(imp.Path.Value)
		if name := path[strings.LastIndex(path, "/")+1:]; !used[name] {
			t.Errorf("import %s is not used", path)
		}
	}
}

// firstDifference shows the first line where got and want differ.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return "(same lines)"
}
