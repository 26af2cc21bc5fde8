package server

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"
)

// coerceBody rewrites the JSON request body of op the way the vendor's
// server stack (JAX-RS with Jackson's defaults) reads it, before the spec
// validates it: where the schema wants an integer, a string of digits
// becomes that integer; a number, a JSON number in a string becomes the
// number; a boolean, "true" or "false" becomes the boolean. Anything else,
// unknown fields included, is left as sent, so a value that does not
// coerce still fails validation naming its field. It returns an error
// only when the body cannot be read.
func coerceBody(r *http.Request, op *openapi3.Operation) error {
	schema := jsonBodySchema(r, op)
	if schema == nil || r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	raw, err := io.ReadAll(r.Body)
	_ = r.Body.Close()
	if err != nil {
		return err
	}
	body := raw
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) == nil && !dec.More() {
		if nv, changed := coerce(schema, v); changed {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if enc.Encode(nv) == nil {
				body = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
			}
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return nil
}

// jsonBodySchema is the schema of op's JSON request body, if the request
// says it is sending JSON.
func jsonBodySchema(r *http.Request, op *openapi3.Operation) *openapi3.Schema {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return nil
	}
	media := op.RequestBody.Value.Content.Get(mt)
	if media == nil || media.Schema == nil {
		return nil
	}
	return media.Schema.Value
}

// coerce returns v rewritten to schema's types, and whether anything
// changed.
func coerce(schema *openapi3.Schema, v any) (any, bool) {
	if schema == nil {
		return v, false
	}
	changed := false
	for _, sub := range schema.AllOf {
		var c bool
		if sub != nil {
			v, c = coerce(sub.Value, v)
			changed = changed || c
		}
	}
	switch x := v.(type) {
	case string:
		if nv, ok := coerceString(schema.Type, x); ok {
			return nv, true
		}
	case map[string]any:
		for name, prop := range schema.Properties {
			if pv, ok := x[name]; ok && prop != nil {
				if nv, c := coerce(prop.Value, pv); c {
					x[name], changed = nv, true
				}
			}
		}
		if ap := schema.AdditionalProperties.Schema; ap != nil {
			for name, pv := range x {
				if _, known := schema.Properties[name]; known {
					continue
				}
				if nv, c := coerce(ap.Value, pv); c {
					x[name], changed = nv, true
				}
			}
		}
	case []any:
		if schema.Items != nil {
			for i, iv := range x {
				if nv, c := coerce(schema.Items.Value, iv); c {
					x[i], changed = nv, true
				}
			}
		}
	}
	return v, changed
}

// coerceString converts s to the JSON type t names, if t is a single
// integer, number or boolean type and s is that type's plain text.
func coerceString(t *openapi3.Types, s string) (any, bool) {
	switch {
	case t.Is(openapi3.TypeInteger):
		if isDigits(s) {
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return json.Number(strconv.FormatInt(n, 10)), true
			}
		}
	case t.Is(openapi3.TypeNumber):
		var n json.Number
		if s != "" && json.Unmarshal([]byte(s), &n) == nil && string(n) == s {
			return n, true
		}
	case t.Is(openapi3.TypeBoolean):
		switch s {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return nil, false
}

// isDigits reports whether s is an optional minus sign and decimal digits.
func isDigits(s string) bool {
	if len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
