package wrapper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/agentgateway-go/agentgateway/wrapper"
)

func TestHeldCalls(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reply   string
		wantIDs []string
		wantErr error
	}{
		{"two held calls", `{"message":"","retcode":"0","result":[{"callid":"1455-8","caller":"139"},{"callid":1456}]}`, []string{"1455-8", "1456"}, nil},
		{"400-003 is an empty list", `{"message":"no hold call","retcode":"400-003","result":""}`, nil, nil},
		{"null result", `{"message":"","retcode":"0","result":null}`, nil, nil},
		{"other retcodes stay errors", `{"message":"not login","retcode":"100-006","result":""}`, nil, wrapper.ErrNotSignedIn},
		{"400-001 is not swallowed", `{"message":"no call","retcode":"400-001","result":""}`, nil, &wrapper.APIError{}},
		{"result not a list", `{"message":"","retcode":"0","result":{"callid":"1"}}`, nil, wrapper.ErrBadReply},
		{"entry of the wrong type", `{"message":"","retcode":"0","result":[{"callid":true}]}`, nil, wrapper.ErrBadReply},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newGateway(t)
			s := g.session()
			g.reply("GET /calldata/20001/holdlist", tc.reply)

			held, err := s.GetHoldList(testContext(t))
			switch want := tc.wantErr.(type) {
			case nil:
				require.NoError(t, err)
			case *wrapper.APIError:
				require.ErrorAs(t, err, &want)
			default:
				require.ErrorIs(t, err, want)
			}
			var ids []string
			for _, h := range held {
				require.NotNil(t, h.Callid)
				ids = append(ids, string(*h.Callid))
			}
			require.Equal(t, tc.wantIDs, ids)
			require.Equal(t, 2, g.count(), "sign-in and one holdlist GET")
		})
	}
}

// A held call's documented fields are typed (caller and called as the
// page's numbers or as strings); fields the page marks unused, or does
// not list, are kept as sent.
func TestHeldCallsKeepOtherFields(t *testing.T) {
	g := newGateway(t)
	s := g.session()
	g.reply("GET /calldata/20001/holdlist", `{"message":"","retcode":"0","result":[{"callid":"1-1","callfeature":7,"caller":139,"called":"88001","callskill":"sales","begintime":17}]}`)
	held, err := s.GetHoldList(testContext(t))
	require.NoError(t, err)
	require.Len(t, held, 1)
	h := held[0]
	require.Equal(t, []string{"1-1", "139", "88001", "sales"}, []string{string(*h.Callid), string(*h.Caller), string(*h.Called), *h.Callskill})
	require.EqualValues(t, 7, *h.Callfeature)
	require.Equal(t, map[string]any{"begintime": float64(17)}, h.AdditionalProperties)
}
