package transport

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The server of the waiting benchmarks runs in a process of its own, so
// that only the client's memory is counted.
const serverEnv = "AGW_PARKED_TEST_SERVER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(serverEnv); mode != "" {
		holdInProcess(mode)
		return
	}
	os.Exit(m.Run())
}

// holdInProcess serves as the waiting server: it prints its URL and,
// for https, its certificate, then "seen" for each request, which it holds
// until its standard input ends; then it replies and exits.
func holdInProcess(mode string) {
	release := make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("seen")
		<-release
		_, _ = io.WriteString(w, "ok")
	}))
	var cert []byte
	if mode == "https" {
		srv.StartTLS()
		cert = srv.Certificate().Raw
	} else {
		srv.Start()
	}
	fmt.Println(srv.URL)
	fmt.Println(base64.StdEncoding.EncodeToString(cert))
	_, _ = io.Copy(io.Discard, os.Stdin)
	close(release)
	srv.Close() // once every reply is written
}

type holdProcess struct {
	url   string
	roots *x509.CertPool
	seen  chan struct{}
	stdin io.Closer
}

func startHoldProcess(b *testing.B, mode string) *holdProcess {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serverEnv+"="+mode)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(b, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(b, err)
	require.NoError(b, cmd.Start())
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	h := &holdProcess{stdin: stdin, seen: make(chan struct{}, 10000), roots: x509.NewCertPool()}
	require.True(b, sc.Scan())
	h.url = sc.Text()
	require.True(b, sc.Scan())
	if der, _ := base64.StdEncoding.DecodeString(sc.Text()); len(der) > 0 {
		cert, err := x509.ParseCertificate(der)
		require.NoError(b, err)
		h.roots.AddCert(cert)
	}
	go func() {
		for sc.Scan() {
			h.seen <- struct{}{}
		}
	}()
	return h
}

// measureWaiting reports the memory each of n more requests costs while
// it waits, with n waiting already: start sends one and calls done once its
// reply is read. The n first make the process one of waiting requests, as
// in use: goroutines start on a stack the size of the average at the last
// GC (the runtime's adaptive stack start), 2 KiB or more.
func measureWaiting(b *testing.B, h *holdProcess, start func(done func())) {
	const n = 1000
	var before, after runtime.MemStats
	var done sync.WaitGroup
	done.Add(2 * n)
	for _, m := range []*runtime.MemStats{&before, &after} {
		for range n {
			start(done.Done)
		}
		for range n {
			<-h.seen
		}
		runtime.GC()
		runtime.GC()
		runtime.ReadMemStats(m)
	}
	_ = h.stdin.Close()
	done.Wait()
	heap := float64(int64(after.HeapInuse)-int64(before.HeapInuse)) / n
	stack := float64(int64(after.StackInuse)-int64(before.StackInuse)) / n
	b.ReportMetric(heap+stack, "B/waiting")
	b.ReportMetric(stack, "stack-B/waiting")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkWaiting compares the memory a waiting request costs, Parked
// against net/http (benchstat -col /impl).
func BenchmarkWaiting(b *testing.B) {
	for _, mode := range []string{"http", "https"} {
		b.Run("impl=parked/scheme="+mode, func(b *testing.B) {
			h := startHoldProcess(b, mode)
			p := newParked(b, &http.Transport{TLSClientConfig: &tls.Config{RootCAs: h.roots}})
			ctx := b.Context()
			measureWaiting(b, h, func(done func()) {
				sendReq(p, ctx, get(b, ctx, h.url), 0, func(resp *http.Response, err error) {
					defer done()
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				})
			})
		})
		b.Run("impl=nethttp/scheme="+mode, func(b *testing.B) {
			h := startHoldProcess(b, mode)
			hc, _, err := New(Config{RootCAs: h.roots})
			require.NoError(b, err)
			tr := hc.Transport.(*http.Transport)
			tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost = 0, 1024
			b.Cleanup(tr.CloseIdleConnections)
			ctx := b.Context()
			measureWaiting(b, h, func(done func()) {
				go func() {
					defer done()
					resp, err := hc.Do(get(b, ctx, h.url))
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}()
			})
		})
	}
}

func okServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") }))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkRoundTrip compares one exchange: Parked with a new request,
// Parked with one Wire sent again (a chained poll), net/http.
func BenchmarkRoundTrip(b *testing.B) {
	srv := okServer(b)
	ctx := b.Context()
	b.Run("impl=parked", func(b *testing.B) {
		p := newParked(b, &http.Transport{})
		b.ReportAllocs()
		for b.Loop() {
			readAll(b, <-sendParked(b, p, get(b, ctx, srv.URL)))
		}
	})
	b.Run("impl=parked-wire", func(b *testing.B) {
		p := newParked(b, &http.Transport{})
		w, err := p.NewWire(get(b, ctx, srv.URL))
		require.NoError(b, err)
		got := make(chan reply, 1)
		b.ReportAllocs()
		for b.Loop() {
			p.Send(ctx, w, 0, func(resp *http.Response, err error) { got <- reply{resp, err} })
			readAll(b, <-got)
		}
	})
	b.Run("impl=nethttp", func(b *testing.B) {
		hc, _, err := New(Config{})
		require.NoError(b, err)
		b.Cleanup(hc.CloseIdleConnections)
		b.ReportAllocs()
		for b.Loop() {
			resp, err := hc.Do(get(b, ctx, srv.URL))
			readAll(b, reply{resp, err})
		}
	})
}
