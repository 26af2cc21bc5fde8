package main

// flexFile writes FlexString and FlexInt, the types of the spec's
// FlexString and FlexInt schemas (oapi-codegen excludes those schemas, see
// openapi/models.cfg.yaml): fields that gateway builds send as a string or
// a number decode from either.
func flexFile(m *model, pkg string) ([]byte, error) {
	im := imports{}
	im.add("bytes", "encoding/json", "fmt", "strconv")
	return m.render("flex.tmpl", pkg, im, nil)
}
