package sagclient

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// KickOutClients closes every session of a client account (KickOutClients,
// POST). The account stays enabled: its clients may sign in again. Kicking
// out an account with nobody online succeeds and changes nothing, so a
// retry is safe (see change.go).
func (c *Client) KickOutClients(ctx context.Context, in ClientUserInput) (*ChangeOutput, error) {
	return change(ctx, c, in, func(region string) action[*changeAnswer] {
		return action[*changeAnswer]{
			name: ActionKickOutClients,
			build: func() requests.AcsRequest {
				req := smartag.CreateKickOutClientsRequest()
				prepare(req.RpcRequest, region)
				req.SmartAGId = in.SmartAGID
				// This action spells the parameter Username, unlike
				// every other action's UserName.
				req.Username = in.UserName
				return req
			},
			newAnswer: newChangeAnswer,
		}
	})
}
