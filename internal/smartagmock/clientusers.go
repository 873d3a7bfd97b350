package smartagmock

import (
	"encoding/xml"
	"net/http"
)

const (
	maxClientUsersPageSize = 100
	stateEnabled           = 0 // State of an enabled account
	stateDisabled          = 1
)

// clientUsersDoc is DescribeSmartAccessGatewayClientUsers' answer.
type clientUsersDoc struct {
	XMLName    xml.Name       `json:"-" xml:"DescribeSmartAccessGatewayClientUsers"`
	TotalCount int64          `json:"TotalCount" xml:"TotalCount"`
	PageNumber int            `json:"PageNumber" xml:"PageNumber"`
	PageSize   int            `json:"PageSize" xml:"PageSize"`
	Users      clientUserList `json:"Users" xml:"Users"`
	RequestID  string         `json:"RequestId" xml:"RequestId"`
}

type clientUserList struct {
	User []clientUserDoc `json:"User" xml:"User"`
}

type clientUserDoc struct {
	UserName            string `json:"UserName" xml:"UserName"`
	UserMail            string `json:"UserMail" xml:"UserMail"`
	State               int    `json:"State" xml:"State"`
	Bandwidth           int    `json:"Bandwidth" xml:"Bandwidth"`
	AccelerateBandwidth int64  `json:"AccelerateBandwidth" xml:"AccelerateBandwidth"`
	ClientIP            string `json:"ClientIp" xml:"ClientIp"`
}

// describeClientUsers lists an instance's client accounts in fixture order,
// optionally filtered by exact UserName and UserMail. TotalCount counts the
// matches over all pages; a page past the end is empty.
func (h *Handler) describeClientUsers(c *call) *reply {
	p := c.params
	if e := requireInstanceParams(p); e != nil {
		return c.errorReply(e)
	}
	pg, e := pageParams(p, maxClientUsersPageSize)
	if e != nil {
		return c.errorReply(e)
	}
	inst, e := h.findInstance(p)
	if e != nil {
		return c.errorReply(e)
	}
	matches := inst.matchingAccounts(p["UserName"], p["UserMail"])
	fault := h.listingFault(actionKey(actionClientUsers, inst.id), pg.number)
	shownTotal, from, to := listingWindow(fault, inst.countMatches(matches), pg)
	users := make([]clientUserDoc, 0, to-from)
	for i := from; i < to; i++ {
		users = append(users, inst.docOf(inst.matchAt(matches, i)))
	}
	return render(c.format, http.StatusOK, "", clientUsersDoc{
		TotalCount: shownTotal, PageNumber: pg.number, PageSize: pg.size,
		Users: clientUserList{User: users}, RequestID: c.requestID,
	})
}

// matchingAccounts returns the indexes of the accounts matching the filters,
// or nil for "every account" so an unfiltered listing copies nothing.
func (d *instanceData) matchingAccounts(userName, userMail string) []int {
	switch {
	case userName != "":
		i, ok := d.byName[userName]
		if !ok || (userMail != "" && d.accounts[i].doc.UserMail != userMail) {
			return []int{}
		}
		return []int{i}
	case userMail != "":
		if m := d.byMail[userMail]; m != nil {
			return m
		}
		return []int{}
	default:
		return nil
	}
}

func (d *instanceData) countMatches(matches []int) int {
	if matches == nil {
		return len(d.accounts)
	}
	return len(matches)
}

func (d *instanceData) matchAt(matches []int, i int) int {
	if matches == nil {
		return i
	}
	return matches[i]
}
