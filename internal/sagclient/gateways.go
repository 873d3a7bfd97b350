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
// then the other pages of 50 concurrently. An instance seen on two pages is
// kept once.
func (c *Client) ListGateways(ctx context.Context, in ListGatewaysInput) (*ListGatewaysOutput, error) {
	region, err := c.Region(in.Region)
	if err != nil {
		return nil, err
	}
	st := newStatsRecorder()
	pages, err := allPages(ctx, gatewaysPageSize, func(ctx context.Context, page int) ([]smartag.SmartAccessGateway, int, error) {
		resp, err := c.gatewaysPage(ctx, st, region, in.Status, page)
		if err != nil {
			return nil, 0, err
		}
		return resp.SmartAccessGateways.SmartAccessGateway, resp.TotalCount, nil
	})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []Gateway
	for _, page := range pages {
		for _, g := range page {
			if g.SmartAGId == "" || seen[g.SmartAGId] {
				continue
			}
			seen[g.SmartAGId] = true
			out = append(out, gatewayOf(g))
		}
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
