package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/agentgateway-go/agentgateway/generated"
)

// ContentType is what the vendor gateway sends on every reply.
const ContentType = "application/json;charset=UTF-8"

// Retcodes the kit itself answers with.
const (
	CodeWrongMethod     = generated.RetCodeWrongMethod      // the path exists, the method does not
	CodeBadRequest      = generated.RetCodeInvalidParameter // unknown path or a request breaking the spec
	CodeOperationFailed = generated.RetCodeOperationFailed  // the operation failed to write its reply
	CodeNotSignedIn     = generated.RetCodeNotSignedIn      // WithGuidCheck refused the Guid
)

// setGuidCanonical is how Go's header map spells the vendor's Set-GUID.
const setGuidCanonical = "Set-Guid"

// SetGuid is the vendor's spelling of the session header.
const SetGuid = "Set-GUID"

// writeEnvelope answers outside the operations with the vendor envelope;
// the result of a failure is "", as the vendor sends.
func writeEnvelope(w http.ResponseWriter, status int, retcode, message string) {
	var buf bytes.Buffer
	env := generated.Envelope{Message: &message, Retcode: retcode, Result: json.RawMessage(`""`)}
	_ = json.NewEncoder(&buf).Encode(env) // a plain struct: cannot fail
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// vendorWire gives every reply the vendor's Content-Type and header
// spelling.
func vendorWire(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vw := &vendorWriter{ResponseWriter: w}
		h.ServeHTTP(vw, r)
		if !vw.wrote {
			vw.WriteHeader(http.StatusOK) // headers still get the vendor spelling
		}
	})
}

// vendorWriter rewrites a JSON Content-Type to the vendor's and moves a
// "Set-Guid" header (Go's canonical key) to the vendor's "Set-GUID", which
// net/http then writes as is.
type vendorWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *vendorWriter) WriteHeader(status int) {
	if !w.wrote {
		w.wrote = true
		h := w.Header()
		if ct := h.Get("Content-Type"); ct == "" || strings.HasPrefix(ct, "application/json") {
			h.Set("Content-Type", ContentType)
		}
		if v, ok := h[setGuidCanonical]; ok {
			delete(h, setGuidCanonical)
			h[SetGuid] = v
		}
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *vendorWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *vendorWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
