package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// aliceOnly is a data source for alice with no provider block: the provider
// block, or the environment, is the test's subject.
var aliceOnly = fmt.Sprintf(`
data "smartag_user_online_clients" "alice" {
  smartag_id = %q
  user_name  = "alice"
}
`, sampleID)

var aliceHasThree = []statecheck.StateCheck{
	statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("client_ips"), knownvalue.ListSizeExact(3)),
}

// usedKey is the AccessKeyId of the mock's successful Smartag requests.
func usedKeys(srv *smartagmock.Server) map[string]bool {
	keys := map[string]bool{}
	for _, r := range srv.Requests() {
		if r.Action == "DescribeUserOnlineClients" && r.Status == 200 {
			keys[r.Params["AccessKeyId"]] = true
		}
	}
	return keys
}

func testCredentialSource(t *testing.T, srv *smartagmock.Server, config, wantKey string) {
	t.Helper()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: aliceHasThree}},
	})
	keys := usedKeys(srv)
	if len(keys) != 1 || !keys[wantKey] {
		t.Errorf("want every request signed with %s, got %v", wantKey, keys)
	}
}

func TestAccCredentials_environment(t *testing.T) {
	cases := map[string]map[string]string{
		"ALIBABA_CLOUD_*": {
			"ALIBABA_CLOUD_ACCESS_KEY_ID": smartagmock.SampleAccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": smartagmock.SampleAccessKeySecret,
			"ALIBABA_CLOUD_REGION": "cn-shanghai", "ALIBABA_CLOUD_ENDPOINT_SMARTAG": "",
		},
		"legacy ALICLOUD_*": {
			"ALICLOUD_ACCESS_KEY": smartagmock.SampleAccessKeyID, "ALICLOUD_SECRET_KEY": smartagmock.SampleAccessKeySecret,
			"ALICLOUD_REGION": "cn-shanghai",
		},
		"STS token": {
			"ALIBABA_CLOUD_ACCESS_KEY_ID": smartagmock.SampleStsAccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": smartagmock.SampleStsAccessKeySecret,
			"ALIBABA_CLOUD_SECURITY_TOKEN": smartagmock.SampleStsSecurityToken, "ALIBABA_CLOUD_REGION": "cn-shanghai",
		},
	}
	for name, vars := range cases {
		t.Run(name, func(t *testing.T) {
			isolateEnv(t)
			srv := startMock(t, smartagmock.Options{})
			for k, v := range vars {
				t.Setenv(k, v)
			}
			// The endpoint, too, comes from the environment.
			t.Setenv("SMARTAG_ENDPOINT", srv.URL)
			key := vars["ALIBABA_CLOUD_ACCESS_KEY_ID"] + vars["ALICLOUD_ACCESS_KEY"]
			testCredentialSource(t, srv, aliceOnly, key)
		})
	}
}

func TestAccCredentials_stsTokenWithoutTokenIsRefused(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := providerBlockWithKey(srv.URL, smartagmock.SampleStsAccessKeyID, smartagmock.SampleStsAccessKeySecret) + aliceOnly
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    []resource.TestStep{{Config: config, ExpectError: regexp.MustCompile(`InvalidSecurityToken`)}},
	})
}

func TestAccCredentials_argumentsBeatEnvironment(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "LTAIfromTheEnvironment")
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "wrong-secret-from-env")
	t.Setenv("ALIBABA_CLOUD_REGION", "eu-central-1")
	testCredentialSource(t, srv, providerBlock(srv)+aliceOnly, smartagmock.SampleAccessKeyID)
}

func TestAccCredentials_cliProfileFile(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	file := filepath.Join(t.TempDir(), "config.json")
	profiles := fmt.Sprintf(`{"current":"other","profiles":[
  {"name":"other","mode":"AK","access_key_id":"LTAIunknown","access_key_secret":"x","region_id":"eu-central-1"},
  {"name":"audit","mode":"AK","access_key_id":%q,"access_key_secret":%q,"region_id":"cn-shanghai"},
  {"name":"sts","mode":"StsToken","access_key_id":%q,"access_key_secret":%q,"sts_token":%q,"region_id":"cn-shanghai"}
]}`, smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret,
		smartagmock.SampleStsAccessKeyID, smartagmock.SampleStsAccessKeySecret, smartagmock.SampleStsSecurityToken)
	if err := os.WriteFile(file, []byte(profiles), 0o600); err != nil {
		t.Fatal(err)
	}
	// The region comes from the profile too: no region anywhere else.
	config := func(profile string) string {
		return fmt.Sprintf(`
provider "smartag" {
  endpoint                = %q
  shared_credentials_file = %q
  profile                 = %q
}
`, srv.URL, file, profile) + aliceOnly
	}
	testCredentialSource(t, srv, config("audit"), smartagmock.SampleAccessKeyID)
	srv.Reset()
	testCredentialSource(t, srv, config("sts"), smartagmock.SampleStsAccessKeyID)

	// The default file and ALIBABA_CLOUD_PROFILE.
	home := t.TempDir()
	t.Setenv("HOME", home)
	if err := os.MkdirAll(filepath.Join(home, ".aliyun"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".aliyun", "config.json"), []byte(profiles), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ALIBABA_CLOUD_PROFILE", "audit")
	srv.Reset()
	testCredentialSource(t, srv, fmt.Sprintf("provider \"smartag\" {\n  endpoint = %q\n}\n", srv.URL)+aliceOnly, smartagmock.SampleAccessKeyID)
}

func TestAccCredentials_assumeRoleThroughMockSTS(t *testing.T) {
	isolateEnv(t)
	// One HTTPS mock serves both Smartag and STS; the SDK only calls STS
	// over HTTPS, trusted here through SSL_CERT_FILE (see TestMain).
	srv := startTLSMock(t, smartagmock.Options{})
	config := providerBlock(srv, fmt.Sprintf(`
  sts_endpoint = %q
  assume_role {
    role_arn           = %q
    session_name       = "terraform-audit"
    session_expiration = 900
  }`, srv.Endpoint, smartagmock.SampleRoleARN)) + aliceOnly
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps:                    []resource.TestStep{{Config: config, ConfigStateChecks: aliceHasThree}},
	})
	if srv.Count("AssumeRole") == 0 {
		t.Fatal("STS AssumeRole was never called")
	}
	for key := range usedKeys(srv) {
		if !regexp.MustCompile(`^STS\.`).MatchString(key) {
			t.Errorf("a Smartag request was signed with %s, not with the assumed role's STS key", key)
		}
	}
	for _, r := range srv.Requests() {
		if r.Action == "AssumeRole" && (r.Params["RoleArn"] != smartagmock.SampleRoleARN || r.Params["RoleSessionName"] != "terraform-audit" || r.Params["DurationSeconds"] != "900") {
			t.Errorf("AssumeRole parameters: %v", r.Params)
		}
	}
}

func TestAccCredentials_assumeRoleUnknownRole(t *testing.T) {
	isolateEnv(t)
	srv := startTLSMock(t, smartagmock.Options{})
	config := providerBlock(srv, fmt.Sprintf(`
  sts_endpoint = %q
  assume_role {
    role_arn = "acs:ram::1234567890123456:role/not-there"
  }`, srv.Endpoint)) + aliceOnly
	accTest(t, resource.TestStep{
		Config:      config,
		ExpectError: regexp.MustCompile(`(?s)Could not obtain Alibaba Cloud credentials.*assume_role`),
	})
	if n := srv.Count("DescribeUserOnlineClients"); n != 0 {
		t.Errorf("no Smartag request may be sent without credentials: %d", n)
	}
}

func TestAccCredentials_deniedByRAM(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := providerBlockWithKey(srv.URL, smartagmock.SampleDeniedAccessKeyID, smartagmock.SampleDeniedAccessKeySecret) + aliceOnly
	accTest(t, resource.TestStep{
		Config:      config,
		ExpectError: regexp.MustCompile(`(?s)Forbidden\.RAM.*smartag:DescribeUserOnlineClients`),
	})
}

func TestAccCredentials_noneFound(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := fmt.Sprintf("provider \"smartag\" {\n  endpoint = %q\n  region = \"cn-shanghai\"\n}\n", srv.URL) + aliceOnly
	accTest(t, resource.TestStep{
		Config:      config,
		ExpectError: regexp.MustCompile(`(?s)No Alibaba Cloud credentials found.*ALICLOUD_ACCESS_KEY.*ALIBABA_CLOUD_ACCESS_KEY_ID.*config\.json.*ecs_role_name.*assume_role_with_oidc`),
	})
	if n := srv.Count("DescribeUserOnlineClients"); n != 0 {
		t.Errorf("%d requests sent without credentials", n)
	}
}

// TestAccCredentials_planWithoutReadsNeedsNone: a plan whose only read is
// deferred to apply (its input is unknown) needs no credentials at all.
func TestAccCredentials_planWithoutReadsNeedsNone(t *testing.T) {
	isolateEnv(t)
	config := fmt.Sprintf(`
provider "smartag" {}

resource "terraform_data" "instance" {
  input = %q
}

data "smartag_user_online_clients" "later" {
  smartag_id = terraform_data.instance.output
  user_name  = "alice"
}
`, sampleID)
	accTest(t, resource.TestStep{
		Config:             config,
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
	})
}

// TestAccUserOnlineClients_wrongSecret: one request, no retry, the code named.
func TestAccUserOnlineClients_wrongSecret(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := providerBlockWithKey(srv.URL, smartagmock.SampleAccessKeyID, "not-the-right-secret") + aliceOnly
	accTest(t, resource.TestStep{
		Config:      config,
		ExpectError: regexp.MustCompile(`(?s)SignatureDoesNotMatch.*Request ID.*[Cc]heck\s+the\s+credentials`),
	})
	if n := srv.Count("DescribeUserOnlineClients"); n != 1 {
		t.Errorf("a signature error must not be retried: %d requests", n)
	}
}
