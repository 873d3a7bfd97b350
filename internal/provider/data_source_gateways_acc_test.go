package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

const gatewaysDS = "data.smartag_gateways.all"

func gatewaysTF(srv *smartagmock.Server, body string) string {
	return providerBlock(srv) + `
data "smartag_gateways" "all" {
  ` + body + `
}
`
}

func TestAccGateways_region(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{GenerateUsers: 10})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: gatewaysTF(srv, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(gatewaysDS, tfjsonpath.New("id"), knownvalue.StringExact("cn-shanghai")),
				statecheck.ExpectKnownValue(gatewaysDS, tfjsonpath.New("ids"), stringsExact(smartagmock.GeneratedInstanceID, sampleID)),
				statecheck.ExpectKnownValue(gatewaysDS, tfjsonpath.New("gateways").AtSliceIndex(1), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"smartag_id":  knownvalue.StringExact(sampleID),
					"name":        knownvalue.StringExact("hq-shanghai"),
					"description": knownvalue.StringExact("Head office remote access"),
					"status":      knownvalue.StringExact("Active"),
					"user_count":  knownvalue.Int64Exact(5),
					"cidr_block":  knownvalue.StringExact("10.10.0.0/16"),
					"create_time": knownvalue.StringExact("2025-03-01T08:00:00Z"),
				})),
			},
		}, {
			Config: gatewaysTF(srv, `region = "cn-hongkong"
  name_regex = "^branch-"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(gatewaysDS, tfjsonpath.New("ids"), stringsExact(hongKongID)),
			},
		}, {
			Config: gatewaysTF(srv, `name_regex = "^branch-"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(gatewaysDS, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue(gatewaysDS, tfjsonpath.New("gateways"), knownvalue.ListSizeExact(0)),
			},
		}, {
			Config: gatewaysTF(srv, `status = "Frozen"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(gatewaysDS, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestAccGateways_forEachAudit(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := providerBlock(srv) + `
data "smartag_gateways" "all" {}

data "smartag_online_clients" "each" {
  for_each   = toset(data.smartag_gateways.all.ids)
  smartag_id = each.value
}

output "sessions" {
  value = { for id, a in data.smartag_online_clients.each : id => length(a.clients) }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("sessions", knownvalue.MapExact(map[string]knownvalue.Check{sampleID: knownvalue.Int64Exact(7)})),
			},
		}, {
			// terraform-plugin-testing's legacy state shim, used once after
			// the last step, cannot index for_each instances: end with none.
			Config: providerBlock(srv),
		}},
	})
}

func TestAccGateways_invalidRegexAtPlanTime(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	accTest(t, resource.TestStep{
		Config:      gatewaysTF(srv, `name_regex = "hq-("`),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)name_regex.*RE2.*missing closing \)`),
	})
	if n := srv.Count(sagclient.ActionDescribeSmartAccessGateways); n != 0 {
		t.Errorf("%d requests", n)
	}
}
