package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

const (
	sampleID   = smartagmock.SampleInstanceID
	hongKongID = "sag-sample0hongkong1"
	aliceDS    = "data.smartag_user_online_clients.alice"
)

var requestIDPattern = regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)

func onlineClient(ip, unix, rfc3339 string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"client_ip":    knownvalue.StringExact(ip),
		"online_time":  knownvalue.StringExact(unix),
		"online_since": knownvalue.StringExact(rfc3339),
	})
}

func userConfig(srv *smartagmock.Server, name, smartagID, user string, extra ...string) string {
	body := ""
	for _, e := range extra {
		body += "  " + e + "\n"
	}
	return providerBlock(srv) + fmt.Sprintf(`
data "smartag_user_online_clients" %q {
  smartag_id = %q
  user_name  = %q
%s}
`, name, smartagID, user, body)
}

func TestAccUserOnlineClients_basic(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	accTest(t, resource.TestStep{
		Config: userConfig(srv, "alice", sampleID, "alice"),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("id"), knownvalue.StringExact("cn-shanghai:"+sampleID+":alice")),
			statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("smartag_id"), knownvalue.StringExact(sampleID)),
			statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("user_name"), knownvalue.StringExact("alice")),
			statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("region"), knownvalue.StringExact("cn-shanghai")),
			statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("request_id"), knownvalue.StringRegexp(requestIDPattern)),
			statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("client_ips"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("10.10.1.21"), knownvalue.StringExact("10.10.1.22"), knownvalue.StringExact("172.16.5.9"),
			})),
			statecheck.ExpectKnownValue(aliceDS, tfjsonpath.New("clients"), knownvalue.ListExact([]knownvalue.Check{
				onlineClient("10.10.1.21", "1764300000", "2025-11-28T03:20:00Z"),
				onlineClient("10.10.1.22", "1764310000", "2025-11-28T06:06:40Z"),
				onlineClient("172.16.5.9", "1764200000", "2025-11-26T23:33:20Z"),
			})),
		},
	})
	// Every request reached the mock signed and for the right pair.
	if n := srv.CountFor(sampleID, "alice"); n == 0 || n != srv.Count("DescribeUserOnlineClients") {
		t.Errorf("mock counted %d requests for alice of %d in all", n, srv.Count("DescribeUserOnlineClients"))
	}
}

func TestAccUserOnlineClients_nobodyOnline(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	ds := "data.smartag_user_online_clients.carol"
	accTest(t, resource.TestStep{
		Config: userConfig(srv, "carol", sampleID, "carol"),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(ds, tfjsonpath.New("client_ips"), knownvalue.ListSizeExact(0)),
			statecheck.ExpectKnownValue(ds, tfjsonpath.New("clients"), knownvalue.ListSizeExact(0)),
			statecheck.ExpectKnownValue(ds, tfjsonpath.New("request_id"), knownvalue.StringRegexp(requestIDPattern)),
		},
	})
}

func TestAccUserOnlineClients_regionOverride(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	ds := "data.smartag_user_online_clients.erin"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// The provider says cn-shanghai; the instance lives in cn-hongkong.
				Config:      userConfig(srv, "erin", hongKongID, "erin"),
				ExpectError: regexp.MustCompile(`SAG\.InstanceNoFound`),
			},
			{
				Config: userConfig(srv, "erin", hongKongID, "erin", `region = "cn-hongkong"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("id"), knownvalue.StringExact("cn-hongkong:"+hongKongID+":erin")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("region"), knownvalue.StringExact("cn-hongkong")),
					statecheck.ExpectKnownValue(ds, tfjsonpath.New("client_ips"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("10.20.0.8")})),
				},
			},
		},
	})
	for _, r := range srv.Requests() {
		if r.Params["SmartAGId"] == hongKongID && r.Status == 200 && r.Params["RegionId"] != "cn-hongkong" {
			t.Errorf("a successful read used region %q", r.Params["RegionId"])
		}
	}
}

func TestAccUserOnlineClients_unknownInstance(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	accTest(t, resource.TestStep{
		Config:      userConfig(srv, "ghost", "sag-doesnotexist0", "alice"),
		ExpectError: regexp.MustCompile(`(?s)SAG\.InstanceNoFound.*Request ID: [0-9A-F-]{36}.*region`),
	})
	if n := srv.CountFor("sag-doesnotexist0", "alice"); n != 1 {
		t.Errorf("a client error must not be retried: %d requests", n)
	}
}

// A name the service would refuse with ClientUser.NameInvalid is refused
// at plan time by the same rule (idrules.UserNamePattern), on user_name,
// and never sent.
func TestAccUserOnlineClients_userNameTheServiceRejectsIsRefusedAtPlanTime(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	accTest(t, resource.TestStep{
		Config:      userConfig(srv, "bad", sampleID, "-no good-"),
		ExpectError: regexp.MustCompile(`(?s)Invalid account name.*user_name`),
	})
	if n := srv.Count("DescribeUserOnlineClients"); n != 0 {
		t.Errorf("%d requests sent for a name refused at plan time", n)
	}
}

func TestAccUserOnlineClients_planTimeValidationSendsNoRequest(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	cases := map[string]struct {
		id, user string
		want     string
	}{
		"empty smartag_id": {"", "alice", `smartag_id must not be empty`},
		"blank smartag_id": {"   ", "alice", `smartag_id must not be empty`},
		"malformed id":     {"i-123", "alice", `"sag-" followed by lowercase letters and digits`},
		"upper-case id":    {"sag-ABC", "alice", `"sag-" followed by lowercase letters and digits`},
		"empty user_name":  {sampleID, "", `user_name must not be empty or blank`},
		"blank user_name":  {sampleID, " \t ", `user_name must not be empty or blank`},
	}
	var steps []resource.TestStep
	for _, tc := range cases {
		steps = append(steps, resource.TestStep{
			Config:      userConfig(srv, "x", tc.id, tc.user),
			PlanOnly:    true,
			ExpectError: messagePattern(tc.want),
		})
	}
	steps = append(steps, resource.TestStep{
		Config:      userConfig(srv, "x", sampleID, "alice", `region = "Shanghai"`),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`region ID such as cn-shanghai`),
	})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
	if n := srv.Count("DescribeUserOnlineClients"); n != 0 {
		t.Errorf("plan-time validation sent %d requests", n)
	}
}

func TestAccUserOnlineClients_idKnownOnlyAfterApply(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := providerBlock(srv) + fmt.Sprintf(`
resource "terraform_data" "instance" {
  input = %q
}

data "smartag_user_online_clients" "alice" {
  smartag_id = terraform_data.instance.output
  user_name  = "alice"
}

output "ips" {
  value = data.smartag_user_online_clients.alice.client_ips
}
`, sampleID)
	accTest(t, resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownOutputValue("ips")},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("ips", knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("10.10.1.21"), knownvalue.StringExact("10.10.1.22"), knownvalue.StringExact("172.16.5.9"),
			})),
		},
	})
}

func TestAccUserOnlineClients_forEachManyUsers(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := providerBlock(srv) + fmt.Sprintf(`
locals {
  users = ["alice", "bob", "carol", "dave"]
}

data "smartag_user_online_clients" "each" {
  for_each   = toset(local.users)
  smartag_id = %q
  user_name  = each.value
}

output "online_count" {
  value = { for u, d in data.smartag_user_online_clients.each : u => length(d.clients) }
}
`, sampleID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("online_count", knownvalue.MapExact(map[string]knownvalue.Check{
					"alice": knownvalue.Int64Exact(3), "bob": knownvalue.Int64Exact(1),
					"carol": knownvalue.Int64Exact(0), "dave": knownvalue.Int64Exact(2),
				})),
			},
		}, {
			// terraform-plugin-testing's legacy state shim, used once after
			// the last step, cannot index for_each instances: end with none.
			Config: providerBlock(srv),
		}},
	})
	for _, user := range []string{"alice", "bob", "carol", "dave"} {
		if srv.CountFor(sampleID, user) == 0 {
			t.Errorf("no request for %s", user)
		}
	}
	if a, d := srv.CountFor(sampleID, "alice"), srv.CountFor(sampleID, "dave"); a != d {
		t.Errorf("every user is read the same number of times: alice %d, dave %d", a, d)
	}
}

func TestAccUserOnlineClients_checkBlockAndPrecondition(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	policy := func(maxClients int) string {
		return providerBlock(srv) + fmt.Sprintf(`
data "smartag_user_online_clients" "alice" {
  smartag_id = %[1]q
  user_name  = "alice"
}

check "only_private_addresses" {
  assert {
    condition     = alltrue([for ip in data.smartag_user_online_clients.alice.client_ips : can(cidrnetmask("${ip}/32")) && (startswith(ip, "10.") || startswith(ip, "172.16."))])
    error_message = "alice is online from an address outside the allowed ranges"
  }
}

output "alice_since" {
  value = [for c in data.smartag_user_online_clients.alice.clients : c.online_since]

  precondition {
    condition     = length(data.smartag_user_online_clients.alice.clients) <= %[2]d
    error_message = "alice has more than %[2]d clients online"
  }
}
`, sampleID, maxClients)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: policy(5),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("alice_since", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("2025-11-28T03:20:00Z"), knownvalue.StringExact("2025-11-28T06:06:40Z"), knownvalue.StringExact("2025-11-26T23:33:20Z"),
					})),
				},
			},
			{
				Config:      policy(2),
				ExpectError: regexp.MustCompile(`alice has more than 2 clients online`),
			},
		},
	})
}

// oddAnswer is a canned DescribeUserOnlineClients answer with values the
// mock's fixture validation refuses: a ClientIp that is not an IP,
// OnlineTime values that are not unix seconds, and values that echo the
// provider's secret key (cannedSecret).
const oddAnswer = `{"RequestId":"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0","Users":{"User":[
  {"OnlineTime":"1764300000","ClientIp":"10.10.1.21"},
  {"OnlineTime":"yesterday","ClientIp":"vpn-gw.internal"},
  {"OnlineTime":1764310000,"ClientIp":"10.10.1.22"},
  {"OnlineTime":"1764300000 ` + cannedSecret + `","ClientIp":"10.10.1.23 ` + cannedSecret + `"}]}}`

const cannedSecret = "canned-answer-secret-0001"

// TestAccUserOnlineClients_oddValuesWarnAndKeepTheRead: a real
// `terraform apply -json` against an endpoint that answers oddAnswer. The
// read succeeds, warns about each odd value, and online_since is null for
// the client whose OnlineTime is not unix seconds. A value that echoes the
// secret key is withheld: null in the state, the secret nowhere.
func TestAccUserOnlineClients_oddValuesWarnAndKeepTheRead(t *testing.T) {
	tfPath := terraformPath(t)
	isolateEnv(t)
	cliConfig := devProviderCLIConfig(t)
	var requests sync.WaitGroup
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		defer requests.Done()
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = w.Write([]byte(oddAnswer))
	}))
	t.Cleanup(endpoint.Close)

	dir := t.TempDir()
	config := requiredProviders + fmt.Sprintf(`
provider "smartag" {
  endpoint   = %q
  region     = "cn-shanghai"
  access_key = "LTAIcannedAnswerKey1"
  secret_key = %q
}

data "smartag_user_online_clients" "alice" {
  smartag_id = %q
  user_name  = "alice"
}

output "clients" {
  value = data.smartag_user_online_clients.alice.clients
}

output "client_ips" {
  value = data.smartag_user_online_clients.alice.client_ips
}
`, endpoint.URL, cannedSecret, sampleID)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.CommandContext(ctx, tfPath, args...)
		cmd.Dir = dir
		cmd.Env = tfEnv(cliConfig)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s\n%s", strings.Join(args, " "), err, stdout, stderr.String())
		}
		return stdout
	}

	// Every line of -json output is one message; diagnostics carry a
	// severity, a summary and a detail.
	type diagnostic struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Detail   string `json:"detail"`
	}
	var warnings []diagnostic
	scanner := bufio.NewScanner(bytes.NewReader(run("apply", "-input=false", "-auto-approve", "-json", "-lock=false")))
	scanner.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for scanner.Scan() {
		var msg struct {
			Type       string      `json:"type"`
			Diagnostic *diagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(scanner.Bytes(), &msg) == nil && msg.Type == "diagnostic" && msg.Diagnostic != nil {
			if msg.Diagnostic.Severity == "error" {
				t.Errorf("unexpected error: %s: %s", msg.Diagnostic.Summary, msg.Diagnostic.Detail)
			}
			if msg.Diagnostic.Severity == "warning" && msg.Diagnostic.Summary == "Unexpected value in the Smartag answer" {
				warnings = append(warnings, *msg.Diagnostic)
			}
		}
	}
	var details []string
	for _, w := range warnings {
		details = append(details, w.Detail)
	}
	all := strings.Join(details, "\n")
	for _, want := range []string{
		`client 1 ("vpn-gw.internal"): OnlineTime "yesterday" is not unix seconds; online_since is left null`,
		`client 1: ClientIp "vpn-gw.internal" is not an IP address; it is kept as given`,
		`request ID 0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0`,
		`client 3: ClientIp holds a secret of this provider's credentials; it is withheld (null)`,
		`client 3: OnlineTime holds a secret of this provider's credentials; it is withheld (null)`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning says %q; warnings:\n%s", want, all)
		}
	}
	// The read is done once per plan and apply at most, two warnings each.
	if len(warnings) == 0 || len(warnings)%2 != 0 {
		t.Errorf("want two warnings per read, got %d:\n%s", len(warnings), all)
	}

	if strings.Contains(all, cannedSecret) {
		t.Errorf("a warning carries the secret key:\n%s", all)
	}
	outputJSON := run("output", "-json")
	if bytes.Contains(outputJSON, []byte(cannedSecret)) {
		t.Errorf("the state carries the secret key: %s", outputJSON)
	}
	var outputs struct {
		Clients struct {
			Value []map[string]*string `json:"value"`
		} `json:"clients"`
		ClientIPs struct {
			Value []*string `json:"value"`
		} `json:"client_ips"`
	}
	if err := json.Unmarshal(outputJSON, &outputs); err != nil {
		t.Fatal(err)
	}
	if ips := outputs.ClientIPs.Value; len(ips) != 4 || ips[3] != nil || ips[0] == nil || *ips[0] != "10.10.1.21" {
		t.Errorf("client_ips: want the fourth null, got %d entries %v", len(ips), ips)
	}
	clients := outputs.Clients.Value
	str := func(p *string) string {
		if p == nil {
			return "<null>"
		}
		return *p
	}
	want := []struct{ ip, time, since string }{
		{"10.10.1.21", "1764300000", "2025-11-28T03:20:00Z"},
		{"vpn-gw.internal", "yesterday", "<null>"},
		{"10.10.1.22", "1764310000", "2025-11-28T06:06:40Z"},
		{"<null>", "<null>", "<null>"},
	}
	if len(clients) != len(want) {
		t.Fatalf("want %d clients in state, got %v", len(want), clients)
	}
	for i, w := range want {
		c := clients[i]
		if got := [3]string{str(c["client_ip"]), str(c["online_time"]), str(c["online_since"])}; got != [3]string{w.ip, w.time, w.since} {
			t.Errorf("client %d: got %v, want %+v", i, got, w)
		}
	}
	requests.Wait()
}
