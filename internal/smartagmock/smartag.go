package smartagmock

import (
	"encoding/xml"
	"net/http"
)

const (
	smartagVersion       = "2018-03-13"
	actionDescribeOnline = "DescribeUserOnlineClients"
	userNameRule         = "1-128 characters of ASCII letters, digits, '_', '-', '.', '@', not starting with '-' or '.'"
	maxUserNameLen       = 128
	productSmartag       = "Smartag"
	productSts           = "Sts"
)

// instanceData is the handler's read-only index of one fixture instance.
type instanceData struct {
	region string
	users  map[string][]Client
}

// validUserName is the mock's rule for ClientUser.NameInvalid. The public
// documentation gives no rule; this one accepts what the console allows for
// client user names and refuses anything needing escaping (spaces, '/',
// non-ASCII) so those paths can be tested.
func validUserName(s string) bool {
	if len(s) == 0 || len(s) > maxUserNameLen || s[0] == '-' || s[0] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isUserNameChar(s[i]) {
			return false
		}
	}
	return true
}

func isUserNameChar(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == '-' || c == '.' || c == '@'
}

// onlineClientsDoc is the success answer; Users precedes RequestId as in the
// API reference's example.
type onlineClientsDoc struct {
	XMLName   xml.Name `json:"-" xml:"DescribeUserOnlineClients"`
	Users     usersDoc `json:"Users" xml:"Users"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
}

type usersDoc struct {
	User []userDoc `json:"User" xml:"User"`
}

type userDoc struct {
	OnlineTime string `json:"OnlineTime" xml:"OnlineTime"`
	ClientIP   string `json:"ClientIp" xml:"ClientIp"`
}

// describeUserOnlineClients implements the action after authentication and
// faults. A user the instance does not know is answered with an empty list:
// the real API reports who is online, and nobody by that name is.
func (h *Handler) describeUserOnlineClients(c *call) *reply {
	p := c.params
	if _, ok := p["RegionId"]; !ok {
		return c.errorReply(errMissingParameter("RegionId"))
	}
	if p["SmartAGId"] == "" {
		return c.errorReply(newAPIError(http.StatusBadRequest, "SAG.InstanceIdEmpty", "You must specify the SAG instance ID."))
	}
	if p["UserName"] == "" {
		return c.errorReply(newAPIError(http.StatusBadRequest, "ClientUser.NameEmpty", "You must specify UserName."))
	}
	if !validUserName(p["UserName"]) {
		return c.errorReply(newAPIError(http.StatusBadRequest, "ClientUser.NameInvalid", "The specified UserName is invalid."))
	}
	inst, ok := h.instances[p["SmartAGId"]]
	if !ok || inst.region != p["RegionId"] {
		return c.errorReply(newAPIError(http.StatusBadRequest, "SAG.InstanceNoFound", "The specified SAG instance does not exist."))
	}
	users := make([]userDoc, 0, len(inst.users[p["UserName"]]))
	for _, cl := range inst.users[p["UserName"]] {
		users = append(users, userDoc{OnlineTime: cl.OnlineTime, ClientIP: cl.ClientIP})
	}
	return render(c.format, http.StatusOK, "", onlineClientsDoc{Users: usersDoc{User: users}, RequestID: c.requestID})
}
