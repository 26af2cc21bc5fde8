package redisstore_test

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/redisstore"
)

// redisServer is a real redis-server on a loopback port, without
// persistence, stopped when the test ends.
type redisServer struct {
	Addr string
}

// startRedis starts redis-server, or skips the test when it is not
// installed (it fails when CI=true).
func startRedis(tb testing.TB) *redisServer {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatal("redis-server is not installed (CI=true): apt-get install redis-server")
		}
		tb.Skip("redis-server is not installed")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(tb, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(tb, l.Close())

	var out syncBuffer
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "no", "--dir", tb.TempDir())
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(tb, cmd.Start())
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	srv := &redisServer{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}
	rdb := srv.client(tb)
	require.Eventually(tb, func() bool {
		select {
		case <-exited:
			return true // reported below
		default:
		}
		return rdb.Ping(tb.Context()).Err() == nil
	}, 10*time.Second, 10*time.Millisecond)
	select {
	case <-exited:
		tb.Fatalf("redis-server exited: %s", out.String())
	default:
	}
	return srv
}

// client is a new connection pool to the server, closed when the test ends.
func (r *redisServer) client(tb testing.TB) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr, DialTimeout: time.Second, ContextTimeoutEnabled: true})
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
