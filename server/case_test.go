package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCaseVariantKeysRefused: encoding/json would bind "PASSWORD" (it
// matches names case-insensitively and takes the last), so the stub would
// get 5,000 characters where the spec allows 32 and the kit checked "pw".
// The kit refuses such a body, naming the property, never a value.
func TestCaseVariantKeysRefused(t *testing.T) {
	long := strings.Repeat("x", 5000)
	for name, body := range map[string]string{
		"upper case":      `{"password":"pw","phonenum":"88001","PASSWORD":"` + long + `"}`,
		"alone":           `{"Password":"pw","phonenum":"88001"}`,
		"before the name": `{"PassWord":"` + long + `","password":"pw","phonenum":"88001"}`,
		"long s":          `{"password":"pw","phonenum":"88001","pa\u017f\u017fword":"` + long + `"}`, // ſ folds to s
		"kelvin sign":     `{"password":"pw","phonenum":"88001","chec\u212aInWebm":"yes"}`,            // K folds to k
	} {
		t.Run(name, func(t *testing.T) {
			ts, got := newStub(t)
			r := call(t, ts, http.MethodPut, signInPath, body)
			assert.Equal(t, http.StatusOK, r.status)
			assert.Equal(t, "000-002", r.env.Retcode)
			assert.Contains(t, r.env.Message, "differs from it only in case")
			assert.Regexp(t, `^invalid request body: (password|checkInWebm): `, r.env.Message)
			assert.NotContains(t, r.env.Message, "xxx")
			assert.NotContains(t, r.env.Message, "pw")
			select {
			case b := <-got:
				t.Fatalf("the stub got %q", b.Password)
			default:
			}
		})
	}
}

// TestBoundIsValidated: what the stub gets is what was checked, also where
// the keys repeat (the last one counts, for the check and the binding).
func TestBoundIsValidated(t *testing.T) {
	ts, got := newStub(t)
	long := strings.Repeat("x", 40)
	r := call(t, ts, http.MethodPut, signInPath, `{"password":"`+long+`","password":"pw","phonenum":"88001","unknown":"kept"}`)
	require.Equal(t, "0", r.env.Retcode, r.env.Message)
	body := <-got
	assert.Equal(t, "pw", body.Password)

	r = call(t, ts, http.MethodPut, signInPath, `{"password":"pw","password":"`+long+`","phonenum":"88001"}`)
	assert.Equal(t, "000-002", r.env.Retcode)
	assert.Equal(t, "invalid request body: password: must be at most 32 characters long", r.env.Message)

	// Defaults the spec declares are filled in, and checked, as before.
	r = call(t, ts, http.MethodPut, signInPath, `{"password":"pw","phonenum":"88001","autoanswer":null}`)
	require.Equal(t, "0", r.env.Retcode, r.env.Message)
	body = <-got
	require.NotNil(t, body.Autoanswer)
	assert.True(t, *body.Autoanswer)
	require.NotNil(t, body.Agenttype)
	assert.EqualValues(t, 4, *body.Agenttype)
	assert.Nil(t, body.Status, "no default: left out stays visible")

	// An integral number is an integer, bound as one.
	r = call(t, ts, http.MethodPut, signInPath, `{"password":"pw","phonenum":"88001","agenttype":11.0,"status":3e0}`)
	require.Equal(t, "0", r.env.Retcode, r.env.Message)
	body = <-got
	assert.EqualValues(t, 11, *body.Agenttype)
	assert.EqualValues(t, 3, *body.Status)

	// Lengths count UTF-16 code units, as the vendor's Java does: 16
	// emoji are 32 units, 17 are 34.
	r = call(t, ts, http.MethodPut, signInPath, `{"password":"`+strings.Repeat("😀", 16)+`","phonenum":"88001"}`)
	require.Equal(t, "0", r.env.Retcode, r.env.Message)
	<-got
	r = call(t, ts, http.MethodPut, signInPath, `{"password":"`+strings.Repeat("😀", 17)+`","phonenum":"88001"}`)
	assert.Equal(t, "000-002", r.env.Retcode)
}
