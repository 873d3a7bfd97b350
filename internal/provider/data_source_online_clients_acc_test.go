package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

const auditDS = "data.smartag_online_clients.audit"

func auditConfig(srv *smartagmock.Server, smartagID string, extra ...string) string {
	return providerBlock(srv) + fmt.Sprintf(`
data "smartag_online_clients" "audit" {
  smartag_id = %q
%s
}
`, smartagID, "  "+strings.Join(extra, "\n  "))
}

func account(name, mail string, enabled bool, bandwidth, online int64) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"user_name":      knownvalue.StringExact(name),
		"user_mail":      knownvalue.StringExact(mail),
		"enabled":        knownvalue.Bool(enabled),
		"bandwidth_kbps": knownvalue.Int64Exact(bandwidth),
		"online_count":   knownvalue.Int64Exact(online),
	})
}

func session(user, ip, unix, rfc3339 string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"request_id":   knownvalue.StringRegexp(requestIDPattern),
		"user_name":    knownvalue.StringExact(user),
		"client_ip":    knownvalue.StringExact(ip),
		"online_time":  knownvalue.StringExact(unix),
		"online_since": knownvalue.StringExact(rfc3339),
	})
}

func stringsExact(values ...string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

// requestsPerRead checks the mock's count of every audit action against
// what one read must send, times the number of reads the test framework
// made (one listing page per read).
func requestsPerRead(t *testing.T, srv *smartagmock.Server, pages, batches, details int) {
	t.Helper()
	reads := srv.Count(sagclient.ActionDescribeSmartAccessGatewayClientUsers) / pages
	if reads == 0 {
		t.Fatal("no read reached the mock")
	}
	for action, per := range map[string]int{
		sagclient.ActionDescribeSmartAccessGatewayClientUsers: pages,
		sagclient.ActionDescribeUserOnlineClientStatistics:    batches,
		sagclient.ActionDescribeUserOnlineClients:             details,
	} {
		if got := srv.Count(action); got != per*reads {
			t.Errorf("%s: %d requests for %d reads, want %d per read", action, got, reads, per)
		}
	}
}

func TestAccOnlineClients_wholeInstance(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	accTest(t, resource.TestStep{
		Config: auditConfig(srv, sampleID),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("id"), knownvalue.StringExact("cn-shanghai:"+sampleID)),
			statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("region"), knownvalue.StringExact("cn-shanghai")),
			statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("user_names"), knownvalue.Null()),
			statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
				account("alice", "alice@example.com", true, 2000, 3),
				account("bob", "bob@example.com", true, 1000, 1),
				account("carol", "carol@example.com", true, 500, 0),
				account("dave", "dave@example.com", true, 2000, 2),
				account("frank", "frank@example.com", false, 1000, 1),
			})),
			statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("clients"), knownvalue.ListExact([]knownvalue.Check{
				session("alice", "172.16.5.9", "1764200000", "2025-11-26T23:33:20Z"),
				session("alice", "10.10.1.21", "1764300000", "2025-11-28T03:20:00Z"),
				session("alice", "10.10.1.22", "1764310000", "2025-11-28T06:06:40Z"),
				session("bob", "10.10.2.7", "1764320000", "2025-11-28T08:53:20Z"),
				session("dave", "192.168.100.5", "1764250000", "2025-11-27T13:26:40Z"),
				session("dave", "10.10.3.4", "1764330000", "2025-11-28T11:40:00Z"),
				session("frank", "10.10.4.2", "1764334800", "2025-11-28T13:00:00Z"),
			})),
			statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("client_ips"), stringsExact(
				"172.16.5.9", "10.10.1.21", "10.10.1.22", "10.10.2.7", "192.168.100.5", "10.10.3.4", "10.10.4.2")),
		},
	})
	// carol has nobody online: her sessions are never asked for.
	requestsPerRead(t, srv, 1, 1, 4)
	if n := srv.CountFor(sampleID, "carol"); n != 0 {
		t.Errorf("%d requests for carol's sessions", n)
	}
}

func TestAccOnlineClients_userNames(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	accTest(t, resource.TestStep{
		Config: auditConfig(srv, sampleID, `user_names = ["carol", "frank"]`),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("users"), knownvalue.ListExact([]knownvalue.Check{
				account("carol", "carol@example.com", true, 500, 0),
				account("frank", "frank@example.com", false, 1000, 1),
			})),
			statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("client_ips"), stringsExact("10.10.4.2")),
		},
	})
	requestsPerRead(t, srv, 1, 1, 1)
}

func TestAccOnlineClients_unknownUserNameIsAnError(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	accTest(t, resource.TestStep{
		Config:      auditConfig(srv, sampleID, `user_names = ["alice", "alcie"]`),
		ExpectError: regexp.MustCompile(`(?s)Unknown account in user_names.*"alcie"`),
	})
	if n := srv.Count(sagclient.ActionDescribeUserOnlineClients); n != 0 {
		t.Errorf("an audit that cannot be complete sent %d session requests", n)
	}
}

func TestAccOnlineClients_planTimeValidationSendsNoRequest(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	var steps []resource.TestStep
	for _, tc := range []struct{ id, extra, want string }{
		{"sag-BAD", "", `"sag-" followed by lowercase letters and digits`},
		{sampleID, `user_names = []`, `set must contain at least 1 elements`},
		{sampleID, `user_names = ["alice", " "]`, `must not be empty or blank`},
		{sampleID, `region = "Shanghai"`, `region ID such as cn-shanghai`},
		{sampleID, `timeouts { read = "soon" }`, `must be a string containing a sequence of decimal numbers`},
	} {
		steps = append(steps, resource.TestStep{Config: auditConfig(srv, tc.id, tc.extra), PlanOnly: true, ExpectError: messagePattern(tc.want)})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
	for _, r := range srv.Requests() {
		t.Errorf("plan-time validation sent %s", r.Action)
	}
}

func TestAccOnlineClients_unknownInstanceOnSmartagID(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:      auditConfig(srv, hongKongID),
			ExpectError: regexp.MustCompile(`(?s)SAG\.InstanceNoFound.*DescribeSmartAccessGatewayClientUsers.*Request ID: [0-9A-F-]{36}`),
		}, {
			Config: auditConfig(srv, hongKongID, `region = "cn-hongkong"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("id"), knownvalue.StringExact("cn-hongkong:"+hongKongID)),
				statecheck.ExpectKnownValue(auditDS, tfjsonpath.New("clients"), knownvalue.ListExact([]knownvalue.Check{
					session("erin", "10.20.0.8", "1764340000", "2025-11-28T14:26:40Z"),
				})),
			},
		}},
	})
}

func TestAccOnlineClients_largeInstance(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{GenerateUsers: 1000, OnlineEvery: 10})
	accTest(t, resource.TestStep{
		Config: auditConfig(srv, smartagmock.GeneratedInstanceID) + `
output "online_accounts" {
  value = length([for u in data.smartag_online_clients.audit.users : u if u.online_count > 0])
}
output "sessions" {
  value = length(data.smartag_online_clients.audit.clients)
}
output "accounts" {
  value = length(data.smartag_online_clients.audit.users)
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("accounts", knownvalue.Int64Exact(1000)),
			statecheck.ExpectKnownOutputValue("online_accounts", knownvalue.Int64Exact(100)),
			statecheck.ExpectKnownOutputValue("sessions", knownvalue.Int64Exact(100)),
		},
	})
	// 1,000 accounts: 10 pages, 20 statistics batches, 100 session reads,
	// not 1,000.
	requestsPerRead(t, srv, 10, 20, 100)
}

func TestAccOnlineClients_policyFindsDisabledAccountOnline(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := auditConfig(srv, sampleID) + `
locals {
  disabled = [for u in data.smartag_online_clients.audit.users : u.user_name if !u.enabled]
  disabled_online = [for c in data.smartag_online_clients.audit.clients : "${c.user_name}@${c.client_ip}" if contains(local.disabled, c.user_name)]
}

output "disabled_online" {
  value = local.disabled_online

  precondition {
    condition     = length(local.disabled_online) == 0
    error_message = "disabled accounts online: ${join(", ", local.disabled_online)}"
  }
}
`
	accTest(t, resource.TestStep{
		Config:      config,
		ExpectError: regexp.MustCompile(`disabled accounts online: frank@10\.10\.4\.2`),
	})
}
