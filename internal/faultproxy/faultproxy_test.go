package faultproxy

import (
	"bufio"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"
)

// echo serves loopback connections that echo each line.
func echo(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(c, c); _ = c.Close() }()
		}
	}()
	return ln.Addr().String()
}

func TestPauseHoldsBytesAndResumeDeliversThem(t *testing.T) {
	p, err := New(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	c, err := net.Dial("tcp", p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	line := func(deadline time.Duration) (string, error) {
		_ = c.SetReadDeadline(time.Now().Add(deadline))
		return r.ReadString('\n')
	}
	if _, err := c.Write([]byte("one\n")); err != nil {
		t.Fatal(err)
	}
	if s, err := line(5 * time.Second); err != nil || s != "one\n" {
		t.Fatalf("through the proxy: %q %v", s, err)
	}

	p.Pause()
	if _, err := c.Write([]byte("two\n")); err != nil {
		t.Fatal(err)
	}
	if s, err := line(100 * time.Millisecond); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("paused, yet read %q %v", s, err)
	}
	p.Resume()
	if s, err := line(5 * time.Second); err != nil || s != "two\n" {
		t.Fatalf("after Resume the held bytes arrive: %q %v", s, err)
	}

	p.Cut()
	if s, err := line(5 * time.Second); err == nil {
		t.Fatalf("read %q from a cut connection", s)
	}
	c2, err := net.Dial("tcp", p.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if _, err := c2.Write([]byte("three\n")); err != nil {
		t.Fatal(err)
	}
	_ = c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	if s, err := bufio.NewReader(c2).ReadString('\n'); err != nil || s != "three\n" {
		t.Fatalf("a new connection after Cut: %q %v", s, err)
	}
}
