package smartagmock

import (
	"encoding/xml"
	"net/http"
)

const (
	maxGatewaysPageSize = 50
	// instanceTypeApp is the mock's InstanceType for its instances, all of
	// them SAG app (software) instances. The Go SDK does not decode it.
	instanceTypeApp = "software"
)

// gatewaysDoc is DescribeSmartAccessGateways' answer.
type gatewaysDoc struct {
	XMLName             xml.Name    `json:"-" xml:"DescribeSmartAccessGateways"`
	TotalCount          int64       `json:"TotalCount" xml:"TotalCount"`
	PageNumber          int         `json:"PageNumber" xml:"PageNumber"`
	PageSize            int         `json:"PageSize" xml:"PageSize"`
	SmartAccessGateways gatewayList `json:"SmartAccessGateways" xml:"SmartAccessGateways"`
	RequestID           string      `json:"RequestId" xml:"RequestId"`
}

type gatewayList struct {
	SmartAccessGateway []gatewayDoc `json:"SmartAccessGateway" xml:"SmartAccessGateway"`
}

// gatewayDoc holds the fields the mock knows of an instance; the real answer
// has many more, which clients must not need.
type gatewayDoc struct {
	SmartAGID       string `json:"SmartAGId" xml:"SmartAGId"`
	Name            string `json:"Name" xml:"Name"`
	Description     string `json:"Description" xml:"Description"`
	Status          string `json:"Status" xml:"Status"`
	InstanceType    string `json:"InstanceType" xml:"InstanceType"`
	UserCount       int    `json:"UserCount" xml:"UserCount"`
	CidrBlock       string `json:"CidrBlock" xml:"CidrBlock"`
	CreateTime      int64  `json:"CreateTime" xml:"CreateTime"` // unix milliseconds
	EndTime         int64  `json:"EndTime" xml:"EndTime"`       // unix milliseconds
	ResourceGroupID string `json:"ResourceGroupId" xml:"ResourceGroupId"`
}

// describeGateways lists the region's instances sorted by SmartAGId, filtered
// by exact SmartAGId, SmartAGIds.N (any of), Name and Status; the filters
// combine with AND. Other filters of the real API are ignored.
func (h *Handler) describeGateways(c *call) *reply {
	p := c.params
	if _, ok := p["RegionId"]; !ok {
		return c.errorReply(errMissingParameter("RegionId"))
	}
	pg, e := pageParams(p, maxGatewaysPageSize)
	if e != nil {
		return c.errorReply(e)
	}
	var ids map[string]bool
	if list := repeatedParam(p, "SmartAGIds"); len(list) > 0 {
		ids = make(map[string]bool, len(list))
		for _, id := range list {
			ids[id] = true
		}
	}
	var matches []*instanceData
	for _, d := range h.byRegion[p["RegionId"]] {
		if (p["SmartAGId"] == "" || d.id == p["SmartAGId"]) && (ids == nil || ids[d.id]) &&
			(p["Name"] == "" || d.name == p["Name"]) && (p["Status"] == "" || d.status == p["Status"]) {
			matches = append(matches, d)
		}
	}
	fault := h.listingFault(counterKey("region", actionGateways, p["RegionId"]), pg.number)
	shownTotal, from, to := listingWindow(fault, len(matches), pg)
	docs := make([]gatewayDoc, 0, to-from)
	for _, d := range matches[from:to] {
		docs = append(docs, gatewayDoc{
			SmartAGID: d.id, Name: d.name, Description: d.description, Status: d.status,
			InstanceType: instanceTypeApp, UserCount: len(d.accounts), CidrBlock: d.cidrBlock,
			CreateTime: d.createMS, EndTime: d.endMS, ResourceGroupID: defaultResourceGroupID,
		})
	}
	return render(c.format, http.StatusOK, "", gatewaysDoc{
		TotalCount: shownTotal, PageNumber: pg.number, PageSize: pg.size,
		SmartAccessGateways: gatewayList{SmartAccessGateway: docs}, RequestID: c.requestID,
	})
}
