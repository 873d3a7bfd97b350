package sagclient

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// clientUsersPageSize is the largest page DescribeSmartAccessGatewayClientUsers
// allows: the fewest requests for a listing.
const clientUsersPageSize = 100

// clientUsersPage is one page of the accounts of an instance; userName, when
// set, filters on that exact name.
func (c *Client) clientUsersPage(ctx context.Context, st *statsRecorder, region, smartagID, userName string, page int) (*clientUsersAnswer, error) {
	about := Subject{SmartAGID: smartagID, UserName: userName, Page: page}
	return send(ctx, c, st, call{region: region, about: about},
		action[*clientUsersAnswer]{
			name: ActionDescribeSmartAccessGatewayClientUsers,
			build: func() requests.AcsRequest {
				req := smartag.CreateDescribeSmartAccessGatewayClientUsersRequest()
				prepare(req.RpcRequest, region)
				req.SmartAGId = smartagID
				req.UserName = userName
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(clientUsersPageSize)
				return req
			},
			newAnswer: func() *clientUsersAnswer { return &clientUsersAnswer{} },
		})
}
