package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// pickupStub answers SnatchPickup; every other operation answers
// not implemented.
type pickupStub struct{ generated.Unimplemented }

func (pickupStub) SnatchPickup(_ context.Context, req generated.SnatchPickupRequestObject) (generated.SnatchPickupResponseObject, error) {
	msg := fmt.Sprintf("agent %d picked up the call ringing at %d", req.Agentid, req.Params.DestWorkNo)
	return generated.SnatchPickup200JSONResponse{EnvelopeJSONResponse: generated.EnvelopeJSONResponse{
		Retcode: "0", Message: &msg, Result: json.RawMessage(`{}`),
	}}, nil
}

func ExampleNewHandler() {
	ts := httptest.NewServer(server.NewHandler(pickupStub{}))
	defer ts.Close()

	put := func(path string) {
		req, _ := http.NewRequest(http.MethodPut, ts.URL+generated.BasePath+path, nil)
		req.Header.Set("Guid", "stub-session")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		fmt.Printf("%d %s", res.StatusCode, body)
	}
	put("/voicecall/20002/snatchpickup?destWorkNo=20001")
	put("/voicecall/20002/answer")
	// Output:
	// 200 {"message":"agent 20002 picked up the call ringing at 20001","result":{},"retcode":"0"}
	// 200 {"message":"not implemented: Answer","retcode":"100-007","result":""}
}

// answerStub answers Answer like the vendor, with the success helper.
type answerStub struct{ generated.Unimplemented }

func (answerStub) Answer(context.Context, generated.AnswerRequestObject) (generated.AnswerResponseObject, error) {
	return generated.Answer200JSONResponse{EnvelopeJSONResponse: server.Success(nil)}, nil
}

// A stub that logs each refusal (the typed Refusal: operation, field,
// rule, status; never the value sent) and checks the Guid.
func ExampleWithRefusalHook() {
	logRefusal := func(_ context.Context, r server.Refusal) {
		fmt.Printf("refused %s: %s %s broke %q (HTTP %d, %s)\n", r.Operation, r.In, r.Field, r.Rule, r.Status, r.RetCode)
	}
	validGuid := func(_ context.Context, agentID int, guid string) bool {
		return agentID == 20002 && guid == "stub-session"
	}
	ts := httptest.NewServer(server.NewHandler(answerStub{},
		server.WithRefusalHook(logRefusal), server.WithGuidCheck(validGuid)))
	defer ts.Close()

	put := func(path, guid string) {
		req, _ := http.NewRequest(http.MethodPut, ts.URL+generated.BasePath+path, nil)
		req.Header.Set("Guid", guid)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		fmt.Printf("%d %s", res.StatusCode, body)
	}
	put("/voicecall/20002/answer", "stub-session")
	put("/voicecall/20002/answer?callid=", "stub-session")
	put("/voicecall/20002/answer", "someone-else")
	// Output:
	// 200 {"message":"success","result":{},"retcode":"0"}
	// refused Answer: query callid broke "minLength" (HTTP 200, 000-002)
	// 200 {"message":"invalid parameter callid: must be at least 1 character long","result":"","retcode":"000-002"}
	// refused Answer: header Guid broke "guid" (HTTP 200, 100-006)
	// 200 {"message":"Guid not valid","result":"","retcode":"100-006"}
}
