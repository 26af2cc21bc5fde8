// Package openapi holds the hand-written OpenAPI document of the agent
// gateway (agentgateway.yaml), the oapi-codegen configurations that turn it
// into package generated, and the document itself, embedded, for the
// server kit's request validation. Client code does not import it, so a
// client binary links no spec parser.
package openapi
