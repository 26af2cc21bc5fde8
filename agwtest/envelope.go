package agwtest

import (
	"encoding/json"
	"net/http"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// contentType is what the vendor gateway sends, on replies and pushes.
const contentType = server.ContentType

var (
	emptyObject = json.RawMessage(`{}`)
	emptyString = json.RawMessage(`""`)
)

// reply is the outcome of one operation, before it becomes an envelope.
type reply struct {
	retcode string
	message string
	result  json.RawMessage // nil: {} on success, "" on failure, as the vendor sends
}

func success() reply { return reply{retcode: generated.RetCodeSuccess, message: "success"} }

func successWith(result any) reply {
	r := success()
	r.result = mustJSON(result)
	return r
}

func failure(code, message string) reply { return reply{retcode: code, message: message} }

func (r reply) ok() bool { return r.retcode == generated.RetCodeSuccess }

func (r reply) envelope() generated.Envelope {
	result := r.result
	if result == nil {
		result = emptyString
		if r.ok() {
			result = emptyObject
		}
	}
	msg := r.message
	return generated.Envelope{Message: &msg, Retcode: r.retcode, Result: result}
}

// mustJSON encodes values built by this package from plain structs, maps
// and strings, which cannot fail to encode.
func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("agwtest: encoding a reply: " + err.Error())
	}
	return b
}

// maxSniff bounds the reply bytes kept to read the retcode for the log.
const maxSniff = 64 << 10

// replyWriter records the status and, when logging, the body for its
// retcode; the server kit gives the reply the vendor's Content-Type.
type replyWriter struct {
	http.ResponseWriter
	status int
	sniff  bool
	body   []byte
}

func (w *replyWriter) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *replyWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.sniff {
		if len(w.body)+len(b) > maxSniff {
			w.sniff, w.body = false, nil // too big to be an envelope we log
		} else {
			w.body = append(w.body, b...)
		}
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *replyWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// retcode reads the retcode of the reply written so far, or "" if none.
func (w *replyWriter) retcode() string {
	var env struct {
		Retcode string `json:"retcode"`
	}
	if json.Unmarshal(w.body, &env) != nil {
		return ""
	}
	return env.Retcode
}
