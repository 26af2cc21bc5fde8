package main

import (
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

type flags struct {
	baseURL, password, phone, caFile string
	agent, dest                      int
	insecure, wideIDs                bool
	timeout                          time.Duration
}

// parseFlags parses and checks the flags; an empty base URL means the
// embedded fake gateway.
func parseFlags(args []string, stderr io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("snatchpickup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.baseURL, "base-url", "", "gateway URL, e.g. https://gw:8043 (empty: run against the embedded fake gateway)")
	fs.IntVar(&f.agent, "agent", 0, "ID of the agent who picks up")
	fs.StringVar(&f.password, "password", "", "the agent's password (default $AGW_PASSWORD)")
	fs.StringVar(&f.phone, "phone", "", "the agent's softphone number")
	fs.IntVar(&f.dest, "dest", 0, "ID of the agent whose phone is ringing")
	fs.BoolVar(&f.insecure, "insecure", false, "skip TLS certificate verification (lab gateways only)")
	fs.StringVar(&f.caFile, "ca", "", "PEM file of the CA that signed the gateway's certificate")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "how long to wait for the pickup to connect")
	fs.BoolVar(&f.wideIDs, "wide-ids", false, "accept agent IDs up to 999999 (2025 gateways)")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if f.password == "" {
		f.password = os.Getenv("AGW_PASSWORD")
	}
	var missing []string
	for _, m := range []struct {
		name  string
		empty bool
	}{{"-agent", f.agent == 0}, {"-phone", f.phone == ""}, {"-dest", f.dest == 0}, {"-password or AGW_PASSWORD", f.password == ""}} {
		if m.empty {
			missing = append(missing, m.name)
		}
	}
	switch {
	case fs.NArg() > 0:
		return f, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	case f.timeout <= 0:
		return f, errors.New("-timeout must be positive")
	case f.baseURL == "" && (f.agent != 0 || f.dest != 0 || f.phone != "" || f.caFile != "" || f.insecure):
		return f, errors.New("-agent, -dest, -phone, -ca and -insecure need -base-url")
	case f.baseURL != "" && len(missing) > 0:
		return f, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	case f.insecure && f.caFile != "":
		return f, errors.New("-insecure and -ca exclude each other")
	}
	return f, nil
}

// newClient builds the client for f and checks the agent IDs against its
// range, before any request.
func newClient(f flags) (*wrapper.Client, error) {
	var opts []wrapper.Option
	if f.wideIDs {
		opts = append(opts, wrapper.WithWideAgentIDs())
	}
	if f.insecure {
		opts = append(opts, wrapper.WithInsecureSkipVerify())
	}
	if f.caFile != "" {
		pem, err := os.ReadFile(f.caFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("-ca %s holds no PEM certificate", f.caFile)
		}
		opts = append(opts, wrapper.WithRootCAs(pool))
	}
	client, err := wrapper.NewClient(f.baseURL, opts...)
	if err != nil {
		return nil, err
	}
	if err := client.ValidateAgentID(f.agent); err != nil {
		return nil, fmt.Errorf("-agent: %w", err)
	}
	if err := client.ValidateAgentID(f.dest); err != nil {
		return nil, fmt.Errorf("-dest: %w", err)
	}
	return client, nil
}
