package smartagmock

import (
	"encoding/xml"
	"net/http"
)

// maxStatisticsNames is the API's limit of names per call.
const maxStatisticsNames = 50

// statisticsDoc is DescribeUserOnlineClientStatistics' answer.
type statisticsDoc struct {
	XMLName        xml.Name           `json:"-" xml:"DescribeUserOnlineClientStatistics"`
	UserStatistics userStatisticsList `json:"UserStatistics" xml:"UserStatistics"`
	RequestID      string             `json:"RequestId" xml:"RequestId"`
}

type userStatisticsList struct {
	Statistics []statisticDoc `json:"Statistics" xml:"Statistics"`
}

// statisticDoc carries OnlineCount as a string, as the real API does.
type statisticDoc struct {
	UserName    string `json:"UserName" xml:"UserName"`
	OnlineCount string `json:"OnlineCount" xml:"OnlineCount"`
}

// describeStatistics counts the online clients of the named accounts
// (UserNames.1, UserNames.2, …). Names keep the request's order, a repeated
// name is answered once, and a name that is no account of the instance is
// absent. Without any name the request is refused with MissingParameter:
// the mock's choice, since the API documents no "all accounts" meaning.
func (h *Handler) describeStatistics(c *call) *reply {
	p := c.params
	if e := requireInstanceParams(p); e != nil {
		return c.errorReply(e)
	}
	names := repeatedParam(p, "UserNames")
	if len(names) == 0 {
		return c.errorReply(errMissingParameter("UserNames"))
	}
	if len(names) > maxStatisticsNames {
		return c.errorReply(errInvalidParameter("Specified parameter UserNames is not valid; at most %d names may be given, got %d.",
			maxStatisticsNames, len(names)))
	}
	inst, e := h.findInstance(p)
	if e != nil {
		return c.errorReply(e)
	}
	stats := make([]statisticDoc, 0, len(names))
	seen := make(map[string]bool, len(names))
	omit := h.statisticsOmits(inst.id, names[0])
	for i, name := range names {
		a, ok := inst.account(name)
		if !ok || seen[name] || i == 0 && omit {
			continue
		}
		seen[name] = true
		stats = append(stats, statisticDoc{UserName: name, OnlineCount: inst.onlineCountOf(a)})
	}
	return render(c.format, http.StatusOK, "", statisticsDoc{
		UserStatistics: userStatisticsList{Statistics: stats}, RequestID: c.requestID,
	})
}
