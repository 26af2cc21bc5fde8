package redisstore_test

import (
	"bytes"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/internal/redisproc"
	"github.com/agentgateway-go/agentgateway/redisstore"
)

// redisServer is a real redis-server on a loopback port, killed when the
// test ends; Stop and Restart, Pause and Resume break it.
type redisServer struct {
	*redisproc.Server
}

// startRedis starts redis-server without persistence, or skips the test
// when it is not installed (it fails when CI=true).
func startRedis(tb testing.TB) *redisServer { return startRedisWith(tb, false) }

// startRedisWith starts redis-server, with the append-only file if persist.
func startRedisWith(tb testing.TB, persist bool) *redisServer {
	tb.Helper()
	var out syncBuffer
	srv, err := redisproc.Start(tb.Context(), tb.TempDir(), persist, &out)
	if errors.Is(err, redisproc.ErrNotInstalled) {
		if os.Getenv("CI") == "true" {
			tb.Fatal("redis-server is not installed (CI=true): apt-get install redis-server")
		}
		tb.Skip("redis-server is not installed")
	}
	require.NoError(tb, err, out.String())
	tb.Cleanup(srv.Kill)
	return &redisServer{Server: srv}
}

// client is a new connection pool to the server, closed when the test
// ends; opts, if any, adjust its options.
func (r *redisServer) client(tb testing.TB, opts ...func(*redis.Options)) *redis.Client {
	o := &redis.Options{Addr: r.Addr, DialTimeout: time.Second, ContextTimeoutEnabled: true}
	for _, f := range opts {
		f(o)
	}
	rdb := redis.NewClient(o)
	tb.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func (r *redisServer) store(tb testing.TB, rdb *redis.Client) *redisstore.Store {
	s, err := redisstore.New(rdb, "test")
	require.NoError(tb, err)
	return s
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
