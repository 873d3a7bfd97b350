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
func (c *Client) gatewaysPage(ctx context.Context, st *statsRecorder, region, status string, page int) (*smartag.DescribeSmartAccessGatewaysResponse, error) {
	about := Subject{Page: page}
	resp, err := send(ctx, c, st, call{region: region, about: about},
		action[*smartag.DescribeSmartAccessGatewaysResponse]{
			name: ActionDescribeSmartAccessGateways,
			build: func() requests.AcsRequest {
				req := smartag.CreateDescribeSmartAccessGatewaysRequest()
				prepare(req.RpcRequest, region)
				req.Status = status
				req.PageNumber = requests.NewInteger(page)
				req.PageSize = requests.NewInteger(gatewaysPageSize)
				return req
			},
			newAnswer: smartag.CreateDescribeSmartAccessGatewaysResponse,
			requestID: func(r *smartag.DescribeSmartAccessGatewaysResponse) string { return r.RequestId },
		})
	if err != nil {
		return nil, err
	}
	if n := len(resp.SmartAccessGateways.SmartAccessGateway); n > gatewaysPageSize {
		return nil, c.tooManyItems(ActionDescribeSmartAccessGateways, resp, n, gatewaysPageSize, about)
	}
	if resp.TotalCount < 0 {
		return nil, c.decodeErrorAbout(ActionDescribeSmartAccessGateways, resp, errNegativeTotal, about)
	}
	return resp, nil
}
