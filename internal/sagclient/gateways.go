package sagclient

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// ListGatewaysInput selects the SAG instances of a region.
type ListGatewaysInput struct {
	// Region overrides the client's region when set.
	Region string
	// Status, when set, is passed to the API as its Status filter.
	Status string
}

// Gateway is one SAG instance.
type Gateway struct {
	SmartAGID   string
	Name        string
	Description string
	Status      string
	UserCount   int
	CidrBlock   string
	// CreateTime is the zero time when the API did not give one.
	CreateTime time.Time
}

// ListGatewaysOutput lists the instances of a region, sorted by SmartAGID.
type ListGatewaysOutput struct {
	Region   string
	Gateways []Gateway
	Stats    Stats
}

// ListGateways reads every SAG instance of a region: page 1 for the total,
// then the other pages of 50 concurrently, the listing proved complete
// (see listAll).
func (c *Client) ListGateways(ctx context.Context, in ListGatewaysInput) (*ListGatewaysOutput, error) {
	region, err := c.Region(in.Region)
	if err != nil {
		return nil, err
	}
	st := newStatsRecorder()
	listed, err := listAll(ctx, pagedListing[smartag.SmartAccessGateway]{
		action:    ActionDescribeSmartAccessGateways,
		pageSize:  gatewaysPageSize,
		entryName: "SmartAGId",
		key:       func(g smartag.SmartAccessGateway) string { return g.SmartAGId },
		scrub:     c.scrub,
		fetch: func(ctx context.Context, page int) (listedPage[smartag.SmartAccessGateway], error) {
			resp, err := c.gatewaysPage(ctx, st, region, in.Status, page)
			if err != nil {
				return listedPage[smartag.SmartAccessGateway]{}, err
			}
			return listedPage[smartag.SmartAccessGateway]{requestID: resp.RequestID, total: resp.TotalCount, number: resp.PageNumber, entries: resp.Gateways}, nil
		},
	}, nil)
	if err != nil {
		return nil, err
	}
	out := make([]Gateway, 0, len(listed))
	for _, g := range listed {
		out = append(out, gatewayOf(g))
	}
	slices.SortFunc(out, func(x, y Gateway) int { return cmp.Compare(x.SmartAGID, y.SmartAGID) })
	return &ListGatewaysOutput{Region: region, Gateways: out, Stats: st.snapshot()}, nil
}

func gatewayOf(g smartag.SmartAccessGateway) Gateway {
	out := Gateway{
		SmartAGID:   g.SmartAGId,
		Name:        g.Name,
		Description: g.Description,
		Status:      g.Status,
		UserCount:   g.UserCount,
		CidrBlock:   g.CidrBlock,
	}
	// CreateTime is unix milliseconds; 0 means the API did not say.
	if g.CreateTime > 0 && g.CreateTime < 253402300799999 {
		out.CreateTime = time.UnixMilli(g.CreateTime).UTC()
	}
	return out
}
