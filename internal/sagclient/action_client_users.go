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
func (c *Client) clientUsersPage(ctx context.Context, st *statsRecorder, region, smartagID, userName string, page int) (*smartag.DescribeSmartAccessGatewayClientUsersResponse, error) {
	about := Subject{SmartAGID: smartagID, UserName: userName, Page: page}
	resp, err := send(ctx, c, st, call{region: region, about: about},
		action[*smartag.DescribeSmartAccessGatewayClientUsersResponse]{
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
			newAnswer: smartag.CreateDescribeSmartAccessGatewayClientUsersResponse,
			requestID: func(r *smartag.DescribeSmartAccessGatewayClientUsersResponse) string { return r.RequestId },
		})
	if err != nil {
		return nil, err
	}
	if n := len(resp.Users.User); n > clientUsersPageSize {
		return nil, c.tooManyItems(ActionDescribeSmartAccessGatewayClientUsers, resp, n, clientUsersPageSize, about)
	}
	if resp.TotalCount < 0 {
		return nil, c.decodeErrorAbout(ActionDescribeSmartAccessGatewayClientUsers, resp, errNegativeTotal, about)
	}
	return resp, nil
}
