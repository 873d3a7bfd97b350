package sagclient

import "context"

// userStateEnabled is the listing's State of an enabled account (1 is
// disabled).
const userStateEnabled = 0

// ClientUserState is one client account as the listing reports it now.
type ClientUserState struct {
	// Region is the region actually used.
	Region    string
	UserName  string
	Enabled   bool
	RequestID string
	Stats     Stats
}

// LookupClientUser finds one account of an instance by its exact name
// (DescribeSmartAccessGatewayClientUsers with UserName), so that a change
// can say what it changes, and refuse a name the instance does not have
// before anything is changed: the API documents no error for a change of
// an unknown account. A name that is not an account is an
// *UnknownAccountsError.
func (c *Client) LookupClientUser(ctx context.Context, in ClientUserInput) (*ClientUserState, error) {
	if in.SmartAGID == "" || in.UserName == "" {
		return nil, ErrIncompleteSubject
	}
	region, err := c.Region(in.Region)
	if err != nil {
		return nil, err
	}
	st := newStatsRecorder()
	resp, err := c.clientUsersPage(ctx, st, region, in.SmartAGID, in.UserName, 1)
	if err != nil {
		return nil, err
	}
	// The filter is exact, but an answer is checked, not trusted.
	for _, u := range resp.Users {
		if u.UserName == in.UserName {
			return &ClientUserState{
				Region:    region,
				UserName:  in.UserName,
				Enabled:   u.State == userStateEnabled,
				RequestID: c.scrub.scrub(resp.RequestID),
				Stats:     st.snapshot(),
			}, nil
		}
	}
	return nil, &UnknownAccountsError{SmartAGID: in.SmartAGID, Names: []string{in.UserName}}
}
