package agwtest_test

import (
	"context"
	"fmt"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// A test gateway with the demo agents: sign an agent in through the client,
// ring it, and see what reached the gateway.
func Example() {
	srv := agwtest.New()
	defer srv.Close()
	if err := agwtest.Demo(srv.Gateway); err != nil {
		panic(err)
	}
	client, err := wrapper.NewClient(srv.URL())
	if err != nil {
		panic(err)
	}
	ctx := context.Background()
	s, err := client.SignIn(ctx, 20001, wrapper.SignInOptions{Phone: "88001", Password: agwtest.DemoPassword})
	if err != nil {
		panic(err)
	}
	defer s.SignOut(ctx)
	if _, err := srv.Ring(20001, "13800000000"); err != nil {
		panic(err)
	}
	fmt.Println(srv.AgentState(20001), srv.Requests("SignIn"))
	// Output: ringing 1
}
