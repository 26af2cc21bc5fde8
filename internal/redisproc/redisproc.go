// Package redisproc runs a redis-server on a free loopback port for tests
// and the load test, and breaks it on purpose: stopped and started again
// on the same port (with or without persistence), or paused (SIGSTOP).
package redisproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrNotInstalled is a machine without redis-server.
var ErrNotInstalled = errors.New("redis-server is not installed")

// Server is one redis-server process, restartable on its port.
type Server struct {
	Addr    string
	Persist bool // appendonly yes: the data outlives a restart

	bin, dir string
	out      io.Writer
	mu       sync.Mutex
	cmd      *exec.Cmd
	exited   chan struct{}
}

// Start runs redis-server on a free loopback port with its files in dir;
// persist turns the append-only file on (fsync every second). out gets
// its log. It returns once the server answers PING.
func Start(ctx context.Context, dir string, persist bool, out io.Writer) (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Persist: persist, bin: bin, dir: dir, out: out}
	return s, s.Restart(ctx)
}

// Restart starts the server again on its port (after Stop), with the same
// files, and waits until it answers PING (not LOADING).
func (s *Server) Restart(ctx context.Context) error {
	_, port, _ := net.SplitHostPort(s.Addr)
	aof := "no"
	if s.Persist {
		aof = "yes"
	}
	cmd := exec.Command(s.bin, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", aof,
		"--dir", s.dir, "--loglevel", "warning")
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()

	rdb := redis.NewClient(&redis.Options{Addr: s.Addr, DialTimeout: time.Second, MaxRetries: -1})
	defer rdb.Close()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(20 * time.Second)
	for rdb.Ping(ctx).Err() != nil {
		select {
		case <-exited:
			return fmt.Errorf("redis-server on %s exited", s.Addr)
		case <-deadline:
			s.Kill()
			return fmt.Errorf("redis-server on %s did not answer", s.Addr)
		case <-ctx.Done():
			s.Kill()
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// Stop shuts the server down (SIGTERM: with persistence on, it writes
// its append-only file first) and waits for it to exit.
func (s *Server) Stop() error { return s.signalWait(syscall.SIGTERM) }

// Kill ends the server at once (SIGKILL, even while paused) and waits.
func (s *Server) Kill() { _ = s.signalWait(syscall.SIGKILL) }

// Pause stops the process (SIGSTOP): connections stay open, nothing is
// answered, until Resume.
func (s *Server) Pause() error { return s.signal(syscall.SIGSTOP) }

// Resume continues a paused server (SIGCONT).
func (s *Server) Resume() error { return s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return errors.New("redis-server is not running")
	}
	return s.cmd.Process.Signal(sig)
}

func (s *Server) signalWait(sig syscall.Signal) error {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return nil
	}
	err := cmd.Process.Signal(sig)
	if sig != syscall.SIGKILL {
		_ = cmd.Process.Signal(syscall.SIGCONT) // a paused server cannot act on SIGTERM
	}
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		return fmt.Errorf("redis-server on %s did not stop on %v", s.Addr, sig)
	}
	return err
}
