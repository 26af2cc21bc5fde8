package agwtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/agwtest"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "write ../docs/console.png from TestConsoleInBrowser")

// chromium finds Debian's chromium. CI installs it (.ci/run), so there a
// missing browser fails the test; elsewhere it skips.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; .ci/run installs it with apt-get install -y chromium")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); with CI=true this test fails instead")
	return ""
}

// api sends one request straight to the gateway and requires retcode 0.
func api(t *testing.T, g *agwtest.Gateway, method, path, guid, body string) json.RawMessage {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, "/agentgateway/resource"+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Guid", guid)
	rec := httptest.NewRecorder()
	g.ServeHTTP(rec, req)
	var env wireEnvelope
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &env))
	require.Equal(t, "0", env.Retcode, "%s %s: %s", method, path, env.Message)
	return env.Result
}

// The console in a real browser: it shows the fake's agents, calls and
// events, and its buttons drive the fake.
func TestConsoleInBrowser(t *testing.T) {
	t.Parallel()
	execPath := chromium(t)
	g, root := consoleServer(t, nil)

	// Something to look at: a talking agent, a callout ringing its
	// customer, an idle agent and a signed-out one.
	talking := signInDirect(t, g, 20001)
	inbound, err := g.Ring(20001, "13912345678")
	require.NoError(t, err)
	api(t, g, http.MethodPut, "/voicecall/20001/answer", talking, "")
	dialer := signInDirect(t, g, 20003)
	var outbound string
	require.NoError(t, json.Unmarshal(api(t, g, http.MethodPut, "/voicecall/20003/callout", dialer, `{"called":"13700001111"}`), &outbound))
	_, err = g.SignIn(20004)
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 800),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	var mu sync.Mutex
	var exceptions []string
	require.NoError(t, chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			exceptions = append(exceptions, e.ExceptionDetails.Text)
			mu.Unlock()
		}
	}))

	agent := func(id int, rest string) chromedp.CSS {
		return chromedp.CSS(fmt.Sprintf(`#agents tr[data-agent="%d"] %s`, id, rest))
	}
	state := func(id int, st string) chromedp.CSS { return agent(id, `.badge[data-state="`+st+`"]`) }
	event := func(id int, typ string) chromedp.CSS {
		return chromedp.CSS(fmt.Sprintf(`#timeline tr[data-agent="%d"][data-type="%s"]`, id, typ))
	}
	call := func(id, rest string) chromedp.CSS {
		return chromedp.CSS(fmt.Sprintf(`#calls tr[data-call="%s"] %s`, id, rest))
	}

	start := time.Now()
	require.NoError(t, chromedp.Do(bctx,
		chromedp.EmulateViewport(1200, 800),
		chromedp.Navigate(root+agwtest.ConsolePath),
		chromedp.WaitVisible(chromedp.CSS(`#link[data-link="live"]`)),
		chromedp.WaitVisible(state(20001, "talking")),
		chromedp.WaitVisible(state(20003, "dialing")),
		chromedp.WaitVisible(event(20003, "AgentEvent_Customer_Alerting")),
		chromedp.WaitVisible(state(20002, "signed-out")),
		// Sign 20002 in and ring it with the buttons.
		chromedp.Click(agent(20002, "button.signin")),
		chromedp.WaitVisible(state(20002, "idle")),
		chromedp.Click(agent(20002, "button.ring")),
		chromedp.WaitVisible(state(20002, "ringing")),
		chromedp.WaitVisible(event(20002, "AgentEvent_Ringing")),
	))
	t.Logf("page loaded, agent signed in and rung in %v", time.Since(start).Round(time.Millisecond))
	assert.Equal(t, agwtest.StateRinging, g.AgentState(20002))
	rung := g.Agents()[1].CallID
	require.NotEmpty(t, rung)
	text, err := chromedp.Run(bctx, chromedp.Text(call(rung, "")))
	require.NoError(t, err)
	assert.Contains(t, text, "13800000000", "the calls table shows the new call's caller")

	shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	require.NoError(t, err)
	size, err := png.DecodeConfig(bytes.NewReader(shot))
	require.NoError(t, err)
	assert.Equal(t, [2]int{1200, 800}, [2]int{size.Width, size.Height}, "screenshot size")
	if *updateScreenshot {
		require.NoError(t, os.MkdirAll("../docs", 0o755))
		require.NoError(t, os.WriteFile("../docs/console.png", shot, 0o644))
	}

	// The other buttons: the callout's customer answers, the rung call is
	// hung up, an agent signs out.
	require.NoError(t, chromedp.Do(bctx,
		chromedp.Click(call(outbound, "button.answer")),
		chromedp.WaitVisible(state(20003, "talking")),
		chromedp.WaitVisible(event(20003, "AgentEvent_Talking")),
		chromedp.Click(call(rung, "button.hangup")),
		chromedp.WaitVisible(state(20002, "idle")),
		chromedp.WaitVisible(event(20002, "AgentOther_PhoneRelease")),
		chromedp.Click(agent(20004, "button.signout")),
		chromedp.WaitVisible(state(20004, "signed-out")),
	))
	_, ok := g.Call(inbound)
	assert.True(t, ok, "the talking call was left alone")

	// A skill queue: 20002 joins queue 1, and the queue's button rings it.
	joiner, ok := g.Guid(20002)
	require.True(t, ok)
	api(t, g, http.MethodPost, "/onlineagent/20002/resetskill/true", joiner, "")
	require.NoError(t, chromedp.Do(bctx,
		chromedp.WaitVisible(agent(20002, `td`)),
		chromedp.Click(chromedp.CSS(`#ring-skill`)),
		chromedp.WaitVisible(state(20002, "ringing")),
	))
	skills, err := chromedp.Run(bctx, chromedp.Text(agent(20002, "td:nth-child(4)")))
	require.NoError(t, err)
	assert.Equal(t, "1 ✓", skills, "the skills column marks the joined queue")

	html, err := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("html")))
	require.NoError(t, err)
	guid, ok := g.Guid(20002)
	require.True(t, ok)
	for _, secret := range []string{guid, talking, dialer, agwtest.DemoPassword} {
		assert.NotContains(t, html, secret, "the page shows a secret")
	}
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, exceptions, "the page threw")
}
