package sagclient

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// gatewaysPageSize is the largest page DescribeSmartAccessGateways allows.
const gatewaysPageSize = 50

// gatewaysPage is one page of the SAG instances of a region, filtered on
// status when it is set.
func (c *Client) gatewaysPage(ctx context.Context, st *statsRecorder, region, status string, page int) (*gatewaysAnswer, error) {
	return send(ctx, c, st, call{region: region, about: Subject{Page: page}},
		action[*gatewaysAnswer]{
			name: ActionDescribeSmartAccessGateways,
			build: func() requests.AcsRequest {
				req := smartag.CreateDescribeSmartAccessGatewaysRequest()
				prepare(req.RpcRequest, region)
				req.Status = status
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(gatewaysPageSize)
				return req
			},
			newAnswer: func() *gatewaysAnswer { return &gatewaysAnswer{} },
		})
}
