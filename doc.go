// Package agentgateway is a spec-first Go client and server-stub kit for the
// Huawei CEC CC-Gateway ("agent gateway") REST API: the voicecall
// resources, sign-in and the Guid session, events, and the rest of an agent
// desk. The OpenAPI document in openapi/ is the one source of truth.
//
// The packages:
//
//   - wrapper: what applications import: every operation as a validated
//     method, typed errors, the Guid session, events (poll, push, all-agent
//     poll), PickUp and CheckPickUp.
//   - generated: the models, client and server interfaces compiled from the
//     spec, FlexString and FlexInt (fields gateway builds send as a string
//     or a number), and Unimplemented for stubs.
//   - server: serves a StrictServerInterface behind the spec's validation,
//     answering like the vendor's gateway, for stubs, fakes and proxies.
//   - agwtest: an in-memory fake gateway built on server, for tests.
//   - redisstore: many agents across processes, through Redis.
//   - openapi: the embedded document.
package agentgateway
