package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demoSignIn is the sign-in body of the vendor's Java demo: numbers and
// booleans as strings, and fields the spec does not name.
const demoSignIn = `{"password":"demo-Passw0rd","phonenum":"88001","autoanswer":"true","autoenteridle":"false",` +
	`"agenttype":"4","status":"4","phonelinkage":false,"checkInWebm":"true","releasephone":false}`

func TestCoercesWhatJacksonAccepts(t *testing.T) {
	ts, got := newStub(t)
	r := call(t, ts, http.MethodPut, signInPath, demoSignIn)
	require.Equal(t, "0", r.env.Retcode, r.env.Message)
	body := <-got
	require.NotNil(t, body.Agenttype)
	assert.EqualValues(t, 4, *body.Agenttype)
	require.NotNil(t, body.Status)
	assert.EqualValues(t, 4, *body.Status)
	require.NotNil(t, body.Autoanswer)
	assert.True(t, *body.Autoanswer)
	require.NotNil(t, body.Autoenteridle)
	assert.False(t, *body.Autoenteridle)
	assert.Equal(t, "88001", body.Phonenum, "a string field stays a string")
}

func TestLeavesWhatDoesNotCoerce(t *testing.T) {
	ts, _ := newStub(t)
	for field, value := range map[string]string{
		"agenttype":  `"x4"`,
		"status":     `"4.0"`,
		"autoanswer": `"yes"`,
	} {
		t.Run(field, func(t *testing.T) {
			const phone = "880173052946" // not in any message by chance
			body := `{"password":"p","phonenum":"` + phone + `","` + field + `":` + value + `}`
			r := call(t, ts, http.MethodPut, signInPath, body)
			assert.Equal(t, 200, r.status)
			assert.Equal(t, "000-002", r.env.Retcode)
			assert.Contains(t, r.env.Message, field)
			assert.NotContains(t, r.env.Message, phone)
		})
	}
}

func TestCoercionKeepsTheSpec(t *testing.T) {
	ts, _ := newStub(t)
	// "5" coerces to 5, which the enum [4, 11] still refuses.
	r := call(t, ts, http.MethodPut, signInPath, `{"password":"p","phonenum":"1","agenttype":"5"}`)
	assert.Equal(t, "000-002", r.env.Retcode)
	assert.Contains(t, r.env.Message, "agenttype")
	// A string field does not become a number.
	r = call(t, ts, http.MethodPut, signInPath, `{"password":"p","phonenum":1}`)
	assert.Equal(t, "000-002", r.env.Retcode)
	assert.Contains(t, r.env.Message, "phonenum")
}
