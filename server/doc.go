// Package server is a kit for stubs, fakes and proxies of the agent
// gateway: NewHandler serves any generated.StrictServerInterface under
// /agentgateway/resource behind the embedded spec's request validation.
// Embed generated.Unimplemented to write only the operations a stub needs;
// the others answer HTTP 200 with retcode 100-007.
//
// Every reply is the vendor's JSON envelope with Content-Type
// "application/json;charset=UTF-8", refusals included:
//
//   - an unknown path: HTTP 404, retcode 000-002;
//   - a known path with a wrong method: HTTP 200, retcode 000-001;
//   - a parameter or body breaking the spec, or one the generated code
//     cannot bind: HTTP 200, retcode 000-002, naming the parameter or field
//     (never its value, which may be a password);
//   - an operation whose reply fails to encode: HTTP 200, retcode 100-007.
//
// Validation does not enforce the Guid security scheme: the implementation
// checks the Guid and answers with the vendor's retcodes.
//
// # What the server accepts beyond the spec, and why
//
// The vendor's own clients (its Java demo among them) send what the
// vendor's server stack, JAX-RS with Jackson's defaults, accepts. So before
// validation, in a JSON request body and where the operation's schema says:
//
//   - an integer field may be a string of digits ("agenttype":"4" is 4);
//   - a number field may be a JSON number in a string;
//   - a boolean field may be "true" or "false";
//   - unknown fields are kept and ignored, as the spec allows.
//
// A value that does not coerce ("agenttype":"x4") is left as sent and
// fails validation naming its field. Query and path parameters are text
// already and parse as the spec says.
//
// Replies spell the session header "Set-GUID" on the wire, as the vendor
// documents, rather than Go's canonical "Set-Guid": a handler may set it
// with either key.
package server
