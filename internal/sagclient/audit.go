package sagclient

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// AuditInstanceInput names the instance to audit.
type AuditInstanceInput struct {
	// Region overrides the client's region when set.
	Region    string
	SmartAGID string
	// UserNames, when not nil, limits the audit to these accounts; each must
	// be an account of the instance.
	UserNames []string
}

// Account is one client account of an instance.
type Account struct {
	UserName string
	UserMail string
	// Enabled is the API's State 0; State 1 is disabled.
	Enabled       bool
	BandwidthKbps int64
	// OnlineCount is how many entries of the audit's Clients belong to
	// this account.
	OnlineCount int
}

// AuditInstanceOutput is who is online on an instance.
type AuditInstanceOutput struct {
	// Region is the region actually used.
	Region string
	// Accounts are sorted by UserName.
	Accounts []Account
	// Clients are sorted by UserName, then OnlineTime (numerically), then
	// ClientIP.
	Clients  []OnlineClient
	Warnings []string
	Stats    Stats
}

// UnknownAccountsError lists requested names that are not accounts of the
// instance: a typo must not pass an audit silently.
type UnknownAccountsError struct {
	SmartAGID string
	Names     []string
}

func (e *UnknownAccountsError) Error() string {
	quoted := make([]string, len(e.Names))
	for i, n := range e.Names {
		quoted[i] = strconv.Quote(n)
	}
	return fmt.Sprintf("%s has no client account named %s", e.SmartAGID, strings.Join(quoted, ", "))
}

// AuditInstance finds every online session of an instance with the fewest
// requests: the accounts by pages of 100, their online counts by batches of
// 50 names, and the sessions only of accounts with a count above zero, all
// concurrently. For U accounts with K online that is about U/100 + U/50 + K
// requests. Any error fails the whole audit: it is never silently partial.
func (c *Client) AuditInstance(ctx context.Context, in AuditInstanceInput) (*AuditInstanceOutput, error) {
	region, err := c.Region(in.Region)
	if err != nil {
		return nil, err
	}
	a := &audit{c: c, st: newStatsRecorder(), w: newWarnings(), region: region, smartagID: in.SmartAGID}
	var accounts map[string]smartag.User
	if in.UserNames == nil {
		accounts, err = a.allAccounts(ctx)
	} else {
		accounts, err = a.namedAccounts(ctx, in.UserNames)
	}
	if err != nil {
		return nil, err
	}
	names := sortedKeys(accounts)
	counts, err := a.onlineCounts(ctx, names)
	if err != nil {
		return nil, err
	}
	clients, err := a.sessions(ctx, names, counts)
	if err != nil {
		return nil, err
	}
	return &AuditInstanceOutput{
		Region:   region,
		Accounts: accountsOf(names, accounts, clients),
		Clients:  clients,
		Warnings: a.w.list(),
		Stats:    a.st.snapshot(),
	}, nil
}

// audit is the state of one AuditInstance.
type audit struct {
	c         *Client
	st        *statsRecorder
	w         *warnings
	region    string
	smartagID string
}

// merge adds users to accounts, keeping the first entry of a name and,
// when only is not nil, only the names it holds.
func (a *audit) merge(accounts map[string]smartag.User, users []smartag.User, only map[string]bool) {
	for i, u := range users {
		switch {
		case u.UserName == "":
			a.w.add("an account listed by %s has no UserName (entry %d); it is left out", ActionDescribeSmartAccessGatewayClientUsers, i)
		case only != nil && !only[u.UserName]:
		default:
			if _, seen := accounts[u.UserName]; !seen {
				accounts[u.UserName] = u
			}
		}
	}
}

func (a *audit) listingError(err error) error {
	if isOurs(err) {
		return err
	}
	return fmt.Errorf("%s for %s: %w", ActionDescribeSmartAccessGatewayClientUsers, a.smartagID, err)
}

// sessions lists the clients of every account whose count is not zero. One
// whose session ended since it was counted simply has none.
func (a *audit) sessions(ctx context.Context, names []string, counts map[string]int) ([]OnlineClient, error) {
	var online []string
	for _, n := range names {
		if counts[n] != 0 {
			online = append(online, n)
		}
	}
	perUser := make([][]OnlineClient, len(online))
	err := forEach(ctx, len(online), fanOutLimit, func(ctx context.Context, i int) error {
		resp, err := a.c.onlineClients(ctx, a.st, a.region, a.smartagID, online[i])
		if err != nil {
			return err
		}
		clients := convertOnlineClients(resp.Users, a.w, a.c.scrub, online[i])
		requestID := a.c.scrub.scrub(resp.RequestID)
		for j := range clients {
			clients[j].RequestID = requestID
		}
		perUser[i] = clients
		return nil
	})
	if err != nil {
		return nil, err
	}
	clients := slices.Concat(perUser...)
	slices.SortFunc(clients, compareClients)
	return clients, nil
}

// compareClients orders sessions by account, then when they came online
// (numerically; values that are not numbers last, as text), then address.
func compareClients(x, y OnlineClient) int {
	return cmp.Or(
		cmp.Compare(x.UserName, y.UserName),
		compareOnlineTimes(x.OnlineTime, y.OnlineTime),
		cmp.Compare(x.ClientIP, y.ClientIP),
	)
}

func compareOnlineTimes(x, y string) int {
	xn, xerr := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
	yn, yerr := strconv.ParseInt(strings.TrimSpace(y), 10, 64)
	switch {
	case xerr == nil && yerr == nil:
		return cmp.Compare(xn, yn)
	case xerr == nil:
		return -1
	case yerr == nil:
		return 1
	}
	return cmp.Compare(x, y)
}

// accountsOf builds the sorted accounts, each with the number of sessions
// the audit found for it, so that the two never disagree.
func accountsOf(names []string, users map[string]smartag.User, clients []OnlineClient) []Account {
	online := map[string]int{}
	for _, cl := range clients {
		online[cl.UserName]++
	}
	out := make([]Account, len(names))
	for i, n := range names {
		u := users[n]
		out[i] = Account{
			UserName:      n,
			UserMail:      u.UserMail,
			Enabled:       u.State == 0,
			BandwidthKbps: int64(u.Bandwidth),
			OnlineCount:   online[n],
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func missingNames(wanted map[string]bool, found map[string]smartag.User) []string {
	var out []string
	for n := range wanted {
		if _, ok := found[n]; !ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}
