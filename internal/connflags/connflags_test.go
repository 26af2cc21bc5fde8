package connflags_test

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
	"github.com/agentgateway-go/agentgateway/internal/connflags"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func env(vals map[string]string) func(string) string { return func(k string) string { return vals[k] } }

func TestPassword(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(content), 0o600))
		return p
	}
	var c connflags.Conn
	pw, err := c.Password(env(map[string]string{"AGW_PASSWORD": "from-env"}))
	require.NoError(t, err)
	assert.Equal(t, "from-env", pw)

	c.PasswordFile = write("pw", "s3cret\r\nignored\n")
	pw, err = c.Password(env(map[string]string{"AGW_PASSWORD": "from-env"}))
	require.NoError(t, err)
	assert.Equal(t, "s3cret", pw, "the file's first line wins over the environment")

	for name, content := range map[string]string{"empty": "\nx\n", "long": strings.Repeat("p", 5000)} {
		c.PasswordFile = write(name, content)
		_, err := c.Password(env(nil))
		require.Error(t, err, name)
		assert.NotContains(t, err.Error(), "ppp", "no content in the error")
	}
	c.PasswordFile = filepath.Join(dir, "missing")
	_, err = c.Password(env(nil))
	assert.Error(t, err)
}

func TestRegisterAndClient(t *testing.T) {
	var c connflags.Conn
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.Register(fs)
	srv := agwtest.New()
	defer srv.Close()
	require.NoError(t, fs.Parse([]string{"-base-url", srv.URL(), "-agent", "20001", "-phone", "88001", "-wide-ids"}))
	client, err := c.Client()
	require.NoError(t, err)
	assert.NoError(t, client.ValidateAgentID(999999), "-wide-ids")

	c.Insecure, c.CAFile = true, "ca.pem"
	_, err = c.Client()
	assert.ErrorContains(t, err, "exclude each other")
	c.Insecure = false
	_, err = c.Client()
	assert.Error(t, err, "a missing -ca file")

	c = connflags.Conn{BaseURL: srv.URL(), Agent: 5}
	_, err = c.Client()
	assert.ErrorIs(t, err, wrapper.ErrInvalidArgument)
}

func TestWithhold(t *testing.T) {
	assert.Equal(t, "fine", connflags.Withhold(nil, "pa\"ss", "fine"))
	assert.Equal(t, wrapper.Withheld, connflags.Withhold(nil, "pa\"ss", `echo pa"ss`))
	assert.Equal(t, wrapper.Withheld, connflags.Withhold(nil, "pa\"ss", `{"p":"pa\"ss"}`), "JSON-escaped")
	assert.Equal(t, "text", connflags.Withhold(nil, "", "text"))
}
