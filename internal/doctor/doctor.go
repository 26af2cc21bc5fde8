// Package doctor checks an agent gateway. THIS IS A STAND-IN with the
// package's API, so that cmd/agw builds until the real engine (written in
// parallel) merges; it only checks that the gateway's port answers.
package doctor

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"time"
)

// Status is a check's outcome.
type Status string

// The outcomes. Only Fail makes Failed true.
const (
	OK   Status = "ok"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip"
)

// Result is one check's outcome. Detail and Hint never hold a secret.
type Result struct {
	Check    string
	Status   Status
	Detail   string
	Hint     string
	Duration time.Duration
}

// Config says which gateway to check and how.
type Config struct {
	BaseURL         string
	RootCAs         *x509.CertPool
	Insecure        bool
	AgentID         int
	Phone, Password string
	WideIDs         bool
	PushURL         string
	Timeout         time.Duration
	Now             func() time.Time
	Progress        func(Result) // called as each check finishes
}

// Failed reports whether any result is a Fail.
func Failed(rs []Result) bool {
	for _, r := range rs {
		if r.Status == Fail {
			return true
		}
	}
	return false
}

// Run checks that the gateway's TCP port accepts a connection.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Host == "" {
		return nil, errors.New("doctor: BaseURL must be an absolute URL")
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	start := time.Now()
	res := Result{Check: "tcp", Status: OK, Detail: "connected to " + u.Host}
	conn, err := (&net.Dialer{Timeout: timeout}).DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		res.Status, res.Detail, res.Hint = Fail, "no connection to "+u.Host, "check the address and the firewall"
	} else {
		_ = conn.Close()
	}
	res.Duration = time.Since(start)
	if cfg.Progress != nil {
		cfg.Progress(res)
	}
	return []Result{res}, nil
}
