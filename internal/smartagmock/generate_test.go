package smartagmock

import (
	"fmt"
	"net/http"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

func TestGenerateInstanceShape(t *testing.T) {
	now := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	in := GenerateInstance("sag-gen1", "cn-beijing", 300, 10, now)
	if in.SmartAGID != "sag-gen1" || in.Region != "cn-beijing" || len(in.Users) != 300 {
		t.Fatalf("instance %s %s with %d users", in.SmartAGID, in.Region, len(in.Users))
	}
	ips := map[string]bool{}
	online, disabled := 0, 0
	for i, u := range in.Users {
		n := i + 1
		if u.UserName != fmt.Sprintf("user%05d", n) || u.UserMail != u.UserName+"@example.com" || u.BandwidthKbps <= 0 {
			t.Fatalf("user %d: %+v", n, u)
		}
		if u.IsEnabled() == (n%97 == 0) {
			t.Fatalf("user %d enabled=%v", n, u.IsEnabled())
		}
		if !u.IsEnabled() {
			disabled++
		}
		wantClients := 0
		if n%10 == 0 {
			wantClients = 1
		}
		if len(u.Clients) != wantClients {
			t.Fatalf("user %d has %d clients, want %d", n, len(u.Clients), wantClients)
		}
		for _, c := range u.Clients {
			online++
			ip, err := netip.ParseAddr(c.ClientIP)
			if err != nil || !ip.IsPrivate() || ips[c.ClientIP] {
				t.Fatalf("user %d: client IP %q (private, distinct?)", n, c.ClientIP)
			}
			ips[c.ClientIP] = true
			sec, err := strconv.ParseInt(c.OnlineTime, 10, 64)
			if err != nil || sec >= now.Unix() || sec < now.Add(-24*time.Hour).Unix() {
				t.Fatalf("user %d online at %s, want within the day before %d", n, c.OnlineTime, now.Unix())
			}
		}
	}
	if online != 30 || disabled != 3 {
		t.Fatalf("%d online, %d disabled; want 30 and 3", online, disabled)
	}
	if !reflect.DeepEqual(in, GenerateInstance("sag-gen1", "cn-beijing", 300, 10, now)) {
		t.Fatal("not deterministic")
	}
	fx := &Fixture{Credentials: []Credential{{AccessKeyID: "a", AccessKeySecret: "b"}}, Instances: []Instance{in}}
	if err := fx.Validate(); err != nil {
		t.Fatalf("generated instance is not a valid fixture: %v", err)
	}
	for _, every := range []int{0, -3} {
		for _, u := range GenerateInstance("sag-gen1", "cn-beijing", 50, every, now).Users {
			if len(u.Clients) != 0 {
				t.Fatalf("onlineEvery %d: %s online", every, u.UserName)
			}
		}
	}
}

func TestGeneratedInstanceServed(t *testing.T) {
	const users = 10000
	s := startServer(t, Options{GenerateUsers: users})
	c := sampleClient(t, s, SampleRegion)

	req := smartag.CreateDescribeSmartAccessGatewayClientUsersRequest()
	req.RegionId, req.SmartAGId = SampleRegion, GeneratedInstanceID
	req.PageNumber, req.PageSize = requests.NewInteger(100), requests.NewInteger(100)
	page, err := c.DescribeSmartAccessGatewayClientUsers(req)
	if err != nil {
		t.Fatal(err)
	}
	last := page.Users.User
	if page.TotalCount != users || len(last) != 100 || last[0].UserName != "user09901" || last[99].UserName != "user10000" {
		t.Fatalf("last page: total %d, %d users from %s", page.TotalCount, len(last), userNames(last))
	}
	for i, u := range last {
		if n := 9901 + i; (u.State == 1) != (n%97 == 0) {
			t.Fatalf("user%05d state %d", n, u.State)
		}
	}
	names := make([]string, 0, 50)
	for i := 1; i <= 50; i++ {
		names = append(names, fmt.Sprintf("user%05d", i*7))
	}
	stats, err := statistics(c, "JSON", GeneratedInstanceID, names...)
	if err != nil || len(stats.UserStatistics.Statistics) != 50 {
		t.Fatalf("statistics: %v %+v", err, stats)
	}
	for i, st := range stats.UserStatistics.Statistics {
		want := "0"
		if (i+1)*7%DefaultOnlineEvery == 0 {
			want = "1"
		}
		if st.UserName != names[i] || st.OnlineCount != want {
			t.Fatalf("statistics %d: %+v, want %s=%s", i, st, names[i], want)
		}
	}
	online, err := sdkDescribe(c, SampleRegion, GeneratedInstanceID, "user00970", "")
	if err != nil || len(online.Users.User) != 1 || !strings.HasPrefix(online.Users.User[0].ClientIp, "10.") {
		t.Fatalf("user00970 (every 10th, and disabled): %v %+v", err, online)
	}
	gws, err := listGateways(c, "JSON", SampleRegion, func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.SmartAGId = GeneratedInstanceID })
	if err != nil || gws.TotalCount != 1 || gws.SmartAccessGateways.SmartAccessGateway[0].UserCount != users {
		t.Fatalf("gateways: %v %+v", err, gws)
	}
}

func TestGenerateOptions(t *testing.T) {
	onlineUsers := func(h *Handler) int {
		n := 0
		for _, a := range h.instances[GeneratedInstanceID].accounts {
			if len(a.online) > 0 {
				n++
			}
		}
		return n
	}
	for _, tc := range []struct{ every, want int }{{0, 10}, {-1, 0}, {25, 4}} {
		h, err := NewHandler(Options{GenerateUsers: 100, OnlineEvery: tc.every})
		if err != nil {
			t.Fatal(err)
		}
		if got := onlineUsers(h); got != tc.want {
			t.Errorf("OnlineEvery %d: %d online, want %d", tc.every, got, tc.want)
		}
	}
	fx := SampleFixtureAt(SampleReferenceTime)
	fx.Instances = append(fx.Instances, Instance{SmartAGID: GeneratedInstanceID, Region: "cn-beijing"})
	if _, err := NewHandler(Options{Fixture: fx, GenerateUsers: 1}); err == nil || !strings.Contains(err.Error(), GeneratedInstanceID) {
		t.Fatalf("clash with the fixture: %v", err)
	}
	for _, n := range []int{-1, MaxGeneratedUsers + 1} {
		if _, err := NewHandler(Options{GenerateUsers: n}); err == nil {
			t.Errorf("GenerateUsers %d accepted", n)
		}
	}
	if !idrules.SmartAGIDPattern.MatchString(GeneratedInstanceID) || strings.ToLower(GeneratedInstanceID) != GeneratedInstanceID {
		t.Fatal("GeneratedInstanceID is not a plausible id")
	}
}

// BenchmarkGeneratedInstance measures one request of each kind against the
// 10,000-account instance, through the whole handler (signature included).
func BenchmarkGeneratedInstance(b *testing.B) {
	h, err := NewHandler(Options{Fixture: SampleFixtureAt(SampleReferenceTime), GenerateUsers: 10000})
	if err != nil {
		b.Fatal(err)
	}
	for _, action := range []string{actionDescribeOnline, actionStatistics, actionClientUsers} {
		b.Run(action, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				p := baseParams(b, action, smartagVersion, SampleAccessKeyID, time.Now())
				p["RegionId"], p["SmartAGId"], p["UserName"] = SampleRegion, GeneratedInstanceID, fmt.Sprintf("user%05d", 1+i%10000)
				p["UserNames.1"], p["PageSize"], p["PageNumber"] = p["UserName"], "100", strconv.Itoa(1+i%100)
				if action == actionClientUsers {
					delete(p, "UserName")
				}
				p["Signature"] = testSign(http.MethodPost, p, SampleAccessKeySecret)
				if rec := serveForm(h, p); rec.Code != http.StatusOK {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
