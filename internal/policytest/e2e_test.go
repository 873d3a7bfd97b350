package policytest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
	"github.com/opensmartag/terraform-provider-smartag/internal/testutil"
)

// The expectations below follow from examples/policies/data.json (allowed
// range 10.10.0.0/16, 12 hours, 2 sessions per account, unread data sources
// denied) and the mock's sample instance, whose sessions started at fixed
// offsets before the mock started: alice 12h40m, 9h53m and 40h26m ago, bob
// 7h06m, dave 26h33m and 4h20m, the disabled frank 3h. The judgments are
// far from every limit, so the seconds between the mock's start and the
// plan do not matter.

// sample is what a plan says about the sample's sessions: when each began
// (online_since as the provider wrote it) and when the plan was made. The
// messages the policies must print are built from it.
type sample struct {
	planned time.Time            // the plan's "timestamp"
	now     time.Time            // the instant the policies are told to judge at
	since   map[[2]string]string // {user, ip} -> online_since
}

// readSample reads the sessions of every smartag data source from the plan
// JSON, and picks an instant to judge at an hour after the plan, so that a
// verdict at the pinned instant and one at the plan's own timestamp differ.
func readSample(t *testing.T, planJSON string) sample {
	t.Helper()
	raw, err := os.ReadFile(planJSON)
	if err != nil {
		t.Fatal(err)
	}
	var plan struct {
		Timestamp  string `json:"timestamp"`
		PriorState struct {
			Values struct {
				RootModule planModule `json:"root_module"`
			} `json:"values"`
		} `json:"prior_state"`
	}
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatalf("decoding the plan JSON: %v", err)
	}
	planned, err := time.Parse(time.RFC3339, plan.Timestamp)
	if err != nil {
		t.Fatalf("the plan's timestamp %q: %v", plan.Timestamp, err)
	}
	s := sample{planned: planned, now: planned.Add(time.Hour), since: map[[2]string]string{}}
	plan.PriorState.Values.RootModule.eachResource(func(r planResource) {
		for _, c := range r.Values.Clients {
			user := c.UserName
			if r.Type == "smartag_user_online_clients" {
				user = r.Values.UserName
			}
			s.since[[2]string{user, c.ClientIP}] = c.OnlineSince
		}
	})
	return s
}

// planModule is a module of the plan JSON's prior_state, with the fields of
// the provider's data sources that the expectations need.
type planModule struct {
	Resources    []planResource `json:"resources"`
	ChildModules []planModule   `json:"child_modules"`
}

type planResource struct {
	Type   string `json:"type"`
	Values struct {
		UserName string `json:"user_name"`
		Clients  []struct {
			UserName    string `json:"user_name"`
			ClientIP    string `json:"client_ip"`
			OnlineSince string `json:"online_since"`
		} `json:"clients"`
	} `json:"values"`
}

// eachResource calls f for the resources of m and of every module below it.
func (m planModule) eachResource(f func(planResource)) {
	for _, r := range m.Resources {
		f(r)
	}
	for _, c := range m.ChildModules {
		c.eachResource(f)
	}
}

// pinnedNow is the data document that tells the policies the instant.
func (s sample) pinnedNow() map[string]any {
	return map[string]any{"smartag_limits": map[string]any{"now": s.now.Format(time.RFC3339)}}
}

// atPlanTime is the same sample judged at the plan's own timestamp.
func (s sample) atPlanTime() sample {
	s.now = s.planned
	return s
}

// sinceOf is when the session of user from ip began, as the plan says.
func (s sample) sinceOf(t *testing.T, user, ip string) string {
	t.Helper()
	since, ok := s.since[[2]string{user, ip}]
	if !ok {
		t.Fatalf("the plan has no session of %s from %s (the mock's sample changed?)", user, ip)
	}
	return since
}

const gateway = smartagmock.SampleInstanceID + " (" + smartagmock.SampleRegion + ")"

func (s sample) outsideRanges(t *testing.T, user, ip string) string {
	t.Helper()
	return fmt.Sprintf("%s: account %s is online from %s since %s, outside the allowed ranges 10.10.0.0/16",
		gateway, user, ip, s.sinceOf(t, user, ip))
}

func (s sample) tooLong(t *testing.T, user, ip string) string {
	t.Helper()
	since := s.sinceOf(t, user, ip)
	began, err := time.Parse(time.RFC3339, since)
	if err != nil {
		t.Fatalf("online_since %q of %s from %s: %v", since, user, ip, err)
	}
	minutes := int(s.now.Sub(began) / time.Minute)
	return fmt.Sprintf("%s: account %s is online from %s since %s, for %dh%02dm, longer than the 12 hours allowed",
		gateway, user, ip, since, minutes/60, minutes%60)
}

func (s sample) disabledOnline(t *testing.T, user, ip string) string {
	t.Helper()
	return fmt.Sprintf("%s: disabled account %s is online from %s since %s",
		gateway, user, ip, s.sinceOf(t, user, ip))
}

func (s sample) tooManySessions(t *testing.T, user string, ips ...string) string {
	t.Helper()
	list := make([]string, 0, len(ips))
	for _, ip := range ips {
		list = append(list, ip+" since "+s.sinceOf(t, user, ip))
	}
	slices.Sort(list)
	return fmt.Sprintf("%s: account %s has %d sessions online, more than the 2 allowed: %s",
		gateway, user, len(ips), strings.Join(list, ", "))
}

func unread(address string) string {
	return address + ": not read during the plan (read_because_config_unknown), so who is online there could not be checked; give it arguments known at plan time, or check again after apply"
}

// startSample serves the mock's built-in sample, in-process.
func startSample(t *testing.T) string {
	t.Helper()
	srv, err := smartagmock.Start(smartagmock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv.URL
}

func sampleWorkspace(t *testing.T, name, endpoint string) workspace {
	t.Helper()
	return newWorkspace(t, name, endpoint, smartagmock.SampleInstanceID,
		"ALIBABA_CLOUD_ACCESS_KEY_ID="+smartagmock.SampleAccessKeyID,
		"ALIBABA_CLOUD_ACCESS_KEY_SECRET="+smartagmock.SampleAccessKeySecret,
		"ALIBABA_CLOUD_REGION="+smartagmock.SampleRegion,
	)
}

// The whole-instance audit flags every rule: two addresses outside the
// range, three sessions online too long, the disabled account's session and
// alice's third session; nothing else. alice's sessions, also read by a
// check-scoped smartag_user_online_clients, are not reported twice.
func TestPolicy_gatewayAudit(t *testing.T) {
	tl := requireTools(t)
	planJSON := sampleWorkspace(t, "gateway", startSample(t)).plan(t, tl.cli)
	s := readSample(t, planJSON)

	want := func(s sample) []string {
		return []string{
			s.outsideRanges(t, "alice", "172.16.5.9"),
			s.outsideRanges(t, "dave", "192.168.100.5"),
			s.tooLong(t, "alice", "172.16.5.9"),
			s.tooLong(t, "alice", "10.10.1.21"),
			s.tooLong(t, "dave", "192.168.100.5"),
			s.disabledOnline(t, "frank", "10.10.4.2"),
			s.tooManySessions(t, "alice", "10.10.1.21", "10.10.1.22", "172.16.5.9"),
		}
	}
	got := tl.judge(t, planJSON, s.pinnedNow())
	assertSameMessages(t, "deny at the pinned instant", got.Deny, want(s))
	assertSameMessages(t, "warn", got.Warn, nil)

	// Without a pinned instant the policies judge at the plan's timestamp,
	// an hour earlier: the same sessions, with ages an hour shorter.
	assertSameMessages(t, "deny at the plan's timestamp", tl.judge(t, planJSON).Deny, want(s.atPlanTime()))

	// HCP Terraform hands OPA {"plan": <the plan JSON>, "run": {...}} and
	// runs the policy set's query: the same verdict.
	assertSameMessages(t, "deny with HCP Terraform's input layout",
		hcpQuery(t, tl.opa, hcpInput(t, planJSON), s.pinnedNow()), want(s))

	// The CI gate fails the job and prints each message.
	printed, failed := gate(t, tl.opa, planJSON)
	if !failed {
		t.Error("opa eval --fail-defined passed a plan with violations")
	}
	assertSameMessages(t, "printed by the CI gate", printed, want(s.atPlanTime()))
}

// The same audit inside modules, two levels deep: the policies find the data
// sources in prior_state's child_modules and flag the same sessions.
func TestPolicy_dataSourcesInModules(t *testing.T) {
	tl := requireTools(t)
	planJSON := sampleWorkspace(t, "modules", startSample(t)).plan(t, tl.cli)
	s := readSample(t, planJSON)

	got := tl.judge(t, planJSON, s.pinnedNow())
	assertSameMessages(t, "deny", got.Deny, []string{
		s.outsideRanges(t, "alice", "172.16.5.9"),
		s.outsideRanges(t, "dave", "192.168.100.5"),
		s.tooLong(t, "alice", "172.16.5.9"),
		s.tooLong(t, "alice", "10.10.1.21"),
		s.tooLong(t, "dave", "192.168.100.5"),
		s.disabledOnline(t, "frank", "10.10.4.2"),
		s.tooManySessions(t, "alice", "10.10.1.21", "10.10.1.22", "172.16.5.9"),
	})
	assertSameMessages(t, "warn", got.Warn, nil)
}

// Per-user lookups carry no account state, so the disabled-account rule has
// nothing to judge; the other rules flag the same sessions as above.
func TestPolicy_perUserLookups(t *testing.T) {
	tl := requireTools(t)
	planJSON := sampleWorkspace(t, "users", startSample(t)).plan(t, tl.cli)
	s := readSample(t, planJSON)

	want := []string{
		s.outsideRanges(t, "alice", "172.16.5.9"),
		s.outsideRanges(t, "dave", "192.168.100.5"),
		s.tooLong(t, "alice", "172.16.5.9"),
		s.tooLong(t, "alice", "10.10.1.21"),
		s.tooLong(t, "dave", "192.168.100.5"),
		s.tooManySessions(t, "alice", "10.10.1.21", "10.10.1.22", "172.16.5.9"),
	}
	got := tl.judge(t, planJSON, s.pinnedNow())
	assertSameMessages(t, "deny", got.Deny, want)
	assertSameMessages(t, "warn", got.Warn, nil)
}

// Reads whose gateway ID is known only after apply leave the plan without an
// answer: the policies deny them as unchecked rather than pass them.
func TestPolicy_deferredReadsAreNotPassed(t *testing.T) {
	tl := requireTools(t)
	planJSON := sampleWorkspace(t, "deferred", startSample(t)).plan(t, tl.cli)
	s := readSample(t, planJSON)

	got := tl.judge(t, planJSON, s.pinnedNow())
	assertSameMessages(t, "deny", got.Deny, []string{
		unread("data.smartag_online_clients.later"),
		unread("data.smartag_user_online_clients.later"),
	})
	assertSameMessages(t, "warn", got.Warn, nil)
	if _, failed := gate(t, tl.opa, planJSON); !failed {
		t.Error("opa eval --fail-defined passed a plan whose reads were deferred")
	}
}

// A plan that breaks no rule passes, and the CI gate lets it through.
func TestPolicy_cleanPlanPasses(t *testing.T) {
	tl := requireTools(t)
	planJSON := sampleWorkspace(t, "clean", startSample(t)).plan(t, tl.cli)
	s := readSample(t, planJSON)

	got := tl.judge(t, planJSON, s.pinnedNow())
	assertSameMessages(t, "deny", got.Deny, nil)
	assertSameMessages(t, "warn", got.Warn, nil)
	if printed, failed := gate(t, tl.opa, planJSON); failed || len(printed) != 0 {
		t.Errorf("opa eval --fail-defined failed a clean plan (failed=%v): %q", failed, printed)
	}
}

// hcpInput wraps a plan JSON file the way HCP Terraform's OPA integration
// presents it, the plan under "plan" beside the run's details under "run",
// and returns the new file's path.
func hcpInput(t *testing.T, planJSON string) string {
	t.Helper()
	plan, err := os.ReadFile(planJSON)
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := json.Marshal(map[string]any{
		"plan": json.RawMessage(plan),
		"run": map[string]any{
			"id":           "run-policytest",
			"is_destroy":   false,
			"target_addrs": nil,
			"organization": map[string]any{"name": "example-org"},
			"project":      map[string]any{"id": "prj-policytest", "name": "network"},
			"workspace":    map[string]any{"id": "ws-policytest", "name": "audit", "execution_mode": "remote"},
			"variables":    map[string]any{"smartag_id": map[string]any{"category": "terraform", "sensitive": false}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "hcp-input.json")
	if err := os.WriteFile(path, wrapped, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// hcpQuery evaluates the query a policy set names in policies.hcl,
// data.smartag.deny, on HCP Terraform's input, with the policies and the
// data.json beside them, and checks that it returns an array of messages,
// as HCP Terraform requires.
func hcpQuery(t *testing.T, opa, input string, extraData ...map[string]any) []string {
	t.Helper()
	args := []string{"eval", "--format", "json", "--data", policyDir, "--input", input}
	for _, path := range writeDataDocs(t, extraData) {
		args = append(args, "--data", path)
	}
	args = append(args, "data.smartag.deny")
	out := workspace{dir: t.TempDir(), env: []string{"PATH=" + os.Getenv("PATH")}}.run(t, opa, args...)
	var res struct {
		Result []struct {
			Expressions []struct {
				Value json.RawMessage `json:"value"`
			} `json:"expressions"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("decoding opa eval's answer: %v\n%s", err, out)
	}
	if len(res.Result) != 1 || len(res.Result[0].Expressions) != 1 {
		t.Fatalf("opa eval data.smartag.deny: want one result, got %s", out)
	}
	var messages []string
	if err := json.Unmarshal(res.Result[0].Expressions[0].Value, &messages); err != nil {
		t.Fatalf("data.smartag.deny is not an array of strings, as HCP Terraform needs: %v\n%s", err, res.Result[0].Expressions[0].Value)
	}
	return messages
}

// The plan JSON of Terraform 1.14 and later has keys older CLIs never
// wrote (applyable, complete; action_invocations and deferred_changes when
// there are any): the verdicts above were reached on that shape too.
func TestPolicy_planShapeOfNewerTerraform(t *testing.T) {
	tl := requireTools(t)
	if cli := testutil.AcceptanceCLI(t); !cli.HasActions() {
		t.Skipf("%s is not Terraform %s or later, whose plan JSON adds these keys", cli, testutil.ActionsMinVersion)
	}
	planJSON := sampleWorkspace(t, "gateway", startSample(t)).plan(t, tl.cli)
	raw, err := os.ReadFile(planJSON)
	if err != nil {
		t.Fatal(err)
	}
	var plan map[string]json.RawMessage
	if err := json.Unmarshal(raw, &plan); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{"applyable": "true", "complete": "true"} {
		if got := string(plan[key]); got != want {
			t.Errorf("plan JSON %q = %q, want %s", key, got, want)
		}
	}
}
