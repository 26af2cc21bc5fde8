// Package server is a kit for stubs, fakes and proxies of the agent
// gateway: NewHandler serves any generated.StrictServerInterface under
// /agentgateway/resource behind the embedded spec's request checks.
// Embed generated.Unimplemented to write only the operations a stub needs
// (the others answer HTTP 200 with retcode 100-007), and answer with
// Success or Failure:
//
//	return generated.SnatchPickup200JSONResponse{EnvelopeJSONResponse: server.Success(nil)}, nil
//
// Every reply is the vendor's JSON envelope with Content-Type
// "application/json;charset=UTF-8", refusals included:
//
//   - an unknown path: HTTP 404, retcode 000-002;
//   - a known path with a wrong method: HTTP 200, retcode 000-001;
//   - a body over the limit (WithMaxBodyBytes; DefaultMaxBodyBytes, 1 MiB,
//     by default): HTTP 413, retcode 000-002, before the body is read in
//     full (unread when its Content-Length is over), the connection closed;
//   - a parameter or body breaking the spec, or one the generated code
//     cannot bind: HTTP 200, retcode 000-002;
//   - with WithGuidCheck only, a missing or refused Guid: HTTP 200,
//     retcode 100-006;
//   - an operation whose reply fails to encode: HTTP 200, retcode 100-007.
//
// A refusal names the parameter or body field and the rule ("invalid
// parameter destWorkNo: must be an integer"), never a value sent, which may
// be a password; WithRefusalHook receives it as a Refusal, which holds no
// value either.
//
// # Checks
//
// NewHandler compiles the spec's request schemas once per option set (the
// keywords the spec uses; the kit's tests fail on any other) and routes with
// the generated code's own patterns. Each request is checked once, in this
// order: the body's declared size, the parameters, the Guid (with
// WithGuidCheck), then the body: read once, its syntax checked, decoded
// once and only as far as the spec describes it (keys no schema names are
// scanned, not decoded, so a body costs about its size; ReportSound's
// free-form body is decoded whole), and checked in one pass. The operation
// receives exactly the value checked:
// the generated code binds it, matching names exactly, as the vendor's
// Jackson does. A body key that differs from a property's name only in case
// ("PASSWORD", under Unicode folding) is refused, naming the property:
// encoding/json would bind it. Defaults the spec declares are filled in
// where a property is left out or null. Lengths count UTF-16 code units, as
// the vendor's Java does. r.Body still reads the body as sent.
//
// The kit checks no Guid unless WithGuidCheck is given: the security
// scheme is then the operations' to enforce, with the vendor's retcodes.
//
// # What the server accepts beyond the spec, and why
//
// The vendor's own clients (its Java demo among them) send what the
// vendor's server stack, JAX-RS with Jackson's defaults, accepts. So in a
// JSON request body, where the operation's schema says:
//
//   - an integer field may be a string of digits ("agenttype":"4" is 4),
//     or an integral number (4.0 is 4);
//   - a number field may be a JSON number in a string;
//   - a boolean field may be "true" or "false";
//   - unknown fields are kept and ignored, as the spec allows.
//
// A value that does not coerce ("agenttype":"x4") fails its type rule,
// naming its field. Query and path parameters are text already and parse
// as the generated code parses them.
//
// Replies spell the session header "Set-GUID" on the wire, as the vendor
// documents, rather than Go's canonical "Set-Guid": a handler may set it
// with either key.
package server
