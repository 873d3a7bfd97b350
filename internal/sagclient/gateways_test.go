package sagclient

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestListGateways_pagesAndOrder(t *testing.T) {
	var mu sync.Mutex
	asked := 0
	ep := newFakeEndpoint(t, func(_ int, r *http.Request) answer {
		mu.Lock()
		asked++
		mu.Unlock()
		page, _ := strconv.Atoi(r.Form.Get("PageNumber"))
		size, _ := strconv.Atoi(r.Form.Get("PageSize"))
		if size != gatewaysPageSize || r.Form.Get("Status") != "Active" {
			return apiError(400, "InvalidParameter", "REQ-BAD")
		}
		gws := []map[string]any{}
		for i := (page-1)*size + 1; i <= min(page*size, 120); i++ {
			// Listed in reverse, to see the sorting.
			id := fmt.Sprintf("sag-gw%04d", 121-i)
			gws = append(gws, map[string]any{"SmartAGId": id, "Name": "gw-" + id, "Status": "Active", "UserCount": i, "CidrBlock": "10.0.0.0/16", "CreateTime": int64(1700000000123)})
		}
		return jsonAnswer(map[string]any{"RequestId": "REQ-GW", "TotalCount": 120, "PageNumber": page, "PageSize": size,
			"SmartAccessGateways": map[string]any{"SmartAccessGateway": gws}})
	})
	c := newTestClient(t, ep.endpoint(t))
	out, err := c.ListGateways(context.Background(), ListGatewaysInput{Status: "Active"})
	if err != nil {
		t.Fatal(err)
	}
	if asked != 3 || len(out.Gateways) != 120 {
		t.Fatalf("%d requests, %d gateways", asked, len(out.Gateways))
	}
	g := out.Gateways[0]
	if g.SmartAGID != "sag-gw0001" || g.UserCount != 120 || !g.CreateTime.Equal(time.UnixMilli(1700000000123)) || g.CreateTime.Location() != time.UTC {
		t.Errorf("first gateway %+v", g)
	}
}
