package server_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// TestBodyMemory: a body of nearly 1 MiB costs about its size, whatever it
// holds: values no schema describes are scanned, not decoded (before, the
// kit held some ten times a body, and fifty times one of small values).
func TestBodyMemory(t *testing.T) {
	got := make(chan *generated.SignInJSONRequestBody, 1)
	h := server.NewHandler(stub{got: got})
	const size = 1<<20 - 100
	for name, filler := range map[string]string{
		"a string":    `"` + strings.Repeat("x", size) + `"`,
		"numbers":     "[" + strings.Repeat("1,", size/2) + "1]",
		"objects":     "[" + strings.Repeat("{},", size/3) + "{}]",
		"unknown key": `1,"` + strings.Repeat("k", size) + `":1`,
	} {
		body := `{"password":"pw","phonenum":"1","x":` + filler + `}`
		req := httptest.NewRequest(http.MethodPut, signInPath, strings.NewReader(body))
		req.Header.Set("Content-Type", server.ContentType)
		rec := httptest.NewRecorder()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		h.ServeHTTP(rec, req)
		runtime.ReadMemStats(&after)
		assert.Equal(t, http.StatusOK, rec.Code, name)
		<-got
		allocated := after.TotalAlloc - before.TotalAlloc
		assert.Less(t, allocated, uint64(2*len(body)), "%s: %d bytes allocated for a body of %d", name, allocated, len(body))
		t.Logf("%s: %.2f times the body", name, float64(allocated)/float64(len(body)))
	}
}
