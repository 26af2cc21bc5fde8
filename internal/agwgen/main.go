// Command agwgen compiles the OpenAPI document into the code oapi-codegen's
// templates cannot express: one validated wrapper method per operation, the
// event-type and retcode tables, the retcode families' sentinels, String
// methods of named integer enums, generated.Unimplemented, the flexible
// JSON types FlexString and FlexInt, and a call of every generated method
// for its test. Each file is a template of templates/ executed on data
// built from oapi-codegen's own operation model, so every name it writes is
// the name the generated client and server use. `go generate ./...` runs
// it; each output's package is its directory's name.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

// output is one generated file: its flag, default path and builder.
type output struct {
	flag, path, usage string
	build             func(m *model, pkg string) ([]byte, error)
}

// outputs are every file agwgen writes.
var outputs = []output{
	{"wrapper", "wrapper/operations.gen.go", "the wrapper methods", wrapperFile},
	{"events", "wrapper/events.gen.go", "the event-type table", eventsFile},
	{"retcodes", "generated/retcodes.gen.go", "the retcode constants and meanings", retcodesFile},
	{"families", "wrapper/retcodes.gen.go", "the retcode families' sentinels", familiesFile},
	{"strings", "generated/strings.gen.go", "String methods of the named integer enums", stringsFile},
	{"unimplemented", "generated/unimplemented.gen.go", "generated.Unimplemented", unimplementedFile},
	{"flex", "generated/flex.gen.go", "FlexString and FlexInt", flexFile},
	{"limits", "generated/limits.gen.go", "the base path and the agent-ID range", limitsFile},
	{"agwcmd", "cmd/agw/operations.gen.go", "the agw command's call subcommands", agwCmdFile},
	{"calls", "wrapper/operations_gen_test.go", "a call of every generated method, for its test", callsFile},
}

func main() {
	specPath, paths, err := parseArgs(os.Args[1:])
	if err != nil {
		log.Fatal(err)
	}
	m, err := load(specPath)
	if err != nil {
		log.Fatal(err)
	}
	for i, o := range outputs {
		if err := generate(m, o, paths[i]); err != nil {
			log.Fatal(err)
		}
	}
}

// parseArgs returns the spec's path and each output's path.
func parseArgs(args []string) (string, []string, error) {
	fs := flag.NewFlagSet("agwgen", flag.ContinueOnError)
	specPath := fs.String("spec", "openapi/agentgateway.yaml", "the OpenAPI document")
	flags := make([]*string, len(outputs))
	for i, o := range outputs {
		flags[i] = fs.String(o.flag, o.path, o.usage)
	}
	if err := fs.Parse(args); err != nil {
		return "", nil, err
	}
	if fs.NArg() > 0 {
		return "", nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	paths := make([]string, len(flags))
	for i, p := range flags {
		paths[i] = *p
	}
	return *specPath, paths, nil
}

// generate writes one output to path.
func generate(m *model, o output, path string) error {
	src, err := o.build(m, packageOf(path))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, src, 0o644)
}

// packageOf names the package of an output file by its directory.
func packageOf(path string) string { return filepath.Base(filepath.Dir(path)) }
