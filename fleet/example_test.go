package fleet_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/fleet"
	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func ExampleFleet_PushHandler() {
	gw := agwtest.New(agwtest.WithPollWait(100 * time.Millisecond))
	if err := agwtest.Demo(gw.Gateway); err != nil {
		log.Fatal(err)
	}
	defer gw.Close()
	client, _ := wrapper.NewClient(gw.URL())
	desk := fleet.New(client)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	// The desk serves one callback URL for all its push-mode agents; each
	// event reaches the session of its agent (PickUp needs that), then the
	// desk's own handler, on a goroutine of its own.
	talking := make(chan struct{})
	callback := httptest.NewServer(desk.PushHandler("tok3n", func(s *wrapper.Session, ev wrapper.Event) {
		if s != nil && ev.EventType == string(generated.EventTypeAgentEventTalking) {
			fmt.Println("agent", s.AgentID(), "is talking")
			close(talking)
		}
	}))
	defer callback.Close()

	push := wrapper.SignInOptions{Password: agwtest.DemoPassword, PushURL: callback.URL, ServiceToken: "tok3n"}
	push.Phone = "88001"
	ringing, _ := client.SignIn(ctx, 20001, push)
	push.Phone = "88002"
	picker, _ := client.SignIn(ctx, 20002, push)
	desk.Track(ringing)
	desk.Track(picker)
	defer ringing.ForceSignOut(context.Background())
	defer picker.ForceSignOut(context.Background())

	_, _ = gw.Ring(20001, "13800000000")
	call, err := picker.PickUp(ctx, 20001)
	if err != nil {
		log.Fatal(err)
	}
	<-talking // PickUp may return before the handler has run
	fmt.Println("picked up a call from", call.Caller)
	// Output:
	// agent 20002 is talking
	// picked up a call from 13800000000
}
