package generated_test

import (
	"encoding/json"
	"fmt"

	"github.com/agentgateway-go/agentgateway/generated"
)

// One build sends a call ID as a string, another as a number.
func ExampleFlexString() {
	var a, b struct {
		CallID generated.FlexString `json:"callid"`
	}
	_ = json.Unmarshal([]byte(`{"callid":"1455885056-1095"}`), &a)
	_ = json.Unmarshal([]byte(`{"callid":1455885056}`), &b)
	fmt.Println(a.CallID, b.CallID)
	// Output: 1455885056-1095 1455885056
}
