package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

// runManual runs an operation whose wrapper method is hand-written. Only
// SignIn (SignIn and ForceSignIn) is: it signs the agent in and leaves the
// session on, writing its Guid to a new file, never to the output.
func runManual(ctx context.Context, op operation, c *common, guidFile string, stdout, stderr io.Writer) int {
	fail := func(code int, err error) int {
		fmt.Fprintf(stderr, "agw call %s: %v\n", op.Name, err)
		return code
	}
	if op.Manual != "SignIn" {
		return fail(exitUsage, errors.New("not available from the command line"))
	}
	if guidFile == "" {
		return fail(exitUsage, errors.New("missing -guid-file: the Guid is a secret and is never printed"))
	}
	c.guid = "" // a sign-in does not resume
	env := c.getenv
	c.getenv = func(k string) string {
		if k == guidEnv {
			return ""
		}
		return env(k)
	}
	l, err := c.login()
	if err != nil {
		return fail(exitUsage, err)
	}
	client, err := c.conn.Client()
	if err != nil {
		return fail(exitUsage, err)
	}
	f, err := os.OpenFile(guidFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fail(exitUsage, fmt.Errorf("-guid-file: %w", err))
	}
	s, err := client.SignIn(ctx, c.conn.Agent, wrapper.SignInOptions{Phone: c.conn.Phone, Password: l.password, Force: op.Name == "ForceSignIn"})
	if sie, ok := errors.AsType[*wrapper.SignInError](err); ok && sie.Session != nil {
		s = sie.Session
	}
	if s != nil {
		_, err = fmt.Fprintln(f, s.Guid())
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if s == nil {
			_ = os.Remove(guidFile) // nothing to resume
		}
		x := &session{Session: s, login: l, signedIn: s != nil}
		fmt.Fprintf(stderr, "agw call %s: %s\n", op.Name, x.withhold(err.Error()))
		if s != nil {
			x.close(stderr) // no usable session: do not leave it on
			_ = os.Remove(guidFile)
		}
		return exitFailed
	}
	fmt.Fprintln(stdout, "{}")
	fmt.Fprintf(stderr, "agw: agent %d is signed in; its Guid is in %s (resume with -guid @%s)\n", c.conn.Agent, guidFile, guidFile)
	return exitOK
}
