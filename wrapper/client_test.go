package wrapper_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://gw.example:8043":                       "https://gw.example:8043/agentgateway/resource",
		"https://gw.example:8043/":                      "https://gw.example:8043/agentgateway/resource",
		"https://gw.example:8043/agentgateway/resource": "https://gw.example:8043/agentgateway/resource",
		"http://127.0.0.1:8043":                         "http://127.0.0.1:8043/agentgateway/resource",
		"https://proxy.example/cti/agw/":                "https://proxy.example/cti/agw",
	} {
		c, err := wrapper.NewClient(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, c.BaseURL(), in)
	}
	const pass = "Pq9xZt4Lm2" // in no error text by chance
	for _, bad := range []string{"", "gw.example:8043", "ftp://gw", "https://", "https://u:" + pass + "@gw", "https://gw/?x=1", "::"} {
		_, err := wrapper.NewClient(bad)
		require.ErrorIs(t, err, wrapper.ErrInvalidArgument, "%q", bad)
		assert.NotContains(t, err.Error(), pass)
	}
}

func TestOptionsThatFail(t *testing.T) {
	for name, opt := range map[string]wrapper.Option{
		"nil http client": wrapper.WithHTTPClient(nil),
		"nil tls config":  wrapper.WithTLSConfig(nil),
		"nil roots":       wrapper.WithRootCAs(nil),
		"zero timeout":    wrapper.WithTimeout(0),
		"negative poll":   wrapper.WithPollTimeout(-1),
		"nil logger":      wrapper.WithLogger(nil),
		"bad range":       wrapper.WithAgentIDRange(0, 10),
		"tiny reply cap":  wrapper.WithMaxReplyBytes(10),
		"nil transport":   wrapper.WithTransport(nil),
		"nil option":      nil,
	} {
		_, err := wrapper.NewClient("https://gw:8043", opt)
		assert.Error(t, err, name)
	}
	_, err := wrapper.NewClient("https://gw:8043",
		wrapper.WithHTTPClient(&http.Client{Transport: roundTripFunc(nil)}), wrapper.WithInsecureSkipVerify())
	require.Error(t, err, "TLS options need an *http.Transport")
	_, err = wrapper.NewClient("https://gw:8043", wrapper.WithHTTPClient(&http.Client{}), wrapper.WithTransport(http.DefaultTransport))
	require.Error(t, err, "two ways to set the transport")
}

func TestOwnTransport(t *testing.T) {
	g := newGateway(t)
	g.signInRoute("20001")
	var used bool
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return http.DefaultTransport.RoundTrip(r)
	})
	c, err := wrapper.NewClient(g.srv.URL, wrapper.WithTransport(rt))
	require.NoError(t, err)
	_, err = c.SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.NoError(t, err)
	require.True(t, used)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Set-GUID", "JSESSIONID="+testGuid)
		w.Header().Set("Content-Type", jsonUTF8)
		_, _ = io.WriteString(w, okReply)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is the point
	srv.StartTLS()
	defer srv.Close()
	signIn := func(opts ...wrapper.Option) error {
		c, err := wrapper.NewClient(srv.URL, opts...)
		require.NoError(t, err)
		_, err = c.SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
		return err
	}

	err := signIn()
	var unknownCA x509.UnknownAuthorityError
	require.True(t, errors.As(err, &unknownCA), "default refuses an unknown CA: %v", err)

	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	require.NoError(t, signIn(wrapper.WithRootCAs(pool)), "the CA option accepts it")
	require.NoError(t, signIn(wrapper.WithTLSConfig(&tls.Config{RootCAs: pool})))
	require.NoError(t, signIn(wrapper.WithHTTPClient(&http.Client{}), wrapper.WithRootCAs(pool)))
	require.NoError(t, signIn(wrapper.WithInsecureSkipVerify()), "explicit lab-only mode")
}

func TestInsecureModeWarns(t *testing.T) {
	var logs bytes.Buffer
	_, err := wrapper.NewClient("https://gw:8043", wrapper.WithInsecureSkipVerify(),
		wrapper.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	require.Contains(t, logs.String(), "level=WARN")
	require.Contains(t, logs.String(), "verification is OFF")

	logs.Reset()
	_, err = wrapper.NewClient("https://gw:8043", wrapper.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	require.Empty(t, logs.String())
}

// A caller's own client is used as given, and still never follows a
// redirect of a call-control request.
func TestOwnHTTPClient(t *testing.T) {
	g := newGateway(t)
	var used bool
	hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		used = true
		return http.DefaultTransport.RoundTrip(r)
	})}
	g.reply("PUT /onlineagent/20001", okReply, "Set-GUID", "JSESSIONID="+testGuid)
	g.handle("PUT /voicecall/20001/snatchpickup", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusPermanentRedirect)
	})
	c, err := wrapper.NewClient(g.srv.URL, wrapper.WithHTTPClient(hc))
	require.NoError(t, err)
	s, err := c.SignIn(testContext(t), agentA, wrapper.SignInOptions{Phone: testPhone, Password: testPass})
	require.NoError(t, err)
	require.True(t, used)
	err = s.SnatchPickup(testContext(t), &generated.SnatchPickupParams{DestWorkNo: agentB})
	var re *wrapper.ReplyError
	require.ErrorAs(t, err, &re)
	require.Equal(t, http.StatusPermanentRedirect, re.HTTPStatus)
	require.Equal(t, 2, g.count(), "the redirect was not followed")
}
