package sagclient

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

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

// allAccounts lists every account; an account seen on two pages (the
// instance changed during the listing) is kept once.
func (a *audit) allAccounts(ctx context.Context) (map[string]smartag.User, error) {
	var mu sync.Mutex
	totals := map[int]bool{}
	pages, err := allPages(ctx, clientUsersPageSize, func(ctx context.Context, page int) ([]smartag.User, int, error) {
		resp, err := a.c.clientUsersPage(ctx, a.st, a.region, a.smartagID, "", page)
		if err != nil {
			return nil, 0, err
		}
		mu.Lock()
		totals[resp.TotalCount] = true
		mu.Unlock()
		return resp.Users.User, resp.TotalCount, nil
	})
	if err != nil {
		return nil, a.listingError(err)
	}
	if len(totals) > 1 {
		// Accounts were added or removed during the listing: pages shift,
		// so one may have been skipped. Say so rather than pass it off as
		// complete.
		a.w.add("the accounts of %s changed while they were listed (%s's TotalCount differed between pages): "+
			"an account added or removed meanwhile may be missing from this audit; read it again for a consistent view",
			a.smartagID, ActionDescribeSmartAccessGatewayClientUsers)
	}
	accounts := map[string]smartag.User{}
	for _, users := range pages {
		a.merge(accounts, users, nil)
	}
	return accounts, nil
}

// namedAccounts finds the named accounts with the fewest requests: the
// first page, then whichever is cheaper of the remaining pages or one
// filtered request per name still missing.
func (a *audit) namedAccounts(ctx context.Context, names []string) (map[string]smartag.User, error) {
	wanted := map[string]bool{}
	for _, n := range names {
		wanted[n] = true
	}
	accounts := map[string]smartag.User{}
	first, err := a.c.clientUsersPage(ctx, a.st, a.region, a.smartagID, "", 1)
	if err != nil {
		return nil, err
	}
	a.merge(accounts, first.Users.User, wanted)
	pages, err := pageCount(first.TotalCount, clientUsersPageSize)
	if err != nil {
		return nil, a.listingError(err)
	}
	// The rest: one request filtered on each missing name, or the other
	// pages, whichever is fewer.
	type query struct {
		userName string
		page     int
	}
	var queries []query
	if missing := missingNames(wanted, accounts); len(missing) < pages-1 {
		for _, n := range missing {
			queries = append(queries, query{userName: n, page: 1})
		}
	} else if len(missing) > 0 {
		for page := 2; page <= pages; page++ {
			queries = append(queries, query{page: page})
		}
	}
	var mu sync.Mutex
	err = forEach(ctx, len(queries), fanOutLimit, func(ctx context.Context, i int) error {
		resp, err := a.c.clientUsersPage(ctx, a.st, a.region, a.smartagID, queries[i].userName, queries[i].page)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		a.merge(accounts, resp.Users.User, wanted)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if unknown := missingNames(wanted, accounts); len(unknown) > 0 {
		return nil, &UnknownAccountsError{SmartAGID: a.smartagID, Names: unknown}
	}
	return accounts, nil
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

// onlineCounts asks for the online count of every name, 50 at a time. A
// count that is not a number is -1: the sessions are then listed anyway,
// so that no session is missed because of it.
func (a *audit) onlineCounts(ctx context.Context, names []string) (map[string]int, error) {
	parts := batches(names, statisticsBatchSize)
	counts := make(map[string]int, len(names))
	var mu sync.Mutex
	err := forEach(ctx, len(parts), fanOutLimit, func(ctx context.Context, i int) error {
		resp, err := a.c.onlineStatistics(ctx, a.st, a.region, a.smartagID, parts[i])
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		for _, s := range resp.UserStatistics.Statistics {
			n, err := strconv.Atoi(strings.TrimSpace(s.OnlineCount))
			if err != nil || n < 0 {
				a.w.add("the online count of account %s is %s, not a count; its sessions are listed anyway", quoted(a.c.scrub, s.UserName), quoted(a.c.scrub, s.OnlineCount))
				n = -1
			}
			counts[s.UserName] = n
		}
		return nil
	})
	return counts, err
}

// sessions lists the clients of every account whose count is not zero. An
// account absent from the statistics has none online; one whose session
// ended since it was counted simply has none.
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
		clients := convertOnlineClients(resp.Users.User, a.w, a.c.scrub, online[i])
		requestID := a.c.scrub.scrub(resp.RequestId)
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
