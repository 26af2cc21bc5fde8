package redact_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/internal/redact"
)

// secret has a character every escaping changes: quote, <, >, &, space, /.
const secret = `Tok"en<9f>&x y/z`

func TestOfForms(t *testing.T) {
	x := redact.Of("", secret, "")
	assert.Equal(t, redact.Forms{
		secret,
		`Tok\"en\u003c9f\u003e\u0026x y/z`, // encoding/json
		`Tok\"en<9f>&x y/z`,                // JSON without the HTML escapes
		"Tok%22en%3C9f%3E%26x+y%2Fz",       // query
		"Tok%22en%3C9f%3E&x%20y%2Fz",       // path
	}, x, "empty values add no form")
	assert.Empty(t, redact.Of("", ""))
}

func TestIn(t *testing.T) {
	x := redact.Of(secret)
	for _, f := range x {
		assert.True(t, x.In("before "+f+" after"), "form %q", f)
	}
	assert.False(t, x.In("Tok en 9f x y"), "parts of the secret are not the secret")
	assert.False(t, x.In(""))
	assert.False(t, redact.Forms(nil).In(secret), "no secrets, nothing to find")
}

func TestField(t *testing.T) {
	x := redact.Of(secret)
	assert.Equal(t, redact.Withheld, x.Field("message: "+secret))
	assert.Equal(t, redact.Withheld, x.Field(`{"m":"Tok\"en\u003c9f\u003e\u0026x y/z"}`))
	assert.Equal(t, "harmless", x.Field("harmless"))
}

func TestBody(t *testing.T) {
	x := redact.Of(secret)
	assert.Nil(t, x.Body(nil))
	assert.Nil(t, x.Body([]byte{}))

	in := []byte("short body")
	out := x.Body(in)
	assert.Equal(t, "short body", string(out))
	in[0] = 'X'
	assert.Equal(t, "short body", string(out), "a copy, not the caller's buffer")

	long := []byte(strings.Repeat("a", 2*redact.MaxBody))
	assert.Len(t, x.Body(long), redact.MaxBody)

	// A secret past the cut still withholds the whole body.
	late := append([]byte(strings.Repeat("a", redact.MaxBody)), secret...)
	assert.Equal(t, redact.Withheld, string(x.Body(late)))
	// So does one the cut would split.
	split := append([]byte(strings.Repeat("a", redact.MaxBody-3)), secret...)
	assert.Equal(t, redact.Withheld, string(x.Body(split)))
}

// timeoutErr is a net.Error whose text shows the secret, as net/http's can.
type timeoutErr struct{ msg string }

func (e timeoutErr) Error() string   { return e.msg }
func (e timeoutErr) Timeout() bool   { return true }
func (e timeoutErr) Temporary() bool { return false }

func TestErr(t *testing.T) {
	x := redact.Of(secret)
	assert.NoError(t, x.Err(nil, "transport error"))

	plain := errors.New("connection refused")
	assert.Same(t, plain, x.Err(plain, "transport error"), "an error without a secret is kept as is")

	leaky := fmt.Errorf("malformed header %q: %w", secret, context.DeadlineExceeded)
	got := x.Err(leaky, "transport error")
	require.Error(t, got)
	assert.Equal(t, "transport error "+redact.Withheld, got.Error())
	assert.False(t, x.In(fmt.Sprintf("%+v", got)))
	assert.ErrorIs(t, got, context.DeadlineExceeded, "still tells the caller's deadline")
	assert.NotErrorIs(t, got, leaky, "the original, secret and all, is not kept")
	var ne net.Error
	require.ErrorAs(t, got, &ne)
	assert.True(t, ne.Timeout(), "context.DeadlineExceeded is itself a net.Error timeout")

	canceled := x.Err(fmt.Errorf("%s: %w", secret, context.Canceled), "e")
	assert.ErrorIs(t, canceled, context.Canceled)
	assert.NotErrorIs(t, canceled, context.DeadlineExceeded)
	require.ErrorAs(t, canceled, &ne)
	assert.False(t, ne.Timeout(), "a cancellation is no timeout")

	wrapped := fmt.Errorf("read: %w", timeoutErr{msg: "i/o timeout near " + secret})
	got = x.Err(wrapped, "reading body")
	require.ErrorAs(t, got, &ne)
	assert.True(t, ne.Timeout(), "a withheld timeout still says it timed out")
	assert.NotErrorIs(t, got, context.DeadlineExceeded)
	assert.Equal(t, "reading body "+redact.Withheld, got.Error())
}

func TestClip(t *testing.T) {
	assert.Equal(t, "abc", redact.Clip("abc", 3), "not over the bound: unchanged")
	assert.Equal(t, "ab...", redact.Clip("abcd", 2))
	assert.Equal(t, "...", redact.Clip("abcd", 0))

	// "é" is two bytes at 1-2, "€" three at 3-5: a cut inside either backs
	// up to the rune's start.
	s := "hé€z"
	for n, want := range map[int]string{1: "h...", 2: "h...", 3: "hé...", 4: "hé...", 5: "hé...", 6: "hé€..."} {
		got := redact.Clip(s, n)
		assert.Equal(t, want, got, "n=%d", n)
		assert.True(t, utf8.ValidString(got), "n=%d", n)
	}
}

// A peer's encoder may escape what Go's does not ("/" as "\/", any rune as
// \uXXXX, a surrogate pair for one beyond the BMP) and percent-escape in
// lower case: the secret is still found.
func TestInOtherEscapes(t *testing.T) {
	x := redact.Of("pa/ss=w\u00f6rd😀")
	for _, text := range []string{
		`{"m":"pa\/ss\u003dw\u00f6rd\ud83d\ude00"}`,
		`{"m":"pa\u002Fss=w\u00F6rd\uD83D\uDE00"}`,
		"<a href='?p=pa%2fss%3dw%c3%b6rd%f0%9f%98%80'>",
	} {
		assert.True(t, x.In(text), text)
	}
	for _, text := range []string{`pa\/ss`, `\u00`, "%zz%", `trailing \`, `\ud83d alone`} {
		assert.False(t, x.In(text), "%q holds no secret", text)
	}
}

// net/http quotes a malformed header line with %q: a JSON-escaped echo in
// it has its backslashes doubled, and may hold percent-escapes.
func TestInLayeredEscapes(t *testing.T) {
	x := redact.Of("pushT0ken")
	json := `{"t":"\u0070ush\u0054\u0030ken"}`
	for _, text := range []string{
		fmt.Sprintf("malformed MIME header line: %q", "X-Echo: "+json+"\x01"),
		fmt.Sprintf("%q", fmt.Sprintf("%q", json)),              // quoted twice
		fmt.Sprintf("%q", `{"t":"\u0025\u0037\u0030ushT0ken"}`), // quoted JSON of a percent-escape
		fmt.Sprintf("%q", "t=%2570ushT0ken"),                    // a percent-escaped percent
	} {
		assert.True(t, x.In(text), text)
	}
	assert.False(t, x.In(fmt.Sprintf("%q", `{"t":"\u0070ush_T0ken"}`)))
}
