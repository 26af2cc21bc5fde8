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
		req, _ := http.NewRequest(http.MethodPut, ts.URL+server.BasePath+path, nil)
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
