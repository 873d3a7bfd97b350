package sagclient

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// DisableClientUser disables a client account
// (DisableSmartAccessGatewayUser): it can no longer sign in. Sessions
// already open stay open; KickOutClients ends them. Disabling a disabled
// account succeeds, so a retry is safe (see change.go).
func (c *Client) DisableClientUser(ctx context.Context, in ClientUserInput) (*ChangeOutput, error) {
	return change(ctx, c, in, func(region string) action[*changeAnswer] {
		return action[*changeAnswer]{
			name: ActionDisableSmartAccessGatewayUser,
			build: func() requests.AcsRequest {
				req := smartag.CreateDisableSmartAccessGatewayUserRequest()
				prepare(req.RpcRequest, region)
				req.SmartAGId = in.SmartAGID
				req.UserName = in.UserName
				return req
			},
			newAnswer: newChangeAnswer,
		}
	})
}
