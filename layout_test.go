package agentgateway

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// publicPackages are the packages a user imports; every other package is
// under internal/, cmd/ or examples/.
var publicPackages = []string{"agwotel", "agwtest", "fleet", "generated", "openapi", "redisstore", "server", "wrapper"}

// goDirs returns the directories below the module root holding Go files.
func goDirs(t *testing.T) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != ".":
			return filepath.SkipDir
		case !d.IsDir() && strings.HasSuffix(path, ".go") && filepath.Dir(path) != ".":
			if dir := filepath.ToSlash(filepath.Dir(path)); !slices.Contains(dirs, dir) {
				dirs = append(dirs, dir)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// TestLayoutTableMatchesTree: every path the README's layout table names
// exists, and every directory with Go code is named in it.
func TestLayoutTableMatchesTree(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "\n## Layout\n")
	end := strings.Index(text[start+1:], "\n## ")
	if start < 0 || end < 0 {
		t.Fatal("README has no Layout section")
	}
	section := text[start : start+1+end]
	var named []string
	for _, m := range regexp.MustCompile(`(?m)^\| ([^|]+) \|`).FindAllStringSubmatch(section, -1) {
		for _, p := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(m[1], -1) {
			path := strings.TrimSuffix(strings.Fields(p[1])[0], "/")
			named = append(named, path)
			if _, err := os.Stat(path); err != nil && !strings.Contains(path, "*") {
				t.Errorf("the layout table names %s, which is not in the tree", path)
			}
		}
	}
	for _, dir := range goDirs(t) {
		if !slices.ContainsFunc(named, func(p string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }) {
			t.Errorf("%s holds Go code, but the layout table does not name it", dir)
		}
	}
}

// TestPublicPackagesOnly: a package outside internal/, cmd/ and examples/
// is one a user imports, listed in publicPackages (and in the README).
func TestPublicPackagesOnly(t *testing.T) {
	for _, dir := range goDirs(t) {
		top := strings.Split(dir, "/")[0]
		if top == "internal" || top == "cmd" || top == "examples" {
			continue
		}
		if !slices.Contains(publicPackages, dir) {
			t.Errorf("%s is a public package but not one a user is meant to import: move it under internal/", dir)
		}
	}
}

// TestNoSecondNames: no hand-written file of a public package gives a
// thing a second name, by a type alias or an exported variable that is
// another package's.
func TestNoSecondNames(t *testing.T) {
	fset := token.NewFileSet()
	for _, dir := range publicPackages {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, ".gen.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			imported := map[string]bool{}
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				n := path[strings.LastIndex(path, "/")+1:]
				if imp.Name != nil {
					n = imp.Name.Name
				}
				imported[n] = true
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok {
					continue
				}
				for _, spec := range gd.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						if s.Assign.IsValid() && s.Name.IsExported() {
							t.Errorf("%s: type %s is an alias", fset.Position(s.Pos()), s.Name)
						}
					case *ast.ValueSpec:
						for i, n := range s.Names {
							if gd.Tok != token.VAR || !n.IsExported() || i >= len(s.Values) {
								continue
							}
							if sel, ok := s.Values[i].(*ast.SelectorExpr); ok {
								if x, ok := sel.X.(*ast.Ident); ok && imported[x.Name] {
									t.Errorf("%s: var %s is %s.%s under a second name", fset.Position(n.Pos()), n, x, sel.Sel)
								}
							}
						}
					}
				}
			}
		}
	}
}
