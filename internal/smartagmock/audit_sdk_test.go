package smartagmock

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/smartag"
)

// The instance-wide audit actions through the real Go SDK, in JSON and XML.

var formats = []string{"JSON", "XML"}

func sampleClient(t *testing.T, s *Server, region string) *smartag.Client {
	t.Helper()
	return sdkClient(t, s, region, credentials.NewAccessKeyCredential(SampleAccessKeyID, SampleAccessKeySecret))
}

func listClientUsers(c *smartag.Client, format string, set func(*smartag.DescribeSmartAccessGatewayClientUsersRequest)) (*smartag.DescribeSmartAccessGatewayClientUsersResponse, error) {
	req := smartag.CreateDescribeSmartAccessGatewayClientUsersRequest()
	req.RegionId = SampleRegion
	req.SmartAGId = SampleInstanceID
	req.AcceptFormat = format
	if set != nil {
		set(req)
	}
	return c.DescribeSmartAccessGatewayClientUsers(req)
}

func userNames(users []smartag.User) string {
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.UserName
	}
	return strings.Join(names, ",")
}

func TestSDKClientUsers(t *testing.T) {
	s := startServer(t, Options{})
	c := sampleClient(t, s, SampleRegion)
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			resp, err := listClientUsers(c, format, nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.RequestId == "" || resp.TotalCount != 5 || resp.PageNumber != 1 || resp.PageSize != 10 {
				t.Fatalf("header fields: %+v", resp)
			}
			if got := userNames(resp.Users.User); got != "alice,bob,carol,dave,frank" {
				t.Fatalf("users %s, want the fixture order", got)
			}
			alice, frank := resp.Users.User[0], resp.Users.User[4]
			if alice.UserMail != "alice@example.com" || alice.State != 0 || alice.Bandwidth != 2000 || alice.AccelerateBandwidth != 0 || alice.ClientIp != "" {
				t.Fatalf("alice: %+v", alice)
			}
			if frank.UserMail != "frank@example.com" || frank.State != 1 || frank.Bandwidth != 1000 {
				t.Fatalf("frank (disabled): %+v", frank)
			}
			body := resp.GetHttpContentString()
			wantRoot := map[string]string{"JSON": `"TotalCount":5`, "XML": "<DescribeSmartAccessGatewayClientUsers><TotalCount>5</TotalCount>"}[format]
			if !strings.Contains(body, wantRoot) {
				t.Fatalf("body lacks %s: %s", wantRoot, body)
			}
		})
	}
}

func TestSDKClientUsersPaging(t *testing.T) {
	s := startServer(t, Options{})
	c := sampleClient(t, s, SampleRegion)
	pageOf := func(number, size int) func(*smartag.DescribeSmartAccessGatewayClientUsersRequest) {
		return func(r *smartag.DescribeSmartAccessGatewayClientUsersRequest) {
			r.PageNumber, r.PageSize = requests.NewInteger(number), requests.NewInteger(size)
		}
	}
	for _, tc := range []struct {
		number, size int
		want         string
	}{
		{1, 2, "alice,bob"}, {2, 2, "carol,dave"}, {3, 2, "frank"}, {4, 2, ""}, {1000, 100, ""}, {1, 100, "alice,bob,carol,dave,frank"},
	} {
		for _, format := range formats {
			resp, err := listClientUsers(c, format, pageOf(tc.number, tc.size))
			if err != nil {
				t.Fatalf("page %d/%d %s: %v", tc.number, tc.size, format, err)
			}
			if got := userNames(resp.Users.User); got != tc.want || resp.TotalCount != 5 || resp.PageNumber != tc.number || resp.PageSize != tc.size {
				t.Fatalf("page %d/%d %s: %q total %d page %d size %d", tc.number, tc.size, format, got, resp.TotalCount, resp.PageNumber, resp.PageSize)
			}
			if format == "JSON" && tc.want == "" && !strings.Contains(resp.GetHttpContentString(), `"User":[]`) {
				t.Fatalf("page past the end is not an empty list: %s", resp.GetHttpContentString())
			}
		}
	}
	for _, bad := range []struct{ name, number, size string }{
		{"PageSize", "1", "101"}, {"PageSize", "1", "0"}, {"PageSize", "1", "ten"}, {"PageSize", "1", "-5"},
		{"PageNumber", "0", "10"}, {"PageNumber", "1.5", "10"}, {"PageNumber", "99999999999", "10"},
	} {
		_, err := listClientUsers(c, "JSON", func(r *smartag.DescribeSmartAccessGatewayClientUsersRequest) {
			r.PageNumber, r.PageSize = requests.Integer(bad.number), requests.Integer(bad.size)
		})
		se := serverError(t, err, http.StatusBadRequest, "InvalidParameter")
		if !strings.Contains(se.Message(), bad.name) {
			t.Errorf("PageNumber=%s PageSize=%s: message does not name %s: %q", bad.number, bad.size, bad.name, se.Message())
		}
	}
}

func TestSDKClientUsersFilters(t *testing.T) {
	s := startServer(t, Options{})
	c := sampleClient(t, s, SampleRegion)
	for _, tc := range []struct {
		name, mail, want string
	}{
		{"dave", "", "dave"}, {"", "bob@example.com", "bob"}, {"frank", "frank@example.com", "frank"},
		{"alice", "bob@example.com", ""}, {"nobody", "", ""}, {"", "nobody@example.com", ""}, {"ALICE", "", ""},
	} {
		resp, err := listClientUsers(c, "JSON", func(r *smartag.DescribeSmartAccessGatewayClientUsersRequest) {
			r.UserName, r.UserMail = tc.name, tc.mail
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := userNames(resp.Users.User); got != tc.want || resp.TotalCount != len(resp.Users.User) {
			t.Errorf("UserName=%q UserMail=%q: %q (total %d), want %q", tc.name, tc.mail, got, resp.TotalCount, tc.want)
		}
	}
}

func TestSDKAuditActionsInstanceErrors(t *testing.T) {
	s := startServer(t, Options{})
	c := sampleClient(t, s, SampleRegion)
	hk := sampleClient(t, s, SampleHongKongRegion)
	stats := func(c *smartag.Client, region, id string) error {
		req := smartag.CreateDescribeUserOnlineClientStatisticsRequest()
		req.RegionId, req.SmartAGId, req.UserNames = region, id, &[]string{"alice"}
		_, err := c.DescribeUserOnlineClientStatistics(req)
		return err
	}
	users := func(c *smartag.Client, region, id string) error {
		req := smartag.CreateDescribeSmartAccessGatewayClientUsersRequest()
		req.RegionId, req.SmartAGId = region, id
		_, err := c.DescribeSmartAccessGatewayClientUsers(req)
		return err
	}
	for name, call := range map[string]func(*smartag.Client, string, string) error{"statistics": stats, "client users": users} {
		wantServerError(t, call(c, SampleRegion, ""), http.StatusBadRequest, "SAG.InstanceIdEmpty")
		wantServerError(t, call(c, SampleRegion, "sag-doesnotexist"), http.StatusBadRequest, "SAG.InstanceNoFound")
		wantServerError(t, call(hk, SampleHongKongRegion, SampleInstanceID), http.StatusBadRequest, "SAG.InstanceNoFound")
		if err := call(hk, SampleHongKongRegion, SampleHongKongInstanceID); err != nil {
			t.Errorf("%s on the Hong Kong instance: %v", name, err)
		}
	}

	// Without RegionId (the SDK always sends it, so by hand).
	for _, action := range []string{actionStatistics, actionClientUsers, actionGateways} {
		p := baseParams(t, action, smartagVersion, SampleAccessKeyID, time.Now())
		p["SmartAGId"], p["UserNames.1"] = SampleInstanceID, "alice"
		d := rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL).wantError(t, http.StatusBadRequest, "MissingParameter")
		if !strings.Contains(d.Message, `"RegionId"`) {
			t.Errorf("%s: %q does not name RegionId", action, d.Message)
		}
	}

	// The denied key, on each action.
	denied := sdkClient(t, s, SampleRegion, credentials.NewAccessKeyCredential(SampleDeniedAccessKeyID, SampleDeniedAccessKeySecret))
	gw := smartag.CreateDescribeSmartAccessGatewaysRequest()
	gw.RegionId = SampleRegion
	_, gwErr := denied.DescribeSmartAccessGateways(gw)
	for action, err := range map[string]error{
		actionStatistics: stats(denied, SampleRegion, SampleInstanceID), actionClientUsers: users(denied, SampleRegion, SampleInstanceID),
		actionGateways: gwErr,
	} {
		se := serverError(t, err, http.StatusForbidden, "Forbidden.RAM")
		if !strings.Contains(se.Message(), "smartag:"+action) {
			t.Errorf("Forbidden.RAM message does not name smartag:%s: %q", action, se.Message())
		}
	}
}

func statistics(c *smartag.Client, format, id string, names ...string) (*smartag.DescribeUserOnlineClientStatisticsResponse, error) {
	req := smartag.CreateDescribeUserOnlineClientStatisticsRequest()
	req.RegionId, req.SmartAGId, req.AcceptFormat = SampleRegion, id, format
	if names != nil {
		req.UserNames = &names
	}
	return c.DescribeUserOnlineClientStatistics(req)
}

func TestSDKStatistics(t *testing.T) {
	s := startServer(t, Options{})
	c := sampleClient(t, s, SampleRegion)
	for _, format := range formats {
		resp, err := statistics(c, format, SampleInstanceID, "dave", "frank", "nobody", "carol", "alice", "dave", "bad name!")
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		var got []string
		for _, st := range resp.UserStatistics.Statistics {
			got = append(got, st.UserName+"="+st.OnlineCount)
		}
		// Request order, once each, unknown names absent, a disabled account counted.
		if strings.Join(got, " ") != "dave=2 frank=1 carol=0 alice=3" || resp.RequestId == "" {
			t.Fatalf("%s: %v", format, got)
		}
		body := resp.GetHttpContentString()
		want := map[string]string{"JSON": `{"UserName":"dave","OnlineCount":"2"}`, "XML": "<Statistics><UserName>dave</UserName><OnlineCount>2</OnlineCount></Statistics>"}[format]
		if !strings.Contains(body, want) {
			t.Fatalf("%s: OnlineCount not a string as expected (%s): %s", format, want, body)
		}
	}

	resp, err := statistics(c, "JSON", SampleInstanceID, "nobody")
	if err != nil || len(resp.UserStatistics.Statistics) != 0 || !strings.Contains(resp.GetHttpContentString(), `"Statistics":[]`) {
		t.Fatalf("only unknown names: %v %s", err, resp.GetHttpContentString())
	}

	fifty := make([]string, 0, 51)
	for i := 0; i < 49; i++ {
		fifty = append(fifty, fmt.Sprintf("u%02d", i))
	}
	fifty = append(fifty, "bob")
	resp, err = statistics(c, "JSON", SampleInstanceID, fifty...)
	if err != nil || len(resp.UserStatistics.Statistics) != 1 || resp.UserStatistics.Statistics[0].OnlineCount != "1" {
		t.Fatalf("50 names: %v %+v", err, resp)
	}
	_, err = statistics(c, "JSON", SampleInstanceID, append(fifty, "alice")...)
	if se := serverError(t, err, http.StatusBadRequest, "InvalidParameter"); !strings.Contains(se.Message(), "UserNames") {
		t.Fatalf("51 names: %q", se.Message())
	}
	_, err = statistics(c, "JSON", SampleInstanceID)
	if se := serverError(t, err, http.StatusBadRequest, "MissingParameter"); !strings.Contains(se.Message(), `"UserNames"`) {
		t.Fatalf("no names: %q", se.Message())
	}
}

func TestStatisticsRepeatedParameterOrder(t *testing.T) {
	s := startServer(t, Options{})
	// Index order, not lexical order (10 after 9), and other suffixes ignored.
	p := describeParams(t, SampleInstanceID, "")
	p["Action"] = actionStatistics
	delete(p, "UserName")
	for i := 1; i <= 10; i++ {
		p[fmt.Sprintf("UserNames.%d", i)] = "nobody"
	}
	p["UserNames.10"], p["UserNames.2"], p["UserNames.x"], p["UserNames."] = "alice", "bob", "dave", "dave"
	a := rawCall{params: p, secret: SampleAccessKeySecret}.do(t, s.URL)
	want := `"Statistics":[{"UserName":"bob","OnlineCount":"1"},{"UserName":"alice","OnlineCount":"3"}]`
	if a.status != 200 || !strings.Contains(string(a.body), want) {
		t.Fatalf("%d %s, want %s", a.status, a.body, want)
	}
}

func listGateways(c *smartag.Client, format, region string, set func(*smartag.DescribeSmartAccessGatewaysRequest)) (*smartag.DescribeSmartAccessGatewaysResponse, error) {
	req := smartag.CreateDescribeSmartAccessGatewaysRequest()
	req.RegionId, req.AcceptFormat = region, format
	if set != nil {
		set(req)
	}
	return c.DescribeSmartAccessGateways(req)
}

func gatewayIDs(resp *smartag.DescribeSmartAccessGatewaysResponse) string {
	ids := make([]string, len(resp.SmartAccessGateways.SmartAccessGateway))
	for i, g := range resp.SmartAccessGateways.SmartAccessGateway {
		ids[i] = g.SmartAGId
	}
	return strings.Join(ids, ",")
}

func TestSDKGateways(t *testing.T) {
	s := startServer(t, Options{GenerateUsers: 25})
	c := sampleClient(t, s, SampleRegion)
	ms := func(rfc3339 string) int64 {
		at, err := time.Parse(time.RFC3339, rfc3339)
		if err != nil {
			t.Fatal(err)
		}
		return at.UnixMilli()
	}
	for _, format := range formats {
		resp, err := listGateways(c, format, SampleRegion, nil)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		// Only this region's, sorted by id: the generated one sorts first.
		if got := gatewayIDs(resp); got != GeneratedInstanceID+","+SampleInstanceID || resp.TotalCount != 2 || resp.PageNumber != 1 || resp.PageSize != 10 {
			t.Fatalf("%s: %s total %d", format, got, resp.TotalCount)
		}
		gen, sh := resp.SmartAccessGateways.SmartAccessGateway[0], resp.SmartAccessGateways.SmartAccessGateway[1]
		if sh.Name != "hq-shanghai" || sh.Description == "" || sh.Status != "Active" || sh.UserCount != 5 || sh.CidrBlock != "10.10.0.0/16" ||
			sh.CreateTime != ms("2025-03-01T08:00:00Z") || sh.EndTime != ms("2028-03-01T08:00:00Z") || sh.ResourceGroupId == "" {
			t.Fatalf("%s: shanghai %+v", format, sh)
		}
		// No times in the generated instance: the defaults.
		if gen.UserCount != 25 || gen.Status != "Active" || gen.CreateTime != ms(DefaultCreateTime) || gen.EndTime != ms("2028-01-01T00:00:00Z") {
			t.Fatalf("%s: generated %+v", format, gen)
		}
		if format == "JSON" && !strings.Contains(resp.GetHttpContentString(), fmt.Sprintf(`"CreateTime":%d`, sh.CreateTime)) {
			t.Fatalf("CreateTime is not a number: %s", resp.GetHttpContentString())
		}
	}

	hk, err := listGateways(sampleClient(t, s, SampleHongKongRegion), "JSON", SampleHongKongRegion, nil)
	if err != nil || gatewayIDs(hk) != SampleHongKongInstanceID || hk.SmartAccessGateways.SmartAccessGateway[0].UserCount != 1 {
		t.Fatalf("hong kong: %v %+v", err, hk)
	}
	none, err := listGateways(sampleClient(t, s, "eu-central-1"), "JSON", "eu-central-1", nil)
	if err != nil || none.TotalCount != 0 || !strings.Contains(none.GetHttpContentString(), `"SmartAccessGateway":[]`) {
		t.Fatalf("empty region: %v %s", err, none.GetHttpContentString())
	}
}

func TestSDKGatewaysFiltersAndPaging(t *testing.T) {
	s := startServer(t, Options{GenerateUsers: 3})
	c := sampleClient(t, s, SampleRegion)
	for _, tc := range []struct {
		name string
		set  func(*smartag.DescribeSmartAccessGatewaysRequest)
		want string
	}{
		{"by id", func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.SmartAGId = SampleInstanceID }, SampleInstanceID},
		{"by id of another region", func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.SmartAGId = SampleHongKongInstanceID }, ""},
		{"by ids", func(r *smartag.DescribeSmartAccessGatewaysRequest) {
			r.SmartAGIds = &[]string{SampleInstanceID, "sag-nope", GeneratedInstanceID}
		}, GeneratedInstanceID + "," + SampleInstanceID},
		{"id and ids", func(r *smartag.DescribeSmartAccessGatewaysRequest) {
			r.SmartAGId, r.SmartAGIds = SampleInstanceID, &[]string{GeneratedInstanceID}
		}, ""},
		{"by name", func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.Name = "hq-shanghai" }, SampleInstanceID},
		{"name is exact", func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.Name = "hq" }, ""},
		{"by status", func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.Status = "Active" }, GeneratedInstanceID + "," + SampleInstanceID},
		{"other status", func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.Status = "Inactive" }, ""},
		{"page 2 of 1", func(r *smartag.DescribeSmartAccessGatewaysRequest) {
			r.PageNumber, r.PageSize = requests.NewInteger(2), requests.NewInteger(1)
		}, SampleInstanceID},
		{"page size 50", func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.PageSize = requests.NewInteger(50) }, GeneratedInstanceID + "," + SampleInstanceID},
	} {
		resp, err := listGateways(c, "JSON", SampleRegion, tc.set)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := gatewayIDs(resp); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	for _, size := range []int{51, 0} {
		_, err := listGateways(c, "JSON", SampleRegion, func(r *smartag.DescribeSmartAccessGatewaysRequest) { r.PageSize = requests.NewInteger(size) })
		if se := serverError(t, err, http.StatusBadRequest, "InvalidParameter"); !strings.Contains(se.Message(), "PageSize") {
			t.Errorf("PageSize %d: %q", size, se.Message())
		}
	}
}

func TestDisabledAccountSessionsListed(t *testing.T) {
	s := startServer(t, Options{})
	resp, err := sdkDescribe(sampleClient(t, s, SampleRegion), SampleRegion, SampleInstanceID, SampleDisabledUser, "")
	if err != nil {
		t.Fatal(err)
	}
	wantClients(t, resp.Users.User, []ipTime{{"10.10.4.2", "1764334800"}})
}
