package server_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/agentgateway-go/agentgateway/generated"
	"github.com/agentgateway-go/agentgateway/server"
)

// FuzzSignInBody: whatever the body, a sign-in that reaches the stub is one
// the spec allows (what was validated is what was bound), and any other is
// refused with the vendor envelope.
func FuzzSignInBody(f *testing.F) {
	for _, seed := range []string{
		demoSignIn,
		`{"password":"pw","phonenum":"88001","PASSWORD":"` + strings.Repeat("x", 40) + `"}`,
		`{"password":"` + strings.Repeat("x", 40) + `","password":"pw","phonenum":"1"}`,
		`{"password":"pw","phonenum":"1","agenttype":11.0,"status":"3","serviceToken":"a1","callBackUri":"x"}`,
		`{"password":"pw","phonenum":"1","Phonenum":"x"}`,
		`[1]`, `{"password":"pw"`, ``,
	} {
		f.Add(seed)
	}
	got := make(chan *generated.SignInJSONRequestBody, 1)
	h := server.NewHandler(stub{got: got})
	digits := regexp.MustCompile(`^[0-9]{1,24}$`)
	token := regexp.MustCompile(`^[A-Za-z0-9]*$`)
	units := func(s string) int { return len(utf16.Encode([]rune(s))) }
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPut, signInPath, strings.NewReader(body))
		req.Header.Set("Content-Type", server.ContentType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		select {
		case b := <-got:
			if n := units(b.Password); n < 1 || n > 32 {
				t.Errorf("bound a password of %d units from %q", n, body)
			}
			if !digits.MatchString(b.Phonenum) {
				t.Errorf("bound phonenum %q from %q", b.Phonenum, body)
			}
			if b.Agenttype == nil || !slices.Contains([]int{4, 11}, int(*b.Agenttype)) {
				t.Errorf("bound agenttype %v from %q", b.Agenttype, body)
			}
			if b.Status != nil && !slices.Contains([]int{3, 4, 5}, int(*b.Status)) {
				t.Errorf("bound status %v from %q", *b.Status, body)
			}
			if b.ServiceToken != nil && (units(*b.ServiceToken) > 50 || *b.ServiceToken == "" || !token.MatchString(*b.ServiceToken)) {
				t.Errorf("bound serviceToken %q from %q", *b.ServiceToken, body)
			}
			if b.CallBackUri != nil && units(*b.CallBackUri) > 1024 {
				t.Errorf("bound a callBackUri of %d units from %q", units(*b.CallBackUri), body)
			}
		default:
			var env generated.Envelope
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Retcode != generated.RetCodeInvalidParameter {
				t.Errorf("refused %q with HTTP %d %s", body, rec.Code, rec.Body)
			}
		}
	})
}
