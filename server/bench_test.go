package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// The benchmarks serve one request in memory (httptest.NewRecorder), the
// kit's handler side by side with a bare net/http handler that routes,
// decodes and answers the same request with encoding/json and no
// validation: the floor the kit is measured against.

const (
	benchSignInBody = `{"password":"demo-Passw0rd","phonenum":"88001","autoanswer":true,` +
		`"autoenteridle":false,"agenttype":4,"status":4,"releasephone":false}`
	benchSnatchPath = generated.BasePath + "/voicecall/20002/snatchpickup?destWorkNo=20001"
)

// benchStub answers SignIn and SnatchPickup with the vendor's success
// envelope.
type benchStub struct{ generated.Unimplemented }

func (benchStub) SignIn(_ context.Context, req generated.SignInRequestObject) (generated.SignInResponseObject, error) {
	if req.Body.Password == "" {
		panic("no password bound")
	}
	var reply generated.SignInReplyJSONResponse
	reply.Body.Retcode = generated.RetCodeSuccess
	guid := "JSESSIONID=abc"
	reply.Headers.SetGUID = &guid
	return generated.SignIn200JSONResponse{SignInReplyJSONResponse: reply}, nil
}

func (benchStub) SnatchPickup(context.Context, generated.SnatchPickupRequestObject) (generated.SnatchPickupResponseObject, error) {
	return generated.SnatchPickup200JSONResponse{EnvelopeJSONResponse: server.Success(nil)}, nil
}

// bareHandler is what a hand-written net/http server does for the same two
// requests: route, parse, decode, answer.
func bareHandler() http.Handler {
	mux := http.NewServeMux()
	answer := func(w http.ResponseWriter, env any) {
		w.Header().Set("Content-Type", server.ContentType)
		_ = json.NewEncoder(w).Encode(env)
	}
	mux.HandleFunc("PUT "+generated.BasePath+"/onlineagent/{agentid}", func(w http.ResponseWriter, r *http.Request) {
		var body generated.SignInRequest
		_, errID := strconv.Atoi(r.PathValue("agentid"))
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || errID != nil || body.Password == "" {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var reply generated.SignInReplyJSONResponse
		reply.Body.Retcode = generated.RetCodeSuccess
		w.Header().Set(server.SetGuid, "JSESSIONID=abc")
		answer(w, reply.Body)
	})
	mux.HandleFunc("PUT "+generated.BasePath+"/voicecall/{agentid}/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
		_, err1 := strconv.Atoi(r.PathValue("agentid"))
		_, err2 := strconv.Atoi(r.URL.Query().Get("destWorkNo"))
		if err1 != nil || err2 != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		answer(w, server.Success(nil))
	})
	return mux
}

func benchServe(b *testing.B, h http.Handler, method, target, body string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		var req *http.Request
		if body == "" {
			req = httptest.NewRequest(method, target, nil)
		} else {
			req = httptest.NewRequest(method, target, strings.NewReader(body))
			req.Header.Set("Content-Type", server.ContentType)
		}
		req.Header.Set("Guid", "g")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"retcode":"0"`) {
			b.Fatalf("HTTP %d %s", rec.Code, rec.Body)
		}
	}
}

func BenchmarkSignIn(b *testing.B) {
	b.Run("kit", func(b *testing.B) {
		benchServe(b, server.NewHandler(benchStub{}), http.MethodPut, signInPath, benchSignInBody)
	})
	b.Run("bare", func(b *testing.B) {
		benchServe(b, bareHandler(), http.MethodPut, signInPath, benchSignInBody)
	})
}

func BenchmarkSnatchPickup(b *testing.B) {
	b.Run("kit", func(b *testing.B) {
		benchServe(b, server.NewHandler(benchStub{}), http.MethodPut, benchSnatchPath, "")
	})
	b.Run("bare", func(b *testing.B) {
		benchServe(b, bareHandler(), http.MethodPut, benchSnatchPath, "")
	})
}
