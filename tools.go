//go:build tools

// This file pins the code generator in go.mod so that `go generate ./...`
// runs the exact version recorded in go.sum and needs nothing installed.
package agentgateway

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
