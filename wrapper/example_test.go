package wrapper_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// fakeGateway starts the fake gateway from agwtest with its demo agents
// (20001-20005, phones 88001-88005), standing in for a real one.
func fakeGateway() *agwtest.Server {
	srv := agwtest.New(agwtest.WithPollWait(100 * time.Millisecond))
	if err := agwtest.Demo(srv.Gateway); err != nil {
		log.Fatal(err)
	}
	return srv
}

func ExampleNewClient() {
	gw := fakeGateway()
	defer gw.Close()

	// For a real gateway: wrapper.NewClient("https://gw.example:8043",
	// wrapper.WithRootCAs(pool)); the resource path is added for you.
	client, err := wrapper.NewClient(gw.URL(), wrapper.WithTimeout(5*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	session, err := client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword})
	if err != nil {
		log.Fatal(err)
	}
	defer session.SignOut(ctx)

	fmt.Println(session) // never shows the Guid
	fmt.Println(session.Guid() != "")
	// Output:
	// wrapper.Session{agent 20002}
	// true
}

func ExampleSession_SnatchPickup() {
	gw := fakeGateway()
	defer gw.Close()
	client, _ := wrapper.NewClient(gw.URL())
	ctx := context.Background()
	ringing, _ := client.SignIn(ctx, 20001, wrapper.SignInOptions{Phone: "88001", Password: agwtest.DemoPassword})
	picker, _ := client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword})
	defer ringing.ForceSignOut(ctx)
	defer picker.ForceSignOut(ctx)

	_, _ = gw.Ring(20001, "13800000000") // a customer call rings at agent 20001

	// Agent 20002 takes it; the call's events then arrive on 20002's poll.
	if err := picker.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001}); err != nil {
		log.Fatal(err)
	}
	fmt.Println("agent 20002 is", gw.AgentState(20002))
	// Output:
	// agent 20002 is talking
}

func ExampleSession_PickUp() {
	gw := fakeGateway()
	defer gw.Close()
	client, _ := wrapper.NewClient(gw.URL())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ringing, _ := client.SignIn(ctx, 20001, wrapper.SignInOptions{Phone: "88001", Password: agwtest.DemoPassword})
	picker, _ := client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword})
	defer ringing.ForceSignOut(context.Background())
	defer picker.ForceSignOut(context.Background())

	// PickUp learns how the pickup went from the session's event poll.
	pollCtx, stopPolling := context.WithCancel(ctx)
	polling, err := picker.PollInBackground(pollCtx, func(ev wrapper.Event) error {
		return nil // an agent desk would update its screen here
	}, wrapper.PollOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer func() { stopPolling(); <-polling }()

	_, _ = gw.Ring(20001, "13800000000")
	call, err := picker.PickUp(ctx, 20001)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("connected to", call.Caller, "who called", call.Called)
	// Output:
	// connected to 13800000000 who called 88001
}

func Example_errors() {
	gw := fakeGateway()
	defer gw.Close()
	client, _ := wrapper.NewClient(gw.URL())
	ctx := context.Background()
	picker, _ := client.SignIn(ctx, 20002, wrapper.SignInOptions{Phone: "88002", Password: agwtest.DemoPassword})
	defer picker.SignOut(ctx)

	// Checked before any request is sent.
	err := picker.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 60000})
	var invalid *wrapper.ValidationError
	if errors.As(err, &invalid) {
		fmt.Println(errors.Is(err, wrapper.ErrInvalidArgument), invalid.Field, invalid.Rule)
	}

	// Refused by the gateway: nothing rings at 20001.
	err = picker.SnatchPickup(ctx, &generated.SnatchPickupParams{DestWorkNo: 20001})
	var apiErr *wrapper.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(errors.Is(err, wrapper.ErrAgentOperation), apiErr.RetCode, wrapper.RetCodeText(apiErr.RetCode))
	}
	switch {
	case errors.Is(err, wrapper.ErrNotSignedIn):
		// sign in again
	case errors.Is(err, wrapper.ErrBadReply):
		// a proxy answered: HTML page, bad status, unreadable body
	}
	// Output:
	// true destWorkNo an agent ID 101-59999
	// true 100-007 the agent operation failed (platform resource unreachable or internal error)
}
