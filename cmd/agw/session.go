package main

import (
	"context"
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

// guidEnv names the variable a session's Guid is read from.
const guidEnv = "AGW_GUID"

// signOutTimeout bounds the sign-out on the way out, which runs after the
// command's context may have ended.
const signOutTimeout = 5 * time.Second

// common are the flags every gateway-facing subcommand takes.
type common struct {
	conn    connflags.Conn
	guid    string
	timeout time.Duration
	getenv  func(string) string
}

func (c *common) register(fs *flag.FlagSet, timeoutHelp string, timeout time.Duration) {
	c.conn.Register(fs)
	fs.StringVar(&c.guid, "guid", "", "resume the session with this Guid instead of signing in; give @file holding it, or $"+guidEnv+": the process list shows a flag's value")
	fs.DurationVar(&c.timeout, "timeout", timeout, timeoutHelp)
	c.getenv = os.Getenv
}

// check reports what the command lacks, before any request; needAgent
// for a command that acts as an agent.
func (c *common) check(needAgent bool) error {
	var missing []string
	if c.conn.BaseURL == "" {
		missing = append(missing, "-base-url")
	}
	if needAgent && c.conn.Agent == 0 {
		missing = append(missing, "-agent")
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	if c.timeout <= 0 {
		return errors.New("-timeout must be positive")
	}
	return c.conn.Check()
}

// login is how a command gets its session: the password to sign in with,
// or the Guid (and its file, if it came from one) to resume with.
type login struct {
	password, guid, guidFile string
}

// login reads the Guid (-guid, @file, $AGW_GUID) or, without one, the
// password and checks -phone. Errors never hold either.
func (c *common) login() (login, error) {
	var l login
	g := c.guid
	if g == "" {
		g = c.getenv(guidEnv)
	}
	if name, ok := strings.CutPrefix(g, "@"); ok {
		b, err := readBounded(name)
		if err != nil {
			return l, fmt.Errorf("-guid: %w", err)
		}
		l.guidFile, g = name, strings.TrimSpace(string(b))
		if g == "" {
			return l, fmt.Errorf("-guid: %s is empty", name)
		}
	}
	if g != "" {
		l.guid = g
		return l, nil
	}
	pw, err := c.conn.Password(c.getenv)
	if err != nil {
		return l, err
	}
	var missing []string
	if c.conn.Phone == "" {
		missing = append(missing, "-phone")
	}
	if pw == "" {
		missing = append(missing, "-password-file or $"+connflags.PasswordEnv)
	}
	if len(missing) > 0 {
		return l, fmt.Errorf("missing %s (or -guid / $%s to resume a session)", strings.Join(missing, ", "), guidEnv)
	}
	l.password = pw
	return l, nil
}

// session is the agent's session and whether this command signed it in.
type session struct {
	*wrapper.Session
	login
	signedIn bool
}

// open resumes the session with l.guid, or signs the agent in.
func open(ctx context.Context, client *wrapper.Client, c *common, l login) (*session, error) {
	if l.guid != "" {
		s, err := client.Resume(c.conn.Agent, l.guid)
		if err != nil {
			return nil, err
		}
		return &session{Session: s, login: l}, nil
	}
	s, err := client.SignIn(ctx, c.conn.Agent, wrapper.SignInOptions{Phone: c.conn.Phone, Password: l.password})
	if sie, ok := errors.AsType[*wrapper.SignInError](err); ok && sie.Session != nil {
		s = sie.Session // the outcome is unknown: sign it out on the way out
	}
	if s == nil {
		return nil, err
	}
	return &session{Session: s, login: l, signedIn: true}, err
}

// close signs out a session this command signed in and that is still on,
// with ForceSignOut, which also releases any call the command started; a
// resumed session stays on, and its Guid file gets the Guid it ends with.
func (x *session) close(stderr io.Writer) {
	select {
	case <-x.Done():
		return // signed out already, or ended by the gateway
	default:
	}
	if !x.signedIn {
		if g := x.Guid(); x.guidFile != "" && g != x.guid {
			if err := os.WriteFile(x.guidFile, []byte(g+"\n"), 0o600); err != nil {
				fmt.Fprintf(stderr, "agw: the session's new Guid could not be saved in %s: %v\n", x.guidFile, err)
			}
		}
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), signOutTimeout)
	defer cancel()
	if err := x.ForceSignOut(ctx); err != nil {
		fmt.Fprintf(stderr, "agw: sign-out of agent %d failed: %s\n", x.AgentID(), x.withhold(err.Error()))
	}
}

// withhold is connflags.Withhold for this session.
func (x *session) withhold(text string) string {
	if x == nil {
		return text
	}
	return connflags.Withhold(x.Session, x.password, text)
}
