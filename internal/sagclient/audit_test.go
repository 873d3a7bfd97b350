package sagclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeInstance answers the three audit actions for one instance from Go
// values, and records what it was asked.
type fakeInstance struct {
	mu     sync.Mutex
	users  []fakeUser
	online map[string][]fakeSession
	// counts overrides the online count the statistics report for a name.
	counts map[string]string
	// fail answers this error to the request an "<Action> <name>" key
	// names (the name is UserName, or "" for a listing page).
	fail map[string]answer
	// pages overrides the users of a listing page.
	pages func(page int) []fakeUser
	// filteredPage overrides what a listing filtered by name answers.
	filteredPage func(name string) (users []fakeUser, total int)
	// total overrides TotalCount; zeroTotal makes it 0.
	total     int
	zeroTotal bool
	// absent leaves a name out of that many statistics answers.
	absent   map[string]int
	asked    map[string]int
	batches  [][]string
	filtered []string
}

type fakeUser struct {
	Name, Mail string
	State, Bw  int
}

type fakeSession struct{ IP, Time string }

func newFakeInstance(n, onlineEvery int) *fakeInstance {
	f := &fakeInstance{online: map[string][]fakeSession{}, counts: map[string]string{}, fail: map[string]answer{}, asked: map[string]int{}, absent: map[string]int{}}
	for i := 1; i <= n; i++ {
		name := fmt.Sprintf("user%04d", i)
		f.users = append(f.users, fakeUser{Name: name, Mail: name + "@example.com", Bw: 1000 + i})
		if onlineEvery > 0 && i%onlineEvery == 0 {
			f.online[name] = []fakeSession{{IP: fmt.Sprintf("10.0.%d.%d", i/256, i%256), Time: strconv.Itoa(1764300000 + i)}}
		}
	}
	return f
}

func (f *fakeInstance) serve(t *testing.T) *fakeEndpoint {
	return newFakeEndpoint(t, func(_ int, r *http.Request) answer {
		f.mu.Lock()
		defer f.mu.Unlock()
		action := r.Form.Get("Action")
		f.asked[action]++
		key := action + " " + r.Form.Get("UserName")
		if a, ok := f.fail[key]; ok {
			return a
		}
		reqID := fmt.Sprintf("REQ-%s-%d", action, f.asked[action])
		switch action {
		case ActionDescribeSmartAccessGatewayClientUsers:
			return f.listUsers(r, reqID)
		case ActionDescribeUserOnlineClientStatistics:
			return f.statistics(r, reqID)
		case ActionDescribeUserOnlineClients:
			var users []map[string]string
			for _, s := range f.online[r.Form.Get("UserName")] {
				users = append(users, map[string]string{"ClientIp": s.IP, "OnlineTime": s.Time})
			}
			return jsonAnswer(map[string]any{"RequestId": reqID, "Users": map[string]any{"User": users}})
		}
		return apiError(404, "InvalidAction.NotFound", reqID)
	})
}

func (f *fakeInstance) listUsers(r *http.Request, reqID string) answer {
	page, _ := strconv.Atoi(r.Form.Get("PageNumber"))
	size, _ := strconv.Atoi(r.Form.Get("PageSize"))
	users := f.users
	if name := r.Form.Get("UserName"); name != "" {
		f.filtered = append(f.filtered, name)
		users = nil
		for _, u := range f.users {
			if u.Name == name {
				users = append(users, u)
			}
		}
	}
	total := len(users)
	var onPage []fakeUser
	if name := r.Form.Get("UserName"); name != "" && f.filteredPage != nil {
		onPage, total = f.filteredPage(name)
	} else if f.pages != nil {
		onPage = f.pages(page)
	} else if from := (page - 1) * size; from < len(users) {
		onPage = users[from:min(from+size, len(users))]
	}
	if f.total != 0 {
		total = f.total
	}
	if f.zeroTotal {
		total = 0
	}
	list := []map[string]any{}
	for _, u := range onPage {
		list = append(list, map[string]any{"UserName": u.Name, "UserMail": u.Mail, "State": u.State, "Bandwidth": u.Bw, "ClientIp": ""})
	}
	return jsonAnswer(map[string]any{"RequestId": reqID, "TotalCount": total, "PageNumber": page, "PageSize": size, "Users": map[string]any{"User": list}})
}

func (f *fakeInstance) statistics(r *http.Request, reqID string) answer {
	var names []string
	for i := 1; ; i++ {
		n, ok := r.Form["UserNames."+strconv.Itoa(i)]
		if !ok {
			break
		}
		names = append(names, n[0])
	}
	f.batches = append(f.batches, names)
	stats := []map[string]string{}
	for _, n := range names {
		if !slices.ContainsFunc(f.users, func(u fakeUser) bool { return u.Name == n }) {
			continue // absent, as the API does
		}
		if f.absent[n] > 0 {
			f.absent[n]--
			continue
		}
		count, ok := f.counts[n]
		if !ok {
			count = strconv.Itoa(len(f.online[n]))
		}
		stats = append(stats, map[string]string{"UserName": n, "OnlineCount": count})
	}
	return jsonAnswer(map[string]any{"RequestId": reqID, "UserStatistics": map[string]any{"Statistics": stats}})
}

func jsonAnswer(v any) answer {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return ok(string(b))
}

func runAudit(t *testing.T, f *fakeInstance, names []string) (*AuditInstanceOutput, error) {
	t.Helper()
	c := newTestClient(t, f.serve(t).endpoint(t))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return c.AuditInstance(ctx, AuditInstanceInput{SmartAGID: "sag-abc123", UserNames: names})
}

func TestAudit_fewestRequestsAndOrder(t *testing.T) {
	f := newFakeInstance(250, 10)
	// One account with sessions out of order, two at the same instant.
	f.online["user0020"] = []fakeSession{{"10.9.0.3", "1764300300"}, {"10.9.0.2", "1764300100"}, {"10.9.0.1", "1764300300"}, {"10.9.0.9", "99"}}
	out, err := runAudit(t, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		ActionDescribeSmartAccessGatewayClientUsers: 3, // 250 / 100
		ActionDescribeUserOnlineClientStatistics:    5, // 250 / 50
		ActionDescribeUserOnlineClients:             25,
	}
	for action, n := range want {
		if f.asked[action] != n || out.Stats.ByAction[action] != n {
			t.Errorf("%s: %d requests sent, %d counted; want %d", action, f.asked[action], out.Stats.ByAction[action], n)
		}
	}
	for _, b := range f.batches {
		if len(b) > statisticsBatchSize {
			t.Errorf("a statistics batch of %d names", len(b))
		}
	}
	if len(out.Accounts) != 250 || out.Region != "cn-shanghai" {
		t.Fatalf("%d accounts in %q", len(out.Accounts), out.Region)
	}
	if !slices.IsSortedFunc(out.Accounts, func(a, b Account) int { return strings.Compare(a.UserName, b.UserName) }) {
		t.Error("accounts are not sorted by name")
	}
	if a := out.Accounts[0]; a.UserName != "user0001" || a.UserMail != "user0001@example.com" || !a.Enabled || a.BandwidthKbps != 1001 || a.OnlineCount != 0 {
		t.Errorf("first account %+v", a)
	}
	var u20 []string
	total := 0
	for _, a := range out.Accounts {
		total += a.OnlineCount
	}
	for _, c := range out.Clients {
		if c.UserName == "user0020" {
			u20 = append(u20, c.OnlineTime+"/"+c.ClientIP)
		}
	}
	if want := []string{"99/10.9.0.9", "1764300100/10.9.0.2", "1764300300/10.9.0.1", "1764300300/10.9.0.3"}; !slices.Equal(u20, want) {
		t.Errorf("user0020's sessions in order %v, want %v (numeric time, then address)", u20, want)
	}
	if total != len(out.Clients) || len(out.Clients) != 24+4 {
		t.Errorf("online counts sum to %d for %d clients", total, len(out.Clients))
	}
	if !slices.IsSortedFunc(out.Clients, compareClients) {
		t.Error("clients are not sorted")
	}
}

func TestAudit_sessionEndedBetweenCountAndDetails(t *testing.T) {
	f := newFakeInstance(3, 0)
	f.counts["user0002"] = "1" // counted online, gone when listed
	out, err := runAudit(t, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.asked[ActionDescribeUserOnlineClients] != 1 || len(out.Clients) != 0 || out.Accounts[1].OnlineCount != 0 {
		t.Errorf("details asked %d times, %d clients, account %+v", f.asked[ActionDescribeUserOnlineClients], len(out.Clients), out.Accounts[1])
	}
}

func TestAudit_countThatIsNotANumberIsListedWithAWarning(t *testing.T) {
	f := newFakeInstance(3, 0)
	f.counts["user0003"] = "many"
	f.online["user0003"] = []fakeSession{{"10.1.1.1", "1764300000"}}
	out, err := runAudit(t, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Clients) != 1 || len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], `"many"`) {
		t.Errorf("clients %v, warnings %q", out.Clients, out.Warnings)
	}
}

func TestAudit_anErrorFailsTheWholeAuditNamingTheAccount(t *testing.T) {
	f := newFakeInstance(300, 3)
	f.fail[ActionDescribeUserOnlineClients+" user0042"] = apiError(403, "Forbidden.RAM", "REQ-DENIED")
	out, err := runAudit(t, f, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || out != nil {
		t.Fatalf("want an API error and no output, got %v, %v", out, err)
	}
	if apiErr.Action != ActionDescribeUserOnlineClients || apiErr.About.UserName != "user0042" || apiErr.About.SmartAGID != "sag-abc123" || apiErr.RequestID != "REQ-DENIED" {
		t.Errorf("error %+v", apiErr)
	}
	if !strings.Contains(err.Error(), `account "user0042" of sag-abc123`) {
		t.Errorf("the message does not name the account: %v", err)
	}
}

func TestAudit_listingErrorNamesThePage(t *testing.T) {
	f := newFakeInstance(10, 0)
	f.fail[ActionDescribeSmartAccessGatewayClientUsers+" "] = apiError(400, "SAG.InstanceNoFound", "REQ-NF")
	_, err := runAudit(t, f, nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != "SAG.InstanceNoFound" || apiErr.About.Page != 1 {
		t.Fatalf("got %v", err)
	}
}

func TestAudit_userNamesOnSmallInstanceUseTheFirstPage(t *testing.T) {
	f := newFakeInstance(30, 10)
	out, err := runAudit(t, f, []string{"user0010", "user0011"})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.asked[ActionDescribeSmartAccessGatewayClientUsers]; got != 1 {
		t.Errorf("%d listing requests, want 1", got)
	}
	if len(out.Accounts) != 2 || out.Accounts[0].UserName != "user0010" || out.Accounts[0].OnlineCount != 1 || out.Accounts[1].OnlineCount != 0 {
		t.Errorf("accounts %+v", out.Accounts)
	}
	if f.asked[ActionDescribeUserOnlineClients] != 1 || len(f.batches) != 1 || len(f.batches[0]) != 2 {
		t.Errorf("details %d, batches %v", f.asked[ActionDescribeUserOnlineClients], f.batches)
	}
}

func TestAudit_userNamesOnLargeInstanceAreFilteredByName(t *testing.T) {
	f := newFakeInstance(1000, 0)
	out, err := runAudit(t, f, []string{"user0001", "user0500", "user0999"})
	if err != nil {
		t.Fatal(err)
	}
	// Page 1 has user0001; the other two cost one filtered request each,
	// not nine more pages.
	slices.Sort(f.filtered)
	if got := f.asked[ActionDescribeSmartAccessGatewayClientUsers]; got != 3 || !slices.Equal(f.filtered, []string{"user0500", "user0999"}) {
		t.Errorf("%d listing requests, filtered on %v", got, f.filtered)
	}
	if len(out.Accounts) != 3 {
		t.Errorf("accounts %+v", out.Accounts)
	}
}

// A filtered answer that contradicts itself (another account, several, or
// a TotalCount that does not match) proves nothing: the audit reads the
// whole listing instead, and finds the names there.
func TestAudit_contradictoryFilteredAnswerFallsBackToTheListing(t *testing.T) {
	for name, lie := range map[string]func(f *fakeInstance, name string) ([]fakeUser, int){
		"another account":   func(f *fakeInstance, _ string) ([]fakeUser, int) { return f.users[1:2], 1 },
		"a whole page":      func(f *fakeInstance, _ string) ([]fakeUser, int) { return f.users[:100], 1 },
		"none, but counted": func(*fakeInstance, string) ([]fakeUser, int) { return nil, 1 },
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeInstance(1000, 0)
			f.filteredPage = func(name string) ([]fakeUser, int) { return lie(f, name) }
			out, err := runAudit(t, f, []string{"user0001", "user0500", "user0999"})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Accounts) != 3 || out.Accounts[1].UserName != "user0500" || out.Accounts[2].UserName != "user0999" {
				t.Errorf("accounts %+v", out.Accounts)
			}
			// Page 1, two filtered requests, then pages 2 to 10.
			if got := f.asked[ActionDescribeSmartAccessGatewayClientUsers]; got != 12 {
				t.Errorf("%d listing requests, want 12", got)
			}
		})
	}
}

func TestAudit_unknownUserNamesAreAnError(t *testing.T) {
	f := newFakeInstance(250, 0)
	_, err := runAudit(t, f, []string{"user0001", "alcie", "bob"})
	var unknown *UnknownAccountsError
	if !errors.As(err, &unknown) || !slices.Equal(unknown.Names, []string{"alcie", "bob"}) {
		t.Fatalf("got %v", err)
	}
	if f.asked[ActionDescribeUserOnlineClientStatistics] != 0 {
		t.Error("statistics were asked for an audit that cannot be complete")
	}
}
