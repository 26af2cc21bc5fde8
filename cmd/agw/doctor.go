package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/agentgateway-go/agentgateway/internal/doctor"
)

// runDoctor is `agw doctor`: one line per check (and a hint under each
// one not ok), or one JSON object with --json; exit 0 only when no check
// failed. With -agent it signs in and out a spare test agent.
func runDoctor(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("agw doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c common
	c.register(fs, "bound for each check", 10*time.Second)
	asJSON := fs.Bool("json", false, "print one JSON object: the results and the overall status")
	pushURL := fs.String("push-url", "", "a push-mode callback `URL` to check as well")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: agw doctor [flags]\n\nChecks a gateway step by step; with -agent, a sign-in, an event poll and a sign-out of that (spare) agent.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(code int, err error) int {
		fmt.Fprintln(stderr, "agw doctor:", err)
		return code
	}
	if fs.NArg() > 0 {
		return fail(exitUsage, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " ")))
	}
	if c.guid != "" {
		return fail(exitUsage, errors.New("-guid: the doctor signs in a spare agent of its own"))
	}
	if err := c.check(false); err != nil {
		return fail(exitUsage, err)
	}
	cfg := doctor.Config{BaseURL: c.conn.BaseURL, Insecure: c.conn.Insecure, AgentID: c.conn.Agent,
		Phone: c.conn.Phone, WideIDs: c.conn.WideIDs, PushURL: *pushURL, Timeout: c.timeout}
	var err error
	if cfg.RootCAs, err = c.conn.RootCAs(); err != nil {
		return fail(exitUsage, err)
	}
	if cfg.AgentID != 0 {
		if cfg.Password, err = c.conn.Password(c.getenv); err != nil {
			return fail(exitUsage, err)
		}
	}
	p := &doctorPrinter{out: stdout, tty: isTerminal(stdout)}
	if !*asJSON {
		cfg.Progress = p.result
		p.running()
	}
	results, err := doctor.Run(ctx, cfg)
	p.clear()
	if err != nil {
		return fail(exitUsage, err)
	}
	if *asJSON {
		writeDoctorJSON(stdout, results)
	}
	if doctor.Failed(results) {
		return exitFailed
	}
	return exitOK
}

// doctorPrinter prints each result as its check finishes; on a terminal a
// transient line says a check is running.
type doctorPrinter struct {
	out      io.Writer
	tty      bool
	progress bool // the transient line is showing
}

func (p *doctorPrinter) result(r doctor.Result) {
	p.clear()
	fmt.Fprintf(p.out, "%-5s %-8s%s\n", r.Status, r.Check, r.Detail)
	if r.Status != doctor.OK && r.Hint != "" {
		fmt.Fprintf(p.out, "%14s%s\n", "hint: ", r.Hint)
	}
	p.running()
}

func (p *doctorPrinter) running() {
	if p.tty {
		fmt.Fprint(p.out, "      checking…")
		p.progress = true
	}
}

func (p *doctorPrinter) clear() {
	if p.progress {
		fmt.Fprint(p.out, "\r\033[K")
		p.progress = false
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// writeDoctorJSON prints the results and the overall status: fail if a
// check failed, else warn if one warned, else ok.
func writeDoctorJSON(w io.Writer, results []doctor.Result) {
	type result struct {
		Check      string  `json:"check"`
		Status     string  `json:"status"`
		Detail     string  `json:"detail,omitempty"`
		Hint       string  `json:"hint,omitempty"`
		DurationMS float64 `json:"durationMs"`
	}
	out := struct {
		Overall string   `json:"overall"`
		Results []result `json:"results"`
	}{Overall: string(doctor.OK), Results: []result{}}
	for _, r := range results {
		out.Results = append(out.Results, result{Check: r.Check, Status: string(r.Status), Detail: r.Detail, Hint: r.Hint,
			DurationMS: float64(r.Duration.Microseconds()) / 1000})
		if r.Status == doctor.Warn {
			out.Overall = string(doctor.Warn)
		}
	}
	if doctor.Failed(results) {
		out.Overall = string(doctor.Fail)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Fprintf(w, "%s\n", b)
}
