package reply_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/reply"
)

// Reading a reply of the bare generated client: the gateway answers an
// agent that has not signed in with retcode 100-006.
func ExampleRead() {
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

	r, err := reply.Read(ctx, reply.Call{Op: "GetAgentStatus", AgentID: 20001}, resp, 1<<20)
	if err != nil {
		panic(err)
	}
	defer r.Release()
	_, err = r.Envelope()
	var apiErr *reply.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(r.Status(), apiErr.RetCode, reply.RetCodeText(apiErr.RetCode))
	}
	fmt.Println(errors.Is(err, reply.ErrNotSignedIn))
	// Output:
	// 200 100-006 the agent is not signed in (or the Guid was rejected)
	// true
}
