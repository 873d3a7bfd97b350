package sagclient

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// statisticsBatchSize is the most names DescribeUserOnlineClientStatistics
// accepts in one call.
const statisticsBatchSize = 50

// onlineStatistics asks how many clients of each named account are online.
// Names that are not accounts of the instance are absent from the answer.
func (c *Client) onlineStatistics(ctx context.Context, st *statsRecorder, region, smartagID string, names []string) (*smartag.DescribeUserOnlineClientStatisticsResponse, error) {
	about := Subject{SmartAGID: smartagID, UserNames: names}
	resp, err := send(ctx, c, st, call{region: region, about: about},
		action[*smartag.DescribeUserOnlineClientStatisticsResponse]{
			name: ActionDescribeUserOnlineClientStatistics,
			build: func() requests.AcsRequest {
				req := smartag.CreateDescribeUserOnlineClientStatisticsRequest()
				prepare(req.RpcRequest, region)
				req.SmartAGId = smartagID
				batch := append([]string(nil), names...)
				req.UserNames = &batch
				return req
			},
			newAnswer: smartag.CreateDescribeUserOnlineClientStatisticsResponse,
			requestID: func(r *smartag.DescribeUserOnlineClientStatisticsResponse) string { return r.RequestId },
		})
	if err != nil {
		return nil, err
	}
	if n := len(resp.UserStatistics.Statistics); n > statisticsBatchSize {
		return nil, c.tooManyItems(ActionDescribeUserOnlineClientStatistics, resp, n, statisticsBatchSize, about)
	}
	return resp, nil
}
