package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/agentgateway-go/agentgateway/generated"
)

// TestBindRefusedQuotesNoValue: what the generated code fails to bind
// (after the kit's checks, it should never) is answered naming the
// parameter, never with the parser's error, which quotes the value.
func TestBindRefusedQuotesNoValue(t *testing.T) {
	var got []Refusal
	k := &kit{spec: specFor(false), onRefused: func(_ context.Context, r Refusal) { got = append(got, r) }}
	parse := errors.New(`strconv.ParseInt: parsing "s3cret": invalid syntax`)
	for _, err := range []error{
		&generated.InvalidParamFormatError{ParamName: "destWorkNo", Err: parse},
		&generated.TooManyValuesForParamError{ParamName: "destWorkNo", Count: 2},
		fmt.Errorf("can't decode JSON body: %w", parse),
	} {
		req := httptest.NewRequest(http.MethodPut, generated.BasePath+"/voicecall/20002/snatchpickup?destWorkNo=s3cret", nil)
		req.Pattern = "PUT " + generated.BasePath + "/voicecall/{agentid}/snatchpickup"
		rec := httptest.NewRecorder()
		k.bindRefused(rec, req, err)
		var env generated.Envelope
		assert.NoError(t, json.Unmarshal(rec.Body.Bytes(), &env))
		assert.Equal(t, generated.RetCodeInvalidParameter, env.Retcode)
		assert.NotContains(t, rec.Body.String(), "s3cret")
	}
	assert.Equal(t, []Refusal{
		{Operation: "SnatchPickup", In: "query", Field: "destWorkNo", Rule: RuleBind, Reason: "cannot be bound to the operation's types", Status: 200, RetCode: CodeBadRequest},
		{Operation: "SnatchPickup", In: "query", Field: "destWorkNo", Rule: RuleBind, Reason: "cannot be bound to the operation's types", Status: 200, RetCode: CodeBadRequest},
		{Operation: "SnatchPickup", In: "body", Rule: RuleBind, Reason: "cannot be bound to the operation's types", Status: 200, RetCode: CodeBadRequest},
	}, got)
}
