package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// What the API would refuse is refused at plan time, naming the attribute,
// and nothing is sent.
func TestAccPlanTimeValidation(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	user := func(name string) string {
		return fmt.Sprintf("data \"smartag_user_online_clients\" \"alice\" {\n  smartag_id = %q\n  user_name = %q\n}\n", sampleID, name)
	}
	cases := map[string]struct{ config, want string }{
		"user_name with a space, a slash and a non-ASCII letter": {providerBlock(srv) + user("a b/zoë"),
			`(?s)Invalid account name.*user_name must be 1 to 128 ASCII letters.*got: "a b/zo`},
		"user_name starting with a dot": {providerBlock(srv) + user(".alice"), `(?s)Invalid account name.*user_name`},
		"user_names element": {providerBlock(srv) + fmt.Sprintf(`
data "smartag_online_clients" "audit" {
  smartag_id = %q
  user_names = ["alice", "a b"]
}
`, sampleID), `(?s)Invalid account name.*user_names.*got: "a b"`},
		"negative timeouts.read": {providerBlock(srv) + aliceWithReadTimeout("-5s"), `(?s)Invalid read timeout.*timeouts.read must be a positive duration.*"-5s"`},
		"zero timeouts.read":     {providerBlock(srv) + aliceWithReadTimeout("0s"), `(?s)Invalid read timeout.*"0s"`},
		"plain-HTTP sts_endpoint": {providerBlock(srv, `  sts_endpoint = "http://127.0.0.1:8443"`) + aliceOnly,
			`(?s)Invalid STS endpoint.*sts_endpoint.*only called over\s+HTTPS`},
		"plain-HTTP endpoints.sts": {providerBlock(srv, "  endpoints {\n    sts = \"http://127.0.0.1:8443\"\n  }") + aliceOnly,
			`(?s)Invalid STS endpoint.*endpoints\[0\]\.sts.*only called over\s+HTTPS`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps:                    []resource.TestStep{{Config: tc.config, ExpectError: regexp.MustCompile(tc.want)}},
			})
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests were sent for a configuration refused at plan time", n)
			}
		})
	}
}

// A megabyte-long user name is refused at plan time with a message of a
// few lines: the name is quoted cut, not in full.
func TestAccPlanTimeValidation_longValuesAreNotEchoedInFull(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	long := strings.Repeat("u", 1<<20)
	var got error
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		// ErrorCheck sees the whole error, to measure it; it is called
		// only when the step fails, which got records.
		ErrorCheck: func(err error) error {
			got = err
			return nil
		},
		Steps: []resource.TestStep{{
			Config: providerBlock(srv) + fmt.Sprintf(`
data "smartag_user_online_clients" "alice" {
  smartag_id = %q
  user_name  = %q
}
`, sampleID, long),
		}},
	})
	if got == nil {
		t.Fatal("a 1 MiB user name was not refused")
	}
	msg := got.Error()
	if !regexp.MustCompile(`(?s)Invalid account name.*user_name is 1048576 bytes\s+long.*bytes, cut`).MatchString(msg) {
		t.Errorf("the error does not say why: %.2000s", strings.ReplaceAll(msg, long, "<the name>"))
	}
	// Terraform quotes the configuration's line itself; the provider's
	// message must not quote the name again.
	if n := strings.Count(msg, long); n > 1 {
		t.Errorf("the name is echoed %d times", n)
	}
	if rest := len(strings.ReplaceAll(msg, long, "")); rest > 4096 {
		t.Errorf("the error is %d bytes long besides the configuration's line", rest)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}
