package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// Reading a reply of the bare generated client: the gateway answers an
// agent that has not signed in with retcode 100-006.
func ExampleReadReply() {
	srv := agwtest.New()
	defer srv.Close()
	if err := agwtest.Demo(srv.Gateway); err != nil {
		panic(err)
	}
	api, err := generated.NewClient(srv.BaseURL()) // ".../agentgateway/resource"
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := api.GetAgentStatus(ctx, 20001)
	if err != nil {
		panic(err)
	}

	_, err = wrapper.ReadReply(ctx, "GetAgentStatus", 20001, resp)
	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatus, apiErr.RetCode, wrapper.RetCodeText(apiErr.RetCode))
	}
	fmt.Println(errors.Is(err, wrapper.ErrNotSignedIn))
	// Output:
	// 200 100-006 the agent is not signed in (or the Guid was rejected)
	// true
}
