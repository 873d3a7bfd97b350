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
func (c *Client) onlineStatistics(ctx context.Context, st *statsRecorder, region, smartagID string, names []string) (*statisticsAnswer, error) {
	return send(ctx, c, st, call{region: region, about: Subject{SmartAGID: smartagID, UserNames: names}},
		action[*statisticsAnswer]{
			name: ActionDescribeUserOnlineClientStatistics,
			build: func() requests.AcsRequest {
				req := smartag.CreateDescribeUserOnlineClientStatisticsRequest()
				prepare(req.RpcRequest, region)
				req.SmartAGId = smartagID
				batch := append([]string(nil), names...)
				req.UserNames = &batch
				return req
			},
			// No more entries than names asked for can be true.
			newAnswer: func() *statisticsAnswer { return &statisticsAnswer{limit: len(names)} },
		})
}
