package sagclient

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// EnableClientUser enables a client account again
// (EnableSmartAccessGatewayUser). Enabling an enabled account succeeds, so
// a retry is safe (see change.go).
func (c *Client) EnableClientUser(ctx context.Context, in ClientUserInput) (*ChangeOutput, error) {
	return change(ctx, c, in, func(region string) action[*changeAnswer] {
		return action[*changeAnswer]{
			name: ActionEnableSmartAccessGatewayUser,
			build: func() requests.AcsRequest {
				req := smartag.CreateEnableSmartAccessGatewayUserRequest()
				prepare(req.RpcRequest, region)
				req.SmartAGId = in.SmartAGID
				req.UserName = in.UserName
				return req
			},
			newAnswer: newChangeAnswer,
		}
	})
}
