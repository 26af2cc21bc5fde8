package wrapper_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/openapi"
	"github.com/agentgateway-go/agentgateway/wrapper"
)

// TestEveryOperationIsAMethod reads the spec itself: each operation is a
// method named by its operationId (or by its x-wrapper-method, for the
// hand-written ones), so an operation added to the spec cannot be missed.
func TestEveryOperationIsAMethod(t *testing.T) {
	spec, err := openapi.Load()
	require.NoError(t, err)
	session, client := reflect.TypeFor[*wrapper.Session](), reflect.TypeFor[*wrapper.Client]()
	n := 0
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			name := op.OperationID
			if manual, ok := op.Extensions["x-wrapper-method"].(string); ok {
				name = manual
			}
			_, onSession := session.MethodByName(name)
			_, onClient := client.MethodByName(name)
			assert.True(t, onSession || onClient, "%s %s: no method %s", method, path, name)
			n++
		}
	}
	assert.Greater(t, n, 30)
}
