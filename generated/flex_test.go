package generated_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/generated"
)

func TestFlexStringAcceptsEveryBuildsForm(t *testing.T) {
	for in, want := range map[string]generated.FlexString{
		`"1455885056-1095"`: "1455885056-1095",
		`12`:                "12",
		`-3`:                "-3",
		`"a\"b"`:            `a"b`,
		`null`:              "kept",
	} {
		v := generated.FlexString("kept")
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v, in)
	}
	var v generated.FlexString
	assert.Error(t, json.Unmarshal([]byte(`{}`), &v))
	assert.Error(t, json.Unmarshal([]byte(`true`), &v))
}

func TestFlexIntAcceptsEveryBuildsForm(t *testing.T) {
	for in, want := range map[string]generated.FlexInt{`3`: 3, `"3"`: 3, `""`: 7, `null`: 7, `-1`: -1} {
		v := generated.FlexInt(7)
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v, in)
	}
	var v generated.FlexInt
	assert.Error(t, json.Unmarshal([]byte(`"x"`), &v))
	assert.Error(t, json.Unmarshal([]byte(`1.5`), &v))
}

func TestFlexMarshalsInTheDocumentedType(t *testing.T) {
	b, err := json.Marshal(struct {
		S generated.FlexString `json:"s"`
		N generated.FlexInt    `json:"n"`
	}{"12", 3})
	require.NoError(t, err)
	assert.JSONEq(t, `{"s":"12","n":3}`, string(b))
}
