package sagclient

import (
	"context"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// DescribeUserOnlineClientsInput names what to read.
type DescribeUserOnlineClientsInput struct {
	// Region overrides the client's region when set.
	Region    string
	SmartAGID string
	UserName  string
}

// DescribeUserOnlineClientsOutput is what DescribeUserOnlineClients found.
type DescribeUserOnlineClientsOutput struct {
	// Region is the region actually used.
	Region    string
	RequestID string
	Clients   []OnlineClient
	// Warnings about values kept as given although they look wrong.
	Warnings []string
	Stats    Stats
}

// DescribeUserOnlineClients lists the clients of a user that are online now,
// in the order the API returns them.
func (c *Client) DescribeUserOnlineClients(ctx context.Context, in DescribeUserOnlineClientsInput) (*DescribeUserOnlineClientsOutput, error) {
	region, err := c.Region(in.Region)
	if err != nil {
		return nil, err
	}
	st := newStatsRecorder()
	resp, err := c.onlineClients(ctx, st, region, in.SmartAGID, in.UserName)
	if err != nil {
		return nil, err
	}
	w := newWarnings()
	clients := convertOnlineClients(resp.Users, w, c.scrub, "")
	return &DescribeUserOnlineClientsOutput{
		Region:    region,
		RequestID: c.scrub.scrub(resp.RequestID),
		Clients:   clients,
		Warnings:  w.list(),
		Stats:     st.snapshot(),
	}, nil
}

// maxClientsPerAnswer bounds the sessions one answer may list: far more than
// one account ever has, far less than what a small hostile body of "{}"
// entries would otherwise cost in memory.
const maxClientsPerAnswer = 50_000

// onlineClients is one DescribeUserOnlineClients request.
func (c *Client) onlineClients(ctx context.Context, st *statsRecorder, region, smartagID, userName string) (*onlineClientsAnswer, error) {
	return send(ctx, c, st, call{region: region, about: Subject{SmartAGID: smartagID, UserName: userName}},
		action[*onlineClientsAnswer]{
			name: ActionDescribeUserOnlineClients,
			build: func() requests.AcsRequest {
				req := smartag.CreateDescribeUserOnlineClientsRequest()
				prepare(req.RpcRequest, region)
				req.SmartAGId = smartagID
				req.UserName = userName
				return req
			},
			newAnswer: func() *onlineClientsAnswer { return &onlineClientsAnswer{} },
		})
}
