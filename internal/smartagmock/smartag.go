package smartagmock

import (
	"encoding/xml"
	"net/http"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

const (
	userNameRule   = "1-128 characters of ASCII letters, digits, '_', '-', '.', '@', not starting with '-' or '.'"
	maxUserNameLen = 128
	productSmartag = "Smartag"
	productSts     = "Sts"
)

// validUserName is the rule for ClientUser.NameInvalid, the provider's
// plan-time rule too (see idrules.UserNamePattern).
func validUserName(s string) bool { return idrules.UserNamePattern.MatchString(s) }

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
// the real API reports who is online, and nobody by that name is. A disabled
// account's sessions are listed like any other: disabling does not end them
// (KickOutClients does).
func (h *Handler) describeUserOnlineClients(c *call) *reply {
	p := c.params
	if e := requireInstanceParams(p); e != nil {
		return c.errorReply(e)
	}
	if p["UserName"] == "" {
		return c.errorReply(newAPIError(http.StatusBadRequest, "ClientUser.NameEmpty", "You must specify UserName."))
	}
	if !validUserName(p["UserName"]) {
		return c.errorReply(newAPIError(http.StatusBadRequest, "ClientUser.NameInvalid", "The specified UserName is invalid."))
	}
	inst, e := h.findInstance(p)
	if e != nil {
		return c.errorReply(e)
	}
	if n := h.currentFaults().EmptyEntries; n > 0 {
		return emptyEntriesReply(c, n)
	}
	users := []userDoc{}
	if a, ok := inst.account(p["UserName"]); ok {
		users = inst.onlineOf(a)
	}
	return render(c.format, http.StatusOK, "", onlineClientsDoc{Users: usersDoc{User: users}, RequestID: c.requestID})
}

// requireInstanceParams is the check every per-instance action starts with.
func requireInstanceParams(p map[string]string) *apiError {
	if _, ok := p["RegionId"]; !ok {
		return errMissingParameter("RegionId")
	}
	if p["SmartAGId"] == "" {
		return newAPIError(http.StatusBadRequest, "SAG.InstanceIdEmpty", "You must specify the SAG instance ID.")
	}
	return nil
}

// findInstance resolves SmartAGId within RegionId: an instance of another
// region is as unknown as one that does not exist.
func (h *Handler) findInstance(p map[string]string) (*instanceData, *apiError) {
	inst, ok := h.instances[p["SmartAGId"]]
	if !ok || inst.region != p["RegionId"] {
		return nil, newAPIError(http.StatusBadRequest, "SAG.InstanceNoFound", "The specified SAG instance does not exist.")
	}
	return inst, nil
}
