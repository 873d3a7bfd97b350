package smartagmock

import (
	"encoding/xml"
	"net/http"
)

// The actions that change a client account.
const (
	actionKickOut     = "KickOutClients"
	actionDisableUser = "DisableSmartAccessGatewayUser"
	actionEnableUser  = "EnableSmartAccessGatewayUser"
)

// codeUserNotFound answers a change of an account the instance does not
// have. The API reference lists no code for it (its pages for these
// actions document only Forbidden codes); the mock's choice follows the
// ClientUser.* codes the reference does list (NameEmpty, NameInvalid,
// UserInUsing). A change must not succeed for a mistyped name: the listing
// reports such a name as absent, the changes refuse it.
const codeUserNotFound = "ClientUser.NotExist"

// changeDoc is the answer of every changing action: only a RequestId,
// under the action's name in XML. The three named types below are its
// entries in smartagActionTable, which checks each document's XML root.
type changeDoc struct {
	XMLName   xml.Name `json:"-"`
	RequestID string   `json:"RequestId" xml:"RequestId"`
}

type (
	kickOutClientsDoc struct {
		XMLName xml.Name `json:"-" xml:"KickOutClients"`
	}
	disableUserDoc struct {
		XMLName xml.Name `json:"-" xml:"DisableSmartAccessGatewayUser"`
	}
	enableUserDoc struct {
		XMLName xml.Name `json:"-" xml:"EnableSmartAccessGatewayUser"`
	}
)

// kickOutClients ends every session of the account: it is then listed
// with nobody online, and its clients may sign in again. Kicking out an
// account with nobody online succeeds. The action names its parameter
// Username (lower-case n); UserName is not read.
func (h *Handler) kickOutClients(c *call) *reply {
	return h.changeAccount(c, "Username", func(a *account) {
		a.online = []userDoc{}
		a.clients = "0"
	})
}

// disableUser sets the account's State to 1 (disabled). Its open sessions
// stay open, as DescribeUserOnlineClients shows; disabling a disabled
// account succeeds.
func (h *Handler) disableUser(c *call) *reply {
	return h.changeAccount(c, "UserName", func(a *account) { a.doc.State = stateDisabled })
}

// enableUser sets the account's State to 0 (enabled); enabling an enabled
// account succeeds.
func (h *Handler) enableUser(c *call) *reply {
	return h.changeAccount(c, "UserName", func(a *account) { a.doc.State = stateEnabled })
}

// changeAccount checks a change's parameters in the order the reads do,
// then applies it under the instance's lock. Every change stays until the
// mock stops: Reset clears the counters, not the data.
func (h *Handler) changeAccount(c *call, nameParam string, apply func(*account)) *reply {
	p := c.params
	if e := requireInstanceParams(p); e != nil {
		return c.errorReply(e)
	}
	name := p[nameParam]
	if name == "" {
		return c.errorReply(newAPIError(http.StatusBadRequest, "ClientUser.NameEmpty", "You must specify %s.", nameParam))
	}
	if !validUserName(name) {
		return c.errorReply(newAPIError(http.StatusBadRequest, "ClientUser.NameInvalid", "The specified %s is invalid.", nameParam))
	}
	inst, e := h.findInstance(p)
	if e != nil {
		return c.errorReply(e)
	}
	a, ok := inst.account(name)
	if !ok {
		return c.errorReply(newAPIError(http.StatusBadRequest, codeUserNotFound, "The specified client user does not exist."))
	}
	inst.mu.Lock()
	apply(a)
	inst.mu.Unlock()
	return render(c.format, http.StatusOK, "", changeDoc{XMLName: xml.Name{Local: p["Action"]}, RequestID: c.requestID})
}

// changeFaultKey is what FailFirst counts for a change: the action and
// the account, whichever way the action spells the name.
func changeFaultKey(action string, p map[string]string) string {
	name := p["UserName"]
	if action == actionKickOut {
		name = p["Username"]
	}
	return counterKey("change", action, p["SmartAGId"], name)
}

// docOf is the listing's entry of account i, as of now.
func (d *instanceData) docOf(i int) clientUserDoc {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.accounts[i].doc
}

// onlineOf is the account's sessions as of now; the slice is never changed
// in place, so the caller may keep it.
func (d *instanceData) onlineOf(a *account) []userDoc {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return a.online
}

// onlineCountOf is OnlineCount for the account, as of now.
func (d *instanceData) onlineCountOf(a *account) string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return a.clients
}
