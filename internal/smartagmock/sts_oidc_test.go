package smartagmock

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const (
	testOIDCProvider = "acs:ram::1234567890123456:oidc-provider/ack-rrsa"
	testOIDCToken    = "eyJhbGciOiJSUzI1NiJ9.pod+token/=.sig"
	testOIDCRole     = "acs:ram::1234567890123456:role/pod-role"
)

func oidcFixture() *Fixture {
	fx := SampleFixtureAt(SampleReferenceTime)
	fx.OIDCProviders = []OIDCProvider{{ARN: testOIDCProvider, Tokens: []string{testOIDCToken}}}
	fx.Roles = append(fx.Roles, Role{RoleARN: testOIDCRole, OIDCProviderARN: testOIDCProvider})
	return fx
}

// oidcCall is AssumeRoleWithOIDC as the Go SDK sends it: Version, Action,
// Format and Timestamp in the query, the rest in a form body, no signature.
func oidcCall(now time.Time, form map[string]string) rawCall {
	return rawCall{
		params: map[string]string{"Action": "AssumeRoleWithOIDC", "Version": "2015-04-01", "Format": "JSON",
			"Timestamp": now.UTC().Format("2006-01-02T15:04:05Z")},
		form:   form,
		noSign: true,
	}
}

func TestAssumeRoleWithOIDC_issuesUsableCredentials(t *testing.T) {
	clock := &fakeClock{t: time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)}
	s := startServer(t, Options{Now: clock.Now, Fixture: oidcFixture()})
	a := oidcCall(clock.Now(), map[string]string{
		"OIDCProviderArn": testOIDCProvider, "RoleArn": testOIDCRole, "OIDCToken": testOIDCToken,
		"RoleSessionName": "pod-session", "DurationSeconds": "43200",
	}).do(t, s.URL)
	if a.status != 200 {
		t.Fatalf("AssumeRoleWithOIDC: %d %s", a.status, a.body)
	}
	var doc assumeAnswer
	if err := json.Unmarshal(a.body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.Credentials.AccessKeyID, "STS.") || doc.Credentials.Expiration != "2031-05-06T19:08:09Z" ||
		doc.AssumedRoleUser.Arn != "acs:ram::1234567890123456:role/pod-role/pod-session" {
		t.Errorf("answer: %+v", doc)
	}
	// The credentials sign Smartag requests.
	p := baseParams(t, "DescribeUserOnlineClients", "2018-03-13", doc.Credentials.AccessKeyID, clock.Now())
	p["RegionId"], p["SmartAGId"], p["UserName"], p["SecurityToken"] = SampleRegion, SampleInstanceID, "alice", doc.Credentials.SecurityToken
	if r := (rawCall{params: p, secret: doc.Credentials.AccessKeySecret}).do(t, s.URL); r.status != 200 {
		t.Errorf("a Smartag request with the issued credentials: %d %s", r.status, r.body)
	}
	for _, r := range s.Requests() {
		if r.Action == "AssumeRoleWithOIDC" && r.Params["OIDCToken"] == testOIDCToken {
			t.Error("the recorder must not keep the OIDC token")
		}
	}
}

func TestAssumeRoleWithOIDC_refusals(t *testing.T) {
	clock := &fakeClock{t: time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)}
	s := startServer(t, Options{Now: clock.Now, Fixture: oidcFixture()})
	good := func() map[string]string {
		return map[string]string{"OIDCProviderArn": testOIDCProvider, "RoleArn": testOIDCRole, "OIDCToken": testOIDCToken, "RoleSessionName": "s1"}
	}
	cases := []struct {
		code   string
		status int
		edit   func(map[string]string)
	}{
		{"MissingOIDCProviderArn", 400, func(f map[string]string) { delete(f, "OIDCProviderArn") }},
		{"MissingOIDCToken", 400, func(f map[string]string) { delete(f, "OIDCToken") }},
		{"InvalidParameter.OIDCToken", 400, func(f map[string]string) { f["OIDCToken"] = "abc" }},
		{"InvalidParameter.DurationSeconds", 400, func(f map[string]string) { f["DurationSeconds"] = "43201" }},
		{"EntityNotExist.OIDCProvider", 404, func(f map[string]string) { f["OIDCProviderArn"] = "acs:ram::1:oidc-provider/other" }},
		{"AuthenticationFail.OIDCToken.Invalid", 400, func(f map[string]string) { f["OIDCToken"] = "forged-token" }},
		{"EntityNotExist.Role", 404, func(f map[string]string) { f["RoleArn"] = "acs:ram::1234567890123456:role/none" }},
		{"NoPermission", 403, func(f map[string]string) { f["RoleArn"] = SampleRoleARN }}, // trusts no OIDC provider
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			form := good()
			tc.edit(form)
			a := oidcCall(clock.Now(), form).do(t, s.URL)
			if a.status != tc.status || !strings.Contains(string(a.body), `"Code":"`+tc.code+`"`) {
				t.Errorf("got %d %s", a.status, a.body)
			}
		})
	}
	stale := oidcCall(clock.Now().Add(-time.Hour), good()).do(t, s.URL)
	if stale.status != 400 || !strings.Contains(string(stale.body), "InvalidTimeStamp.Expired") {
		t.Errorf("a stale Timestamp: %d %s", stale.status, stale.body)
	}
}

func TestFixture_oidcProviders(t *testing.T) {
	fx := oidcFixture()
	fx.OIDCProviders = append(fx.OIDCProviders, OIDCProvider{ARN: "not-an-arn", Tokens: []string{"x"}})
	err := fx.Validate()
	if err == nil || !strings.Contains(err.Error(), "oidc_providers[1].arn") || !strings.Contains(err.Error(), "oidc_providers[1].tokens[0]") {
		t.Fatalf("want errors on the provider's ARN and token, got %v", err)
	}
}
