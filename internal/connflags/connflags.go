// Package connflags holds the command-line flags that say which gateway
// to reach and as which agent, shared by cmd/agw and the examples. The
// password is never a flag of its own here: a flag's value shows in the
// process list, so it comes from -password-file or $AGW_PASSWORD.
package connflags

import (
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// PasswordEnv names the variable the password is read from.
const PasswordEnv = "AGW_PASSWORD"

// maxPasswordFile bounds what -password-file reads; passwords are at most
// 32 characters, so anything longer is the wrong file.
const maxPasswordFile = 4 << 10

// Conn is the gateway and the agent a command works with.
type Conn struct {
	BaseURL, Phone, CAFile, PasswordFile string
	Agent                                int
	Insecure, WideIDs                    bool
}

// Register adds -base-url, -agent, -phone, -password-file, -ca, -insecure
// and -wide-ids to fs.
func (c *Conn) Register(fs *flag.FlagSet) {
	fs.StringVar(&c.BaseURL, "base-url", "", "gateway `URL`, e.g. https://gw:8043")
	fs.IntVar(&c.Agent, "agent", 0, "the agent's `ID`")
	fs.StringVar(&c.Phone, "phone", "", "the agent's softphone `number`")
	fs.StringVar(&c.PasswordFile, "password-file", "", "`file` holding the agent's password (default $"+PasswordEnv+")")
	fs.StringVar(&c.CAFile, "ca", "", "PEM `file` of the CA that signed the gateway's certificate")
	fs.BoolVar(&c.Insecure, "insecure", false, "skip TLS certificate verification (lab gateways only)")
	fs.BoolVar(&c.WideIDs, "wide-ids", false, "accept agent IDs up to 999999 (2025 gateways)")
}

// Check reports flags that contradict each other.
func (c *Conn) Check() error {
	if c.Insecure && c.CAFile != "" {
		return errors.New("-insecure and -ca exclude each other")
	}
	return nil
}

// Password reads -password-file (its first line) or, without it,
// getenv(PasswordEnv); "" when neither is set. Errors never hold the
// file's content.
func (c *Conn) Password(getenv func(string) string) (string, error) {
	if c.PasswordFile == "" {
		return getenv(PasswordEnv), nil
	}
	f, err := os.Open(c.PasswordFile)
	if err != nil {
		return "", fmt.Errorf("-password-file: %w", err)
	}
	defer f.Close()
	buf := make([]byte, maxPasswordFile+1)
	n, _ := f.Read(buf)
	if n > maxPasswordFile {
		return "", fmt.Errorf("-password-file %s: longer than %d bytes", c.PasswordFile, maxPasswordFile)
	}
	pw, _, _ := strings.Cut(string(buf[:n]), "\n")
	pw = strings.TrimSuffix(pw, "\r")
	if pw == "" {
		return "", fmt.Errorf("-password-file %s: the first line is empty", c.PasswordFile)
	}
	return pw, nil
}

// RootCAs reads -ca; nil without it.
func (c *Conn) RootCAs() (*x509.CertPool, error) {
	if c.CAFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("-ca %s holds no PEM certificate", c.CAFile)
	}
	return pool, nil
}

// Client builds the client the flags describe, with extra options after
// theirs, and checks -agent against its agent-ID range when set.
func (c *Conn) Client(extra ...wrapper.Option) (*wrapper.Client, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	var opts []wrapper.Option
	if c.WideIDs {
		opts = append(opts, wrapper.WithWideAgentIDs())
	}
	if c.Insecure {
		opts = append(opts, wrapper.WithInsecureSkipVerify())
	}
	pool, err := c.RootCAs()
	if err != nil {
		return nil, err
	}
	if pool != nil {
		opts = append(opts, wrapper.WithRootCAs(pool))
	}
	client, err := wrapper.NewClient(c.BaseURL, append(opts, extra...)...)
	if err != nil {
		return nil, err
	}
	if c.Agent != 0 {
		if err := client.ValidateAgentID(c.Agent); err != nil {
			return nil, fmt.Errorf("-agent: %w", err)
		}
	}
	return client, nil
}

// Withhold returns text, or wrapper.Withheld when it holds the session's
// Guid or cookies (Session.Withhold; s may be nil) or the password, raw or
// JSON-escaped: for printing what the gateway sent.
func Withhold(s *wrapper.Session, password, text string) string {
	if s != nil && s.Withhold(text) == wrapper.Withheld {
		return wrapper.Withheld
	}
	if password == "" {
		return text
	}
	q, _ := json.Marshal(password)
	if strings.Contains(text, password) || strings.Contains(text, string(q[1:len(q)-1])) {
		return wrapper.Withheld
	}
	return text
}
