package smartagmock

import (
	"encoding/json"
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listedPage is one page of the client users listing as a client decodes it.
type listedPage struct {
	TotalCount int64 `json:"TotalCount"`
	Users      struct {
		User []struct {
			UserName string `json:"UserName"`
		} `json:"User"`
	} `json:"Users"`
}

func (p listedPage) names() []string {
	out := make([]string, len(p.Users.User))
	for i, u := range p.Users.User {
		out[i] = u.UserName
	}
	return out
}

// listPage asks the generated instance for one page of 10 accounts.
func listPage(t *testing.T, s *Server, number int) listedPage {
	t.Helper()
	p := baseParams(t, actionClientUsers, smartagVersion, SampleAccessKeyID, time.Now())
	p["RegionId"], p["SmartAGId"] = SampleRegion, GeneratedInstanceID
	p["PageNumber"], p["PageSize"] = strconv.Itoa(number), "10"
	a := rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
	if a.status != 200 {
		t.Fatalf("page %d: %d %s", number, a.status, a.body)
	}
	var lp listedPage
	if err := json.Unmarshal(a.body, &lp); err != nil {
		t.Fatalf("page %d: %v", number, err)
	}
	return lp
}

func TestListingFaults(t *testing.T) {
	for _, tc := range []struct {
		fault string
		// total is the TotalCount each of the pages 1 to 3 says; counts
		// how many accounts each holds; page2 what page 2 starts with.
		total  [3]int64
		counts [3]int
		page2  string
	}{
		{"", [3]int64{30, 30, 30}, [3]int{10, 10, 10}, "user00011"},
		{ListingShortPage, [3]int64{30, 30, 30}, [3]int{10, 5, 10}, "user00011"},
		{ListingRepeatPage, [3]int64{30, 30, 30}, [3]int{10, 10, 10}, "user00001"},
		{ListingHugeTotal, [3]int64{math.MaxInt64, math.MaxInt64, math.MaxInt64}, [3]int{10, 10, 10}, "user00011"},
		{ListingZeroTotal, [3]int64{0, 0, 0}, [3]int{10, 10, 10}, "user00011"},
		{ListingNegativeTotal, [3]int64{-1, -1, -1}, [3]int{10, 10, 10}, "user00011"},
		{ListingShiftingTotal, [3]int64{30, 31, 31}, [3]int{10, 10, 10}, "user00011"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			s := startServer(t, Options{GenerateUsers: 30, Faults: Faults{Listing: tc.fault}})
			for i := range 3 {
				p := listPage(t, s, i+1)
				if p.TotalCount != tc.total[i] || len(p.Users.User) != tc.counts[i] {
					t.Errorf("page %d: TotalCount %d with %d accounts, want %d with %d", i+1, p.TotalCount, len(p.Users.User), tc.total[i], tc.counts[i])
				}
				if i == 1 && (len(p.Users.User) == 0 || p.Users.User[0].UserName != tc.page2) {
					t.Errorf("page 2 starts with %v, want %s", p.names(), tc.page2)
				}
			}
		})
	}
}

// ListingTimes: the first listings lie, the ones after are true; a listing
// is counted by its page 1, so its other pages lie with it.
func TestListingFaults_times(t *testing.T) {
	s := startServer(t, Options{GenerateUsers: 30, Faults: Faults{Listing: ListingRepeatPage, ListingTimes: 1}})
	listPage(t, s, 1)
	if got := listPage(t, s, 2).names()[0]; got != "user00001" {
		t.Fatalf("first listing, page 2 starts with %s: not repeated", got)
	}
	listPage(t, s, 1)
	if got := listPage(t, s, 2).names()[0]; got != "user00011" {
		t.Fatalf("second listing, page 2 starts with %s: still repeated", got)
	}
	// SetFaults starts the counting again.
	s.SetFaults(Faults{Listing: ListingRepeatPage, ListingTimes: 1})
	listPage(t, s, 1)
	if got := listPage(t, s, 2).names()[0]; got != "user00001" {
		t.Fatalf("after SetFaults, page 2 starts with %s", got)
	}
}

func TestListingFaults_gateways(t *testing.T) {
	s := startServer(t, Options{Faults: Faults{Listing: ListingHugeTotal}})
	a := auditCall(t, s, actionGateways)
	var d struct{ TotalCount int64 }
	if err := json.Unmarshal(a.body, &d); err != nil || d.TotalCount != math.MaxInt64 {
		t.Fatalf("gateways: %v, TotalCount %d: %s", err, d.TotalCount, a.body)
	}
}

func TestListingFaults_missingName(t *testing.T) {
	s := startServer(t, Options{Faults: Faults{Listing: ListingMissingName, ListingTimes: 1}})
	ask := func() []string {
		t.Helper()
		p := baseParams(t, actionStatistics, smartagVersion, SampleAccessKeyID, time.Now())
		p["RegionId"], p["SmartAGId"] = SampleRegion, SampleInstanceID
		p["UserNames.1"], p["UserNames.2"] = "alice", "bob"
		a := rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
		var d struct {
			UserStatistics struct{ Statistics []struct{ UserName string } }
		}
		if err := json.Unmarshal(a.body, &d); err != nil {
			t.Fatalf("%v: %s", err, a.body)
		}
		var names []string
		for _, st := range d.UserStatistics.Statistics {
			names = append(names, st.UserName)
		}
		return names
	}
	if got := strings.Join(ask(), ","); got != "bob" {
		t.Errorf("first batch: %s, want alice left out", got)
	}
	if got := strings.Join(ask(), ","); got != "alice,bob" {
		t.Errorf("second batch: %s, want both", got)
	}
}

func TestEmptyEntries(t *testing.T) {
	s := startServer(t, Options{Faults: Faults{EmptyEntries: 1000}})
	p := describeParams(t, SampleInstanceID, "alice")
	a := rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
	d := a.wantOnline(t)
	if len(d.Users.User) != 1000 || d.RequestID == "" || d.Users.User[999].ClientIP != "" {
		t.Fatalf("%d entries, RequestId %q", len(d.Users.User), d.RequestID)
	}
	if want := 3*1000 - 1; !strings.Contains(string(a.body), strings.Repeat("{},", 999)+"{}") || len(a.body) < want {
		t.Fatalf("not a body of empty objects: %.80s…", a.body)
	}

	p = describeParams(t, SampleInstanceID, "alice")
	p["Format"] = "XML"
	a = rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
	var x struct {
		Users struct {
			User []struct{} `xml:"User"`
		}
		RequestID string `xml:"RequestId"`
	}
	if err := xml.Unmarshal(a.body, &x); err != nil || len(x.Users.User) != 1000 || x.RequestID == "" {
		t.Fatalf("XML: %v, %d entries: %.200s", err, len(x.Users.User), a.body)
	}
}

func TestListingFaults_validate(t *testing.T) {
	for _, f := range []Faults{{Listing: "sometimes"}, {ListingTimes: -1}, {EmptyEntries: -1}, {EmptyEntries: maxEmptyEntries + 1}} {
		if err := f.Validate(); err == nil {
			t.Errorf("%+v: no error", f)
		}
		if n := f.normalized(); n.Validate() != nil {
			t.Errorf("%+v normalized to %+v, still invalid", f, n)
		}
	}
	for _, kind := range ListingFaults {
		if err := (Faults{Listing: kind, ListingTimes: 2, EmptyEntries: 5}).Validate(); err != nil {
			t.Errorf("%s: %v", kind, err)
		}
	}
}
