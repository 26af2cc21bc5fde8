package agentgateway

// The OpenAPI document in openapi/ is the source of truth; generated/ is its
// output and is committed. Run `go generate ./...` after changing the spec.

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config openapi/models.cfg.yaml openapi/agentgateway.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config openapi/client.cfg.yaml openapi/agentgateway.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config openapi/server.cfg.yaml openapi/agentgateway.yaml
//go:generate go run ./internal/agwgen -spec openapi/agentgateway.yaml -wrapper wrapper/operations.gen.go -events wrapper/events.gen.go -unimplemented generated/unimplemented.gen.go -calls wrapper/operations_gen_test.go -retcodes generated/retcodes.gen.go -families wrapper/retcodes.gen.go -strings generated/strings.gen.go -flex generated/flex.gen.go -limits generated/limits.gen.go -agwcmd cmd/agw/operations.gen.go
