package flex_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/flex"
)

func TestStringAcceptsEveryBuildsForm(t *testing.T) {
	for in, want := range map[string]flex.String{
		`"1455885056-1095"`: "1455885056-1095",
		`12`:                "12",
		`-3`:                "-3",
		`"a\"b"`:            `a"b`,
		`null`:              "kept",
	} {
		v := flex.String("kept")
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v, in)
	}
	var v flex.String
	assert.Error(t, json.Unmarshal([]byte(`{}`), &v))
	assert.Error(t, json.Unmarshal([]byte(`true`), &v))
}

func TestIntAcceptsEveryBuildsForm(t *testing.T) {
	for in, want := range map[string]flex.Int{`3`: 3, `"3"`: 3, `""`: 7, `null`: 7, `-1`: -1} {
		v := flex.Int(7)
		require.NoError(t, json.Unmarshal([]byte(in), &v), in)
		assert.Equal(t, want, v, in)
	}
	var v flex.Int
	assert.Error(t, json.Unmarshal([]byte(`"x"`), &v))
	assert.Error(t, json.Unmarshal([]byte(`1.5`), &v))
}

func TestMarshalUsesTheDocumentedType(t *testing.T) {
	b, err := json.Marshal(struct {
		S flex.String `json:"s"`
		N flex.Int    `json:"n"`
	}{"12", 3})
	require.NoError(t, err)
	assert.JSONEq(t, `{"s":"12","n":3}`, string(b))
}
