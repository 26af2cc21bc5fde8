package wrapper

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/openapi"
)

// Run FuzzValidators for longer with:
//
//	go test -run '^$' -fuzz FuzzValidators -fuzztime 2000000x ./wrapper/

// specPattern returns the pattern the spec gives a parameter.
func specPattern(t testing.TB, path, method, param string) *regexp.Regexp {
	spec, err := openapi.Load()
	require.NoError(t, err)
	op := spec.Paths.Find(path).GetOperation(method)
	require.NotNil(t, op, path)
	p := op.Parameters.GetByInAndName("query", param)
	if p == nil {
		p = op.Parameters.GetByInAndName("path", param)
	}
	require.NotNil(t, p, param)
	return regexp.MustCompile(p.Schema.Value.Pattern)
}

// FuzzValidators: the generated checks accept exactly what the spec's
// patterns and bounds accept.
func FuzzValidators(f *testing.F) {
	for _, s := range []string{"", "0", "123*#", "12a", "*#*#", "1,2%3*", "０１２", "1\x00", "1234567890123456789012345"} {
		f.Add(s, 20001)
	}
	dial := specPattern(f, "/voicecall/{agentid}/seconddialex", "POST", "number")
	legacy := specPattern(f, "/voicecall/{agentid}/seconddial/{number}", "POST", "number")
	digits := specPattern(f, "/voicecall/{agentid}/disconnect/{number}", "POST", "number")
	c := &Client{cfg: config{minID: generated.MinAgentID, maxID: generated.MaxAgentID}}
	f.Fuzz(func(t *testing.T, s string, id int) {
		check := func(name string, err error, want bool) {
			if want {
				require.NoError(t, err, "%s(%q): the spec says valid", name, s)
				return
			}
			require.Error(t, err, "%s(%q): the spec says invalid", name, s)
			require.LessOrEqual(t, len(err.Error()), 300, "%s: unbounded error text", name)
		}
		check("seconddialex", c.checkSecondDialEx(&generated.SecondDialExParams{Number: s}), dial.MatchString(s))
		check("seconddial", c.checkSecondDial(s), legacy.MatchString(s))
		check("disconnect", c.checkDisconnect(s), digits.MatchString(s))
		check("snatchpickup", c.checkSnatchPickup(&generated.SnatchPickupParams{DestWorkNo: id}), id >= 101 && id <= 59999)
	})
}
