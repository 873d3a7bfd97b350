package provider

import (
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The live tests read from the real Smartag API. They run only when an
// account, an instance and one of its users are given:
//
//	ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET, ALIBABA_CLOUD_REGION
//	SMARTAG_TEST_INSTANCE_ID, SMARTAG_TEST_USER_NAME
func liveSettings(t *testing.T) (string, string) {
	t.Helper()
	instance, user := os.Getenv("SMARTAG_TEST_INSTANCE_ID"), os.Getenv("SMARTAG_TEST_USER_NAME")
	if os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID") == "" || instance == "" || user == "" {
		t.Skip("live test: set ALIBABA_CLOUD_ACCESS_KEY_ID (and secret, region), SMARTAG_TEST_INSTANCE_ID and SMARTAG_TEST_USER_NAME")
	}
	return instance, user
}

func TestAccLive_userOnlineClients(t *testing.T) {
	instance, user := liveSettings(t)
	ds := "data.smartag_user_online_clients.live"
	accTest(t, resource.TestStep{
		Config: fmt.Sprintf(`
data "smartag_user_online_clients" "live" {
  smartag_id = %q
  user_name  = %q
}
`, instance, user),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(ds, tfjsonpath.New("request_id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9A-F-]{36}$`))),
			statecheck.ExpectKnownValue(ds, tfjsonpath.New("client_ips"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(ds, tfjsonpath.New("clients"), knownvalue.NotNull()),
		},
	})
}

func TestAccLive_unknownInstance(t *testing.T) {
	_, user := liveSettings(t)
	accTest(t, resource.TestStep{
		Config: fmt.Sprintf(`
data "smartag_user_online_clients" "ghost" {
  smartag_id = "sag-doesnotexist000000"
  user_name  = %q
}
`, user),
		ExpectError: regexp.MustCompile(`SAG\.InstanceNoFound`),
	})
}
