package main

// unimplementedFile writes generated.Unimplemented: one response type
// that satisfies every operation's response interface, so each operation
// is a handful of lines. The file holds the package's one comment.
func unimplementedFile(m *model, pkg string) ([]byte, error) {
	ids := make([]string, len(m.ops))
	for i, op := range m.ops {
		ids[i] = op.OperationId
	}
	im := imports{}
	im.add("net/http")
	if len(ids) > 0 {
		im.add("context")
	}
	return m.render("unimplemented.tmpl", pkg, im, ids)
}
