package openapi

import (
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// Document is the OpenAPI document as written, embedded so that the server
// kit and the fake validate against exactly what the code was generated from.
//
//go:embed agentgateway.yaml
var Document []byte

// Load parses and validates the embedded document. Each call returns a new
// copy, which the caller may change (the fake widens agent-ID bounds).
func Load() (*openapi3.T, error) {
	spec, err := openapi3.NewLoader().LoadFromData(Document)
	if err != nil {
		return nil, fmt.Errorf("openapi: embedded document: %w", err)
	}
	if err := spec.Validate(openapi3.NewLoader().Context); err != nil {
		return nil, fmt.Errorf("openapi: embedded document is invalid: %w", err)
	}
	return spec, nil
}
