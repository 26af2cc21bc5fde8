// Package agentgateway is a spec-first Go client and server-stub kit for the
// Huawei CEC CC-Gateway ("agent gateway") voice-call REST API.
//
// The packages:
//
//   - generated: typed client, std-http and strict server interfaces and the
//     embedded OpenAPI document, all produced by oapi-codegen from openapi/.
//   - wrapper: what applications import: validation, typed errors, the Guid
//     session, event polling and the SnatchPickup helpers.
//   - agwtest: an in-memory fake gateway built on the generated server stubs.
package agentgateway
