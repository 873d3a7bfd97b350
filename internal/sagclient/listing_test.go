package sagclient

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// listings counts the readings of a fake instance's account listing (its
// page-1 requests), for faults that apply to the first readings only.
type listings struct{ n atomic.Int32 }

func (l *listings) page(page int) int {
	if page == 1 {
		l.n.Add(1)
	}
	return int(l.n.Load())
}

func wantInconsistent(t *testing.T, err error, action string, page int, problem string) {
	t.Helper()
	var e *InconsistentListingError
	if !errors.As(err, &e) {
		t.Fatalf("want an InconsistentListingError, got %T %v", err, err)
	}
	if e.Action != action || e.Page != page || !strings.Contains(e.Problem, problem) || len(e.RequestIDs) == 0 || e.First == nil {
		t.Fatalf("want %s page %d %q with request IDs and the first reading, got %+v: %v", action, page, problem, e, err)
	}
	for _, id := range e.RequestIDs {
		if !strings.Contains(err.Error(), id) {
			t.Errorf("the message lacks request ID %s: %v", id, err)
		}
	}
}

// The four wrong listings of 300 accounts, each online once: every
// one fails the audit after one more reading, never passing 250, 200 or 100
// accounts off as the instance.
func TestAudit_inconsistentListingsFailAfterOneMoreReading(t *testing.T) {
	for name, tc := range map[string]struct {
		pages   func(f *fakeInstance, page int) []fakeUser
		total   int
		page    int
		problem string
		// requests bounds the listing requests of both readings: the pages
		// after page 1 go out together, and a bad one may cancel the
		// others before they are sent.
		requests [2]int
	}{
		"page 2 holds 50 of its 100": {
			pages: func(f *fakeInstance, page int) []fakeUser {
				if page == 2 {
					return f.users[100:150]
				}
				return f.users[(page-1)*100 : page*100]
			},
			page: 2, problem: "expected 100 entries (TotalCount 300, 100 a page), got 50", requests: [2]int{4, 6},
		},
		"page 2 repeats page 1": {
			pages: func(f *fakeInstance, page int) []fakeUser {
				if page == 2 {
					return f.users[:100]
				}
				return f.users[(page-1)*100 : page*100]
			},
			page: 2, problem: `UserName "user0001" is listed again (already on page 1)`, requests: [2]int{4, 6},
		},
		"TotalCount overflows": {total: math.MaxInt64, page: 1, problem: "got a TotalCount of 9223372036854775807", requests: [2]int{2, 2}},
		"TotalCount 0 beside a full page": {
			pages: func(f *fakeInstance, page int) []fakeUser { return f.users[:100] },
			total: -1, page: 1, problem: "expected 0 entries (TotalCount 0, 100 a page), got 100", requests: [2]int{2, 2},
		},
		"TotalCount negative": {total: -5, page: 1, problem: "expected a TotalCount of 0 or more, got -5", requests: [2]int{2, 2}},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeInstance(300, 1)
			if tc.pages != nil {
				f.pages = func(page int) []fakeUser { return tc.pages(f, page) }
			}
			switch {
			case tc.total == -1:
				f.total = 0
				f.zeroTotal = true
			case tc.total != 0:
				f.total = tc.total
			}
			out, err := runAudit(t, f, nil)
			if out != nil {
				t.Fatalf("an output of %d accounts beside %v", len(out.Accounts), err)
			}
			wantInconsistent(t, err, ActionDescribeSmartAccessGatewayClientUsers, tc.page, tc.problem)
			if got := f.count(ActionDescribeSmartAccessGatewayClientUsers); got < tc.requests[0] || got > tc.requests[1] {
				t.Errorf("%d listing requests, want %d to %d", got, tc.requests[0], tc.requests[1])
			}
			if f.count(ActionDescribeUserOnlineClientStatistics) != 0 {
				t.Error("statistics were asked for accounts that could not be listed")
			}
		})
	}
}

// An instance that changed under the first reading is read again, and the
// second, consistent reading is the audit.
func TestAudit_secondConsistentReadingIsTheAudit(t *testing.T) {
	// minRequests: pages 2 and 3 are asked for concurrently, and a bad
	// page found early stops the other, so the first reading may cost 2
	// requests or 3; the second, consistent one always costs 3.
	for name, tc := range map[string]struct {
		pages       func(f *fakeInstance, l *listings, page int) []fakeUser
		minRequests int
	}{
		"short page": {func(f *fakeInstance, l *listings, page int) []fakeUser {
			if l.page(page) == 1 && page == 2 {
				return f.users[100:150]
			}
			return f.users[(page-1)*100 : min(page*100, 300)]
		}, 5},
		// Overlap is only seen once every page is in.
		"overlapping pages": {func(f *fakeInstance, l *listings, page int) []fakeUser {
			if l.page(page) == 1 && page == 2 {
				return f.users[99:199]
			}
			return f.users[(page-1)*100 : min(page*100, 300)]
		}, 6},
		"TotalCount changes": {func(f *fakeInstance, l *listings, page int) []fakeUser {
			f.total = 300
			if l.page(page) == 1 && page == 3 {
				f.total = 301
			}
			return f.users[(page-1)*100 : min(page*100, 300)]
		}, 5},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeInstance(300, 1)
			var l listings
			f.pages = func(page int) []fakeUser { return tc.pages(f, &l, page) }
			out, err := runAudit(t, f, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Accounts) != 300 || len(out.Clients) != 300 {
				t.Errorf("%d accounts, %d clients; want 300 each", len(out.Accounts), len(out.Clients))
			}
			if got := f.count(ActionDescribeSmartAccessGatewayClientUsers); got < tc.minRequests || got > 6 {
				t.Errorf("%d listing requests, want %d to 6 (two readings of 3 pages, the first maybe cut short)", got, tc.minRequests)
			}
		})
	}
}

func TestAudit_accountWithoutNameIsInconsistent(t *testing.T) {
	f := newFakeInstance(3, 0)
	f.users[1].Name = ""
	_, err := runAudit(t, f, nil)
	wantInconsistent(t, err, ActionDescribeSmartAccessGatewayClientUsers, 1, "entry 1 has none")
}

func TestAudit_namedAccountsOnAnInconsistentFirstPage(t *testing.T) {
	f := newFakeInstance(30, 0)
	f.total = 5 // page 1 holds 30
	_, err := runAudit(t, f, []string{"user0001"})
	wantInconsistent(t, err, ActionDescribeSmartAccessGatewayClientUsers, 1, "expected 5 entries")
}

// A count missing from a statistics answer is asked for once more; missing
// twice, the audit fails, naming the batch and the account.
func TestAudit_missingCountIsAskedAgainThenFails(t *testing.T) {
	t.Run("once", func(t *testing.T) {
		f := newFakeInstance(120, 1)
		f.absent["user0077"] = 1
		out, err := runAudit(t, f, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Clients) != 120 || f.count(ActionDescribeUserOnlineClientStatistics) != 4 {
			t.Errorf("%d clients, %d statistics requests; want 120 and 4", len(out.Clients), f.count(ActionDescribeUserOnlineClientStatistics))
		}
		// The batches run concurrently: the one asked again is the fourth,
		// whichever order they ended in.
		f.mu.Lock()
		again := 0
		for _, b := range f.batches {
			if len(b) == 1 && b[0] == "user0077" {
				again++
			}
		}
		f.mu.Unlock()
		if again != 1 {
			t.Errorf("asked again %d times for user0077 alone, want once (batches %v)", again, f.batches)
		}
	})
	t.Run("twice", func(t *testing.T) {
		f := newFakeInstance(120, 1)
		f.absent["user0077"] = 2
		_, err := runAudit(t, f, nil)
		wantInconsistent(t, err, ActionDescribeUserOnlineClientStatistics, 2, `got 0: no count for "user0077"`)
		var e *InconsistentListingError
		if errors.As(err, &e); !strings.Contains(e.First.Problem, `got 49: no count for "user0077"`) {
			t.Errorf("the first answer's problem: %q", e.First.Problem)
		}
		if !strings.Contains(err.Error(), "batch 2") {
			t.Errorf("the message should name the batch: %v", err)
		}
	})
}

func TestListGateways_shortPageFailsAfterOneMoreReading(t *testing.T) {
	var asked atomic.Int32
	ep := newFakeEndpoint(t, func(_ int, r *http.Request) answer {
		n := asked.Add(1)
		page, _ := strconv.Atoi(r.Form.Get("PageNumber"))
		gws := []map[string]any{}
		count := []int{50, 10, 20}[page-1] // page 2 holds 10 of its 50

		for i := range count {
			gws = append(gws, map[string]any{"SmartAGId": fmt.Sprintf("sag-%d-%d", page, i)})
		}
		return jsonAnswer(map[string]any{"RequestId": fmt.Sprintf("REQ-GW-%d", n), "TotalCount": 120, "PageNumber": page,
			"SmartAccessGateways": map[string]any{"SmartAccessGateway": gws}})
	})
	c := newTestClient(t, ep.endpoint(t))
	_, err := c.ListGateways(context.Background(), ListGatewaysInput{})
	wantInconsistent(t, err, ActionDescribeSmartAccessGateways, 2, "expected 50 entries (TotalCount 120, 50 a page), got 10")
	// Page 3 goes out with page 2; it may be cancelled by page 2's failure.
	if got := asked.Load(); got < 4 || got > 6 {
		t.Errorf("%d requests, want 2 or 3 for each reading", got)
	}
}

func TestPageCount(t *testing.T) {
	for _, tc := range []struct {
		total   int64
		pages   int
		problem bool
	}{
		{0, 1, false}, {1, 1, false}, {100, 1, false}, {101, 2, false}, {1_000_000, 10_000, false},
		{1_000_001, 0, true}, {math.MaxInt64, 0, true}, {math.MaxInt64 - 50, 0, true}, {-1, 0, true}, {math.MinInt64, 0, true},
	} {
		pages, problem := pageCount(tc.total, 100)
		if pages != tc.pages || (problem != "") != tc.problem {
			t.Errorf("pageCount(%d, 100) = %d, %q", tc.total, pages, problem)
		}
	}
}

// count is how many requests of action the fake has answered; requests of
// a failed read may still be in flight, hence the lock.
func (f *fakeInstance) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.asked[action]
}
