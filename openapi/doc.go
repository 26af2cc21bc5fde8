// Package openapi holds the hand-written OpenAPI document of the agent
// gateway (agentgateway.yaml) and the oapi-codegen configurations that turn
// it into package generated. Its tests check the document itself.
package openapi
