package smartagmock

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for expiry tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type assumeAnswer struct {
	RequestID       string `json:"RequestId"`
	AssumedRoleUser struct {
		AssumedRoleID string `json:"AssumedRoleId"`
		Arn           string `json:"Arn"`
	} `json:"AssumedRoleUser"`
	Credentials struct {
		AccessKeyID     string `json:"AccessKeyId"`
		AccessKeySecret string `json:"AccessKeySecret"`
		SecurityToken   string `json:"SecurityToken"`
		Expiration      string `json:"Expiration"`
	} `json:"Credentials"`
}

// assumeRoleCall is AssumeRole sent the way the SDK's RAM role provider
// sends it: common parameters in the query, role parameters in a form body.
func assumeRoleCall(t *testing.T, now time.Time, akid, secret string, form map[string]string) rawCall {
	p := baseParams(t, "AssumeRole", "2015-04-01", akid, now)
	return rawCall{params: p, secret: secret, form: form}
}

func TestAssumeRoleIssuesUsableCredentials(t *testing.T) {
	clock := &fakeClock{t: time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)}
	s := startServer(t, Options{Now: clock.Now})
	a := assumeRoleCall(t, clock.Now(), SampleAccessKeyID, SampleAccessKeySecret, map[string]string{
		"RoleArn": SampleRoleARN, "RoleSessionName": "unit-test@ci", "DurationSeconds": "900",
	}).do(t, s.URL)
	if a.status != 200 {
		t.Fatalf("AssumeRole: %d %s", a.status, a.body)
	}
	var ans assumeAnswer
	if err := json.Unmarshal(a.body, &ans); err != nil {
		t.Fatal(err)
	}
	c := ans.Credentials
	if !strings.HasPrefix(c.AccessKeyID, "STS.") || c.AccessKeySecret == "" || c.SecurityToken == "" {
		t.Fatalf("credentials: %+v", c)
	}
	if c.Expiration != "2031-05-06T07:23:09Z" {
		t.Fatalf("Expiration = %q", c.Expiration)
	}
	if ans.AssumedRoleUser.Arn != "acs:ram::1234567890123456:role/smartag-auditor/unit-test@ci" ||
		!strings.HasSuffix(ans.AssumedRoleUser.AssumedRoleID, ":unit-test@ci") || ans.RequestID == "" {
		t.Fatalf("assumed role user: %+v", ans)
	}

	describe := func(token string) rawAnswer {
		p := baseParams(t, "DescribeUserOnlineClients", "2018-03-13", c.AccessKeyID, clock.Now())
		p["RegionId"], p["SmartAGId"], p["UserName"] = SampleRegion, SampleInstanceID, "alice"
		if token != "" {
			p["SecurityToken"] = token
		}
		return rawCall{params: p, secret: c.AccessKeySecret}.do(t, s.URL)
	}
	if d := describe(c.SecurityToken).wantOnline(t); len(d.Users.User) != 3 {
		t.Fatalf("users: %+v", d.Users.User)
	}
	describe("").wantError(t, http.StatusBadRequest, "InvalidSecurityToken.Malformed")
	describe(c.SecurityToken+"x").wantError(t, http.StatusBadRequest, "InvalidSecurityToken.Malformed")

	clock.Advance(15 * time.Minute)
	describe(c.SecurityToken).wantError(t, http.StatusBadRequest, "InvalidSecurityToken.Expired")

	// Long after expiry the credential is pruned on the next issue.
	clock.Advance(2 * time.Hour)
	assumeRoleCall(t, clock.Now(), SampleAccessKeyID, SampleAccessKeySecret, map[string]string{
		"RoleArn": SampleRoleARN, "RoleSessionName": "again",
	}).do(t, s.URL)
	describe(c.SecurityToken).wantError(t, http.StatusNotFound, "InvalidAccessKeyId.NotFound")
}

func TestAssumeRoleErrors(t *testing.T) {
	fx := SampleFixture()
	const extRole = "acs:ram::1234567890123456:role/partner"
	fx.Roles = append(fx.Roles, Role{RoleARN: extRole, ExternalID: "abc-123"})
	s := startServer(t, Options{Fixture: fx})
	good := map[string]string{"RoleArn": SampleRoleARN, "RoleSessionName": "s1"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range good {
			m[a] = b
		}
		if v == "<delete>" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	cases := []struct {
		name   string
		form   map[string]string
		status int
		code   string
	}{
		{"missing role", with("RoleArn", "<delete>"), 400, "MissingRoleArn"},
		{"malformed role", with("RoleArn", "arn:aws:iam::1:role/x"), 400, "InvalidParameter.RoleArn"},
		{"unknown role", with("RoleArn", "acs:ram::1234567890123456:role/nobody"), 404, "EntityNotExist.Role"},
		{"missing session", with("RoleSessionName", "<delete>"), 400, "MissingRoleSessionName"},
		{"short session", with("RoleSessionName", "a"), 400, "InvalidParameter.RoleSessionName"},
		{"bad session", with("RoleSessionName", "abc*abc"), 400, "InvalidParameter.RoleSessionName"},
		{"short duration", with("DurationSeconds", "899"), 400, "InvalidParameter.DurationSeconds"},
		{"long duration", with("DurationSeconds", "43201"), 400, "InvalidParameter.DurationSeconds"},
		{"junk duration", with("DurationSeconds", "1h"), 400, "InvalidParameter.DurationSeconds"},
		{"bad policy", with("Policy", "{not json"), 400, "InvalidParameter.PolicyGrammar"},
		{"missing external id", with("RoleArn", extRole), 403, "NoPermission"},
		{"malformed external id", map[string]string{"RoleArn": extRole, "RoleSessionName": "s1", "ExternalId": "a b"}, 400, "InvalidParameter.ExternalId"},
		{"wrong external id", map[string]string{"RoleArn": extRole, "RoleSessionName": "s1", "ExternalId": "abc-124"}, 403, "NoPermission"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assumeRoleCall(t, time.Now(), SampleAccessKeyID, SampleAccessKeySecret, tc.form).do(t, s.URL).wantError(t, tc.status, tc.code)
		})
	}
	t.Run("right external id and max duration", func(t *testing.T) {
		a := assumeRoleCall(t, time.Now(), SampleAccessKeyID, SampleAccessKeySecret, map[string]string{
			"RoleArn": extRole, "RoleSessionName": "s1", "ExternalId": "abc-123", "DurationSeconds": "43200",
			"Policy": `{"Version":"1","Statement":[]}`,
		}).do(t, s.URL)
		if a.status != 200 {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
	t.Run("denied key may still assume a role", func(t *testing.T) {
		a := assumeRoleCall(t, time.Now(), SampleDeniedAccessKeyID, SampleDeniedAccessKeySecret, good).do(t, s.URL)
		if a.status != 200 {
			t.Fatalf("%d %s", a.status, a.body)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		assumeRoleCall(t, time.Now(), SampleAccessKeyID, "nope", good).do(t, s.URL).wantError(t, 400, "SignatureDoesNotMatch")
	})
	t.Run("XML answer", func(t *testing.T) {
		c := assumeRoleCall(t, time.Now(), SampleAccessKeyID, SampleAccessKeySecret, good)
		delete(c.params, "Format")
		a := c.do(t, s.URL)
		var doc struct {
			XMLName     xml.Name `xml:"AssumeRoleResponse"`
			Credentials struct {
				AccessKeyID string `xml:"AccessKeyId"`
			} `xml:"Credentials"`
		}
		if err := xml.Unmarshal(a.body, &doc); err != nil || !strings.HasPrefix(doc.Credentials.AccessKeyID, "STS.") {
			t.Fatalf("XML AssumeRole: %v %s", err, a.body)
		}
	})
}

func TestIssuedStoreBounded(t *testing.T) {
	st := newIssuedStore()
	now := time.Now()
	for i := 0; i < maxIssued+50; i++ {
		st.add("STS."+string(rune('a'+i%26))+strings.Repeat("x", i%7)+time.Duration(i).String(), issuedCred{expiration: now.Add(time.Duration(i) * time.Second)}, now)
	}
	st.mu.Lock()
	n := len(st.creds)
	st.mu.Unlock()
	if n > maxIssued {
		t.Fatalf("store holds %d credentials, bound is %d", n, maxIssued)
	}
}
