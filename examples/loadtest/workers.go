package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// worker is a client process of -processes.
type worker struct {
	cmd   *exec.Cmd
	stdin io.Closer
	out   *bufio.Reader
}

func startWorker(ctx context.Context, root, redisAddr, prefix string, n int, lease time.Duration) (*worker, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, self, "-worker", "-gateway", root, "-redis", redisAddr, "-prefix", prefix,
		"-sessions", strconv.Itoa(n), "-lease", lease.String())
	cmd.Stderr = os.Stderr
	w := &worker{cmd: cmd}
	if w.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	w.out = bufio.NewReader(stdout)
	return w, cmd.Start()
}

// stop asks the worker to end and returns its WORKER line.
func (w *worker) stop() (string, error) {
	_ = w.stdin.Close()
	line, err := w.out.ReadString('\n')
	if werr := w.cmd.Wait(); err == nil && werr != nil {
		err = werr
	}
	return strings.TrimSpace(line), err
}

func (w *worker) kill() {
	if w.cmd.ProcessState == nil {
		_ = w.cmd.Process.Kill()
		_ = w.cmd.Wait()
	}
}

// stopWorkers ends the workers still running and reads their WORKER
// lines; bytes per agent are averaged over the agents each polled.
func stopWorkers(workers []*worker, res *result) error {
	var bytes, polled float64
	for _, w := range workers {
		line, err := w.stop()
		if err != nil {
			return err
		}
		var per, errs, polling int64
		var l latency
		if _, err := fmt.Sscanf(line, "WORKER %d %d %d %d %d %d", &per, &l.P50, &l.P99, &l.Max, &errs, &polling); err != nil {
			return fmt.Errorf("worker said %q: %w", line, err)
		}
		bytes += float64(per) * float64(polling)
		polled += float64(polling)
		res.PollerErrors += int(errs)
		res.Window = latency{P50: max(res.Window.P50, l.P50), P99: max(res.Window.P99, l.P99), Max: max(res.Window.Max, l.Max)}
	}
	res.HeapPerSession = bytes / max(polled, 1)
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
