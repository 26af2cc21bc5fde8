package redisstore_test

import (
	"context"

	"github.com/redis/go-redis/v9"

	"github.com/agentgateway-go/agentgateway/redisstore"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// In every process of a middleware: the store keeps each agent's session
// in Redis, and a Poller polls an agent from whichever process holds its
// lease, taking over when that process dies.
func Example() {
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379", ContextTimeoutEnabled: true}) // deadlines bound Redis calls
	store, err := redisstore.New(rdb, "site1")
	if err != nil {
		panic(err)
	}
	client, err := wrapper.NewClient("https://gw.example:8043")
	if err != nil {
		panic(err)
	}
	go func() { _ = (&redisstore.Poller{Store: store, Client: client}).Run(ctx, 20001) }()
}
