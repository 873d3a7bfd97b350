package sagclient

import (
	"context"
	"sync"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// accountListing is the listing of every account of the audited instance.
func (a *audit) accountListing() pagedListing[smartag.User] {
	return pagedListing[smartag.User]{
		action:    ActionDescribeSmartAccessGatewayClientUsers,
		about:     Subject{SmartAGID: a.smartagID},
		pageSize:  clientUsersPageSize,
		entryName: "UserName",
		key:       func(u smartag.User) string { return u.UserName },
		scrub:     a.c.scrub,
		fetch: func(ctx context.Context, page int) (listedPage[smartag.User], error) {
			resp, err := a.c.clientUsersPage(ctx, a.st, a.region, a.smartagID, "", page)
			if err != nil {
				return listedPage[smartag.User]{}, err
			}
			return resp.listed(), nil
		},
	}
}

func (r *clientUsersAnswer) listed() listedPage[smartag.User] {
	return listedPage[smartag.User]{requestID: r.RequestID, total: r.TotalCount, number: r.PageNumber, entries: r.Users}
}

// allAccounts lists every account, proved complete (see listAll).
func (a *audit) allAccounts(ctx context.Context) (map[string]smartag.User, error) {
	users, err := listAll(ctx, a.accountListing(), nil)
	if err != nil {
		return nil, a.listingError(err)
	}
	accounts := make(map[string]smartag.User, len(users))
	for _, u := range users {
		accounts[u.UserName] = u
	}
	return accounts, nil
}

// namedAccounts finds the named accounts with the fewest requests: the
// first page, then whichever is cheaper of the remaining pages (a listing
// proved complete) or one filtered request per name still missing.
func (a *audit) namedAccounts(ctx context.Context, names []string) (map[string]smartag.User, error) {
	wanted := map[string]bool{}
	for _, n := range names {
		wanted[n] = true
	}
	l := a.accountListing()
	first, err := l.fetch(ctx, 1)
	if err != nil {
		return nil, a.listingError(err)
	}
	accounts := map[string]smartag.User{}
	pages, problem := pageCount(first.total, clientUsersPageSize)
	if problem != "" || l.checkPage(1, pages, &first, &first) != nil {
		// Page 1 contradicts itself: only a listing read again can say
		// which accounts there are.
		return a.namedFromListing(ctx, l, nil, wanted)
	}
	a.merge(accounts, first.entries, wanted)
	missing := missingNames(wanted, accounts)
	if len(missing) == 0 {
		return accounts, nil
	}
	if len(missing) >= pages-1 {
		return a.namedFromListing(ctx, l, &first, wanted)
	}
	var (
		mu          sync.Mutex
		contradicts bool
	)
	err = forEach(ctx, len(missing), fanOutLimit, func(ctx context.Context, i int) error {
		resp, err := a.c.clientUsersPage(ctx, a.st, a.region, a.smartagID, missing[i], 1)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		if !filteredAnswerHolds(resp, missing[i]) {
			contradicts = true
			return nil
		}
		a.merge(accounts, resp.Users, wanted)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if contradicts {
		// A filtered answer that contradicts itself proves nothing, not
		// even that the name is unknown: only the whole listing, proved
		// complete, can say.
		return a.namedFromListing(ctx, l, &first, wanted)
	}
	if unknown := missingNames(wanted, accounts); len(unknown) > 0 {
		return nil, &UnknownAccountsError{SmartAGID: a.smartagID, Names: unknown}
	}
	return accounts, nil
}

// filteredAnswerHolds reports whether an answer filtered by UserName name
// is consistent: no entry or the one named, and a TotalCount that says so.
func filteredAnswerHolds(resp *clientUsersAnswer, name string) bool {
	switch len(resp.Users) {
	case 0:
		return resp.TotalCount == 0
	case 1:
		return resp.TotalCount == 1 && resp.Users[0].UserName == name
	default:
		return false
	}
}

// namedFromListing keeps the wanted accounts of the whole listing.
func (a *audit) namedFromListing(ctx context.Context, l pagedListing[smartag.User], first *listedPage[smartag.User], wanted map[string]bool) (map[string]smartag.User, error) {
	users, err := listAll(ctx, l, first)
	if err != nil {
		return nil, a.listingError(err)
	}
	accounts := map[string]smartag.User{}
	a.merge(accounts, users, wanted)
	if unknown := missingNames(wanted, accounts); len(unknown) > 0 {
		return nil, &UnknownAccountsError{SmartAGID: a.smartagID, Names: unknown}
	}
	return accounts, nil
}
