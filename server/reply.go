package server

import (
	"encoding/json"

	"github.com/agentgateway-go/agentgateway/generated"
)

// Success is the vendor's success envelope,
// {"message":"success","result":...,"retcode":"0"}, with result encoded as
// JSON ({} when nil, as the vendor sends). It is the shape every
// generated <Op>200JSONResponse that embeds EnvelopeJSONResponse takes:
//
//	return generated.SnatchPickup200JSONResponse{EnvelopeJSONResponse: server.Success(nil)}, nil
//
// A result that cannot be encoded gives the kit's reply to an operation that
// fails to write its reply instead: retcode 100-007, "internal error".
func Success(result any) generated.EnvelopeJSONResponse {
	raw := json.RawMessage(`{}`)
	if result != nil {
		b, err := json.Marshal(result)
		if err != nil {
			return Failure(CodeOperationFailed, "internal error")
		}
		raw = b
	}
	msg := "success"
	return generated.EnvelopeJSONResponse{Message: &msg, Retcode: generated.RetCodeSuccess, Result: raw}
}

// Failure is the vendor's envelope of a refused operation: the retcode (a
// generated.RetCode... constant), the message and "" as the result, as the
// vendor sends.
func Failure(retcode, message string) generated.EnvelopeJSONResponse {
	return generated.EnvelopeJSONResponse{Message: &message, Retcode: retcode, Result: json.RawMessage(`""`)}
}
