package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/agentgateway-go/agentgateway/internal/connflags"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

type flags struct {
	connflags.Conn
	password string
	dest     int
	timeout  time.Duration
}

// parseFlags parses and checks the flags; an empty base URL means the
// embedded fake gateway.
func parseFlags(args []string, stderr io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("snatchpickup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.Register(fs)
	fs.StringVar(&f.password, "password", "", "the agent's password, for lab agents only: the process list shows it (default -password-file, $AGW_PASSWORD)")
	fs.IntVar(&f.dest, "dest", 0, "ID of the agent whose phone is ringing")
	fs.DurationVar(&f.timeout, "timeout", 30*time.Second, "how long to wait for the pickup to connect")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if f.password == "" {
		pw, err := f.Password(os.Getenv)
		if err != nil {
			return f, err
		}
		f.password = pw
	}
	var missing []string
	for _, m := range []struct {
		name  string
		empty bool
	}{{"-agent", f.Agent == 0}, {"-phone", f.Phone == ""}, {"-dest", f.dest == 0}, {"-password, -password-file or AGW_PASSWORD", f.password == ""}} {
		if m.empty {
			missing = append(missing, m.name)
		}
	}
	switch {
	case fs.NArg() > 0:
		return f, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	case f.timeout <= 0:
		return f, errors.New("-timeout must be positive")
	case f.BaseURL == "" && (f.Agent != 0 || f.dest != 0 || f.Phone != "" || f.CAFile != "" || f.Insecure):
		return f, errors.New("-agent, -dest, -phone, -ca and -insecure need -base-url")
	case f.BaseURL != "" && len(missing) > 0:
		return f, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return f, f.Check()
}

// newClient builds the client for f and checks the agent IDs against its
// range, before any request.
func newClient(f flags) (*wrapper.Client, error) {
	client, err := f.Client()
	if err != nil {
		return nil, err
	}
	if err := client.ValidateAgentID(f.dest); err != nil {
		return nil, fmt.Errorf("-dest: %w", err)
	}
	return client, nil
}
