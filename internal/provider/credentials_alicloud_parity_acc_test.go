package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// TestAccCredentials_alicloudEnvironmentOrder: an alicloud environment
// configures this provider the way it configures alicloud: ALICLOUD_*
// before ALIBABA_CLOUD_*, and ALIBABACLOUD_* read too.
func TestAccCredentials_alicloudEnvironmentOrder(t *testing.T) {
	cases := map[string]map[string]string{
		"ALICLOUD_* beats ALIBABA_CLOUD_*": {
			"ALICLOUD_ACCESS_KEY": smartagmock.SampleAccessKeyID, "ALICLOUD_SECRET_KEY": smartagmock.SampleAccessKeySecret,
			"ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAIwrongKeyFromTheEnv", "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "wrong-secret",
			"ALICLOUD_REGION": "cn-shanghai", "ALIBABA_CLOUD_REGION": "eu-central-1",
		},
		"ALIBABACLOUD_*": {
			"ALIBABACLOUD_ACCESS_KEY_ID": smartagmock.SampleAccessKeyID, "ALIBABACLOUD_ACCESS_KEY_SECRET": smartagmock.SampleAccessKeySecret,
			"ALIBABA_CLOUD_REGION": "cn-shanghai",
		},
	}
	for name, vars := range cases {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			srv := startMock(t, smartagmock.Options{})
			for k, v := range vars {
				t.Setenv(k, v)
			}
			t.Setenv("SMARTAG_ENDPOINT", srv.URL)
			testCredentialSource(t, srv, aliceOnly, smartagmock.SampleAccessKeyID)
		})
	}
}

// TestAccCredentials_cliFileOnlyForANamedProfile: a CLI file in HOME is not
// a credential source unless a profile is named, as in alicloud.
func TestAccCredentials_cliFileOnlyForANamedProfile(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	home := os.Getenv("HOME")
	if err := os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	profiles := fmt.Sprintf(`{"current":"audit","profiles":[{"name":"audit","mode":"AK","access_key_id":%q,"access_key_secret":%q}]}`,
		smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret)
	if err := os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(profiles), 0o600); err != nil {
		t.Fatal(err)
	}
	block := func(extra string) string {
		return fmt.Sprintf("provider \"smartag\" {\n  endpoint = %q\n  region = \"cn-shanghai\"\n%s\n}\n", srv.URL, extra) + aliceOnly
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    []resource.TestStep{{Config: block(""), ExpectError: regexp.MustCompile(`No Alibaba Cloud credentials found`)}},
	})
	// The same file with the profile named, and ~ in its path.
	testCredentialSource(t, srv, block(`  profile = "audit"
  shared_credentials_file = "~/.aliyun/config.json"`), smartagmock.SampleAccessKeyID)
}

const (
	accOIDCProvider = "acs:ram::1234567890123456:oidc-provider/ack-rrsa"
	accOIDCRole     = "acs:ram::1234567890123456:role/pod-role"
	// Not alphanumeric, so that an encoded leak would show.
	accOIDCToken = "eyJhbGciOiJSUzI1NiJ9.pod+token/with=padding.sig"
)

// TestAccCredentials_assumeRoleWithOIDCThroughMockSTS is the RRSA set-up:
// no AccessKey anywhere, an OIDC token file and the three variables RRSA
// sets, and `assume_role_with_oidc {}`. The mock's STS (over TLS, as the
// SDK always calls it) answers AssumeRoleWithOIDC; its credentials sign
// the Smartag requests.
func TestAccCredentials_assumeRoleWithOIDCThroughMockSTS(t *testing.T) {
	isolateEnv(t)
	fx := smartagmock.SampleFixtureAt(smartagmock.SampleReferenceTime)
	fx.OIDCProviders = []smartagmock.OIDCProvider{{ARN: accOIDCProvider, Tokens: []string{accOIDCToken}}}
	fx.Roles = append(fx.Roles, smartagmock.Role{RoleARN: accOIDCRole, OIDCProviderARN: accOIDCProvider})
	srv := startTLSMock(t, smartagmock.Options{Fixture: fx})
	tokenFile := filepath.Join(t.TempDir(), "oidc-token")
	if err := os.WriteFile(tokenFile, []byte(accOIDCToken), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALIBABA_CLOUD_OIDC_PROVIDER_ARN", accOIDCProvider)
	t.Setenv("ALIBABA_CLOUD_OIDC_TOKEN_FILE", tokenFile)
	t.Setenv("ALIBABA_CLOUD_ROLE_ARN", accOIDCRole)
	config := fmt.Sprintf(`
provider "smartag" {
  endpoint = %q
  region   = %q
  endpoints {
    sts = %q
  }
  assume_role_with_oidc {
    role_session_name  = "rrsa-pod"
    session_expiration = 900
  }
}
`, srv.URL, smartagmock.SampleRegion, srv.Endpoint) + aliceOnly
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: aliceHasThree}},
	})
	if srv.Count("AssumeRoleWithOIDC") == 0 {
		t.Fatal("STS AssumeRoleWithOIDC was never called")
	}
	for key := range usedKeys(srv) {
		if !strings.HasPrefix(key, "STS.") {
			t.Errorf("a Smartag request was signed with %s, not with the OIDC session's STS key", key)
		}
	}
	for _, r := range srv.Requests() {
		if r.Action == "AssumeRoleWithOIDC" && (r.Params["RoleArn"] != accOIDCRole || r.Params["OIDCProviderArn"] != accOIDCProvider ||
			r.Params["RoleSessionName"] != "rrsa-pod" || r.Params["DurationSeconds"] != "900" || r.Params["AccessKeyId"] != "") {
			t.Errorf("AssumeRoleWithOIDC parameters: %v", r.Params)
		}
	}

	// A token the provider did not issue: a credentials error naming STS's
	// refusal.
	if err := os.WriteFile(tokenFile, []byte("forged+token/value="), 0o600); err != nil {
		t.Fatal(err)
	}
	accTest(t, resource.TestStep{
		Config:      config,
		ExpectError: regexp.MustCompile(`(?s)Could not obtain Alibaba Cloud credentials.*AuthenticationFail\.OIDCToken\.Invalid`),
	})
}
