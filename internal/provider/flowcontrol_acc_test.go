package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// generatedUsers is a for_each over the first n accounts of the mock's
// generated instance, each with a read of its own.
func generatedUsers(srv *smartagmock.Server, n int, providerExtra ...string) string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%q", fmt.Sprintf("user%05d", i+1))
	}
	return providerBlock(srv, providerExtra...) + fmt.Sprintf(`
data "smartag_user_online_clients" "each" {
  for_each   = toset([%s])
  smartag_id = %q
  user_name  = each.value
}

output "reads" {
  value = length(data.smartag_user_online_clients.each)
}
`, strings.Join(names, ", "), smartagmock.GeneratedInstanceID)
}

// A plan of many reads against a service admitting 10 requests per
// second, which the provider is not told, succeeds: refusals cost time,
// and the governor keeps them few.
func TestAccFlowControl_manyReadsUnderAnUnknownLimit(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{GenerateUsers: 60, RateLimit: 10})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:            generatedUsers(srv, 60),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("reads", knownvalue.Int64Exact(60))},
		}, {
			// terraform-plugin-testing's legacy state shim, used once after
			// the last step, cannot index for_each instances: end with none.
			Config: providerBlock(srv),
		}},
	})
	action := sagclient.ActionDescribeUserOnlineClients
	admitted, refused := srv.Admitted(action), srv.Refused(action)
	if admitted == 0 || admitted%60 != 0 {
		t.Errorf("%d reads admitted, want a multiple of 60", admitted)
	}
	t.Logf("admitted %d, refused %d, peak %d per second", admitted, refused, srv.PeakAdmitted(action))
}

// max_requests_per_second is a ceiling the mock never sees exceeded in any
// rolling second.
func TestAccFlowControl_maxRequestsPerSecondIsNeverExceeded(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{GenerateUsers: 12})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:            generatedUsers(srv, 12, "  max_requests_per_second = 3"),
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("reads", knownvalue.Int64Exact(12))},
		}, {
			Config: providerBlock(srv),
		}},
	})
	action := sagclient.ActionDescribeUserOnlineClients
	if peak := srv.PeakAdmitted(action); peak > 3 || srv.Admitted(action) < 12 {
		t.Errorf("peak %d requests in a rolling second under a ceiling of 3 (%d admitted)", peak, srv.Admitted(action))
	}
}

// The instance-wide audit fans out hundreds of requests in one read; under
// an unknown limit of 20 per second per action it is still complete.
func TestAccFlowControl_auditUnderALimitIsComplete(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{GenerateUsers: 1000, OnlineEvery: 10, RateLimit: 20})
	accTest(t, resource.TestStep{
		Config: auditConfig(srv, smartagmock.GeneratedInstanceID) + `
output "sessions" {
  value = length(data.smartag_online_clients.audit.clients)
}
output "accounts" {
  value = length(data.smartag_online_clients.audit.users)
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("accounts", knownvalue.Int64Exact(1000)),
			statecheck.ExpectKnownOutputValue("sessions", knownvalue.Int64Exact(100)),
		},
	})
	// Every read was complete: exactly one read's requests admitted, per
	// read, for each action.
	pages := srv.Admitted(sagclient.ActionDescribeSmartAccessGatewayClientUsers)
	reads := pages / 10
	if reads == 0 || pages%10 != 0 ||
		srv.Admitted(sagclient.ActionDescribeUserOnlineClientStatistics) != 20*reads ||
		srv.Admitted(sagclient.ActionDescribeUserOnlineClients) != 100*reads {
		t.Errorf("admitted %d pages, %d batches, %d session reads", pages,
			srv.Admitted(sagclient.ActionDescribeUserOnlineClientStatistics), srv.Admitted(sagclient.ActionDescribeUserOnlineClients))
	}
}
