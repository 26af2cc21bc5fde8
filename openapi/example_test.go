package openapi_test

import (
	"fmt"

	"github.com/agentgateway-go/agentgateway/openapi"
)

// The embedded document, for a server or proxy that validates requests.
func ExampleLoad() {
	spec, err := openapi.Load()
	if err != nil {
		panic(err)
	}
	op := spec.Paths.Find("/voicecall/{agentid}/snatchpickup").Put
	fmt.Println(op.OperationID)
	// Output: SnatchPickup
}
