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
		{"two held calls", `{"message":"","retcode":"0","result":[{"callid":"1455-8"},{"callid":1456}]}`, []string{"1455-8", "1456"}, nil},
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

			held, err := s.HeldCalls(testContext(t))
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
				ids = append(ids, string(h.CallID))
				require.NotEmpty(t, h.Raw)
			}
			require.Equal(t, tc.wantIDs, ids)
			require.Equal(t, 2, g.count(), "sign-in and one holdlist GET")
		})
	}
}
