package redisstore_test

import (
	"context"
	"errors"
	"log"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// In every process of a middleware: the store keeps each agent's session
// in Redis, and a Poller polls each agent from whichever process holds its
// lease, taking over when that process dies, riding out Redis's failures.
func Example() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true, // deadlines bound Redis calls
		ReadBufferSize: 4 << 10, WriteBufferSize: 4 << 10}) // small commands and replies
	store, err := redisstore.New(rdb, "site1")
	if err != nil {
		panic(err)
	}
	client, err := wrapper.NewClient("https://gw.example:8043", wrapper.WithStateHook(store.Hook(func(err error) { log.Print(err) })))
	if err != nil {
		panic(err)
	}
	poller := &redisstore.Poller{Store: store, Client: client,
		OnError: func(agent int, err error) { log.Print(err) },
		OnEnd:   func(agent int, err error) { log.Printf("agent %d: %v", agent, err) }} // signed out: sign it in again
	agents := []int{20001, 20002, 20003} // every agent of the site, in every process
	go func() { _ = poller.RunAgents(ctx, agents) }()

	err = store.Do(ctx, client, 20001, func(ctx context.Context, s *wrapper.Session) error { return s.Release(ctx) })
	switch {
	case errors.Is(err, redisstore.ErrNotSent): // nothing left (Redis down, no session): safe to try again
	case errors.Is(err, redisstore.ErrOutcomeUnknown): // sent, no reply: the gateway may have released the call
	}
}
