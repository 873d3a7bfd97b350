package smartagmock

// The Smartag actions the mock serves, in one table. Adding an action is one
// entry here plus its handler file (request checks, answer document,
// handler): dispatch, flow control, the action list of smartag-mock's usage
// text and the README check (actions_test.go) all come from this table.

const (
	// SmartagVersion is the Smartag API version the mock serves.
	SmartagVersion = smartagVersion
	smartagVersion = "2018-03-13"

	actionDescribeOnline = "DescribeUserOnlineClients"
	actionStatistics     = "DescribeUserOnlineClientStatistics"
	actionClientUsers    = "DescribeSmartAccessGatewayClientUsers"
	actionGateways       = "DescribeSmartAccessGateways"
)

// smartagAction is how one Smartag action is served once authenticated.
type smartagAction struct {
	name  string
	serve func(h *Handler, c *call) *reply
	// faultKey is what Faults.FailFirst counts requests by.
	faultKey func(action string, p map[string]string) string
	// answer is the success document; its XML root is the action's name,
	// as the real API's is.
	answer any
}

var smartagActionTable = []smartagAction{
	{
		name:     actionDescribeOnline,
		serve:    (*Handler).describeUserOnlineClients,
		faultKey: func(_ string, p map[string]string) string { return pairKey(p["SmartAGId"], p["UserName"]) },
		answer:   onlineClientsDoc{},
	},
	{name: actionStatistics, serve: (*Handler).describeStatistics, faultKey: instanceFaultKey, answer: statisticsDoc{}},
	{name: actionClientUsers, serve: (*Handler).describeClientUsers, faultKey: instanceFaultKey, answer: clientUsersDoc{}},
	{name: actionGateways, serve: (*Handler).describeGateways, faultKey: instanceFaultKey, answer: gatewaysDoc{}},
	{name: actionKickOut, serve: (*Handler).kickOutClients, faultKey: changeFaultKey, answer: kickOutClientsDoc{}},
	{name: actionDisableUser, serve: (*Handler).disableUser, faultKey: changeFaultKey, answer: disableUserDoc{}},
	{name: actionEnableUser, serve: (*Handler).enableUser, faultKey: changeFaultKey, answer: enableUserDoc{}},
}

// smartagActions indexes smartagActionTable by name.
var smartagActions = func() map[string]smartagAction {
	m := make(map[string]smartagAction, len(smartagActionTable))
	for _, a := range smartagActionTable {
		m[a.name] = a
	}
	return m
}()

// SmartagActions is the name of every Smartag action the mock serves, in
// the order of its documentation.
func SmartagActions() []string {
	names := make([]string, len(smartagActionTable))
	for i, a := range smartagActionTable {
		names[i] = a.name
	}
	return names
}

func instanceFaultKey(action string, p map[string]string) string {
	return actionKey(action, p["SmartAGId"])
}
