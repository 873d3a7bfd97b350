package policytest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// The expectations below follow from examples/policies/data.json (allowed
// range 10.10.0.0/16, 12 hours, 2 sessions per account, unread data sources
// denied) and the mock's sample instance, whose sessions started at fixed
// offsets before the instant the fixture is made for.

// sample is the mock's sample fixture made for one instant, the same
// instant the policies are told is now, so every message is exact.
type sample struct {
	now     time.Time
	fixture *smartagmock.Fixture
}

func newSample() sample {
	now := time.Now().UTC().Truncate(time.Second)
	return sample{now: now, fixture: smartagmock.SampleFixtureAt(now)}
}

// pinnedNow is the data document that tells the policies the instant.
func (s sample) pinnedNow() map[string]any {
	return map[string]any{"smartag_limits": map[string]any{"now": s.now.Format(time.RFC3339)}}
}

// since is when the sample's session of user from ip started.
func (s sample) since(t *testing.T, user, ip string) time.Time {
	t.Helper()
	for _, inst := range s.fixture.Instances {
		if inst.SmartAGID != smartagmock.SampleInstanceID {
			continue
		}
		for _, u := range inst.Users {
			if u.UserName != user {
				continue
			}
			for _, c := range u.Clients {
				if c.ClientIP == ip {
					secs, err := strconv.ParseInt(c.OnlineTime, 10, 64)
					if err != nil {
						t.Fatalf("sample session %s from %s: online time %q: %v", user, ip, c.OnlineTime, err)
					}
					return time.Unix(secs, 0).UTC()
				}
			}
		}
	}
	t.Fatalf("the mock's sample has no session of %s from %s", user, ip)
	return time.Time{}
}

const gateway = smartagmock.SampleInstanceID + " (" + smartagmock.SampleRegion + ")"

func (s sample) outsideRanges(t *testing.T, user, ip string) string {
	return fmt.Sprintf("%s: account %s is online from %s since %s, outside the allowed ranges 10.10.0.0/16",
		gateway, user, ip, s.since(t, user, ip).Format(time.RFC3339))
}

func (s sample) tooLong(t *testing.T, user, ip string) string {
	since := s.since(t, user, ip)
	minutes := int(s.now.Sub(since) / time.Minute)
	return fmt.Sprintf("%s: account %s is online from %s since %s, for %dh%02dm, longer than the 12 hours allowed",
		gateway, user, ip, since.Format(time.RFC3339), minutes/60, minutes%60)
}

func (s sample) disabledOnline(t *testing.T, user, ip string) string {
	return fmt.Sprintf("%s: disabled account %s is online from %s since %s",
		gateway, user, ip, s.since(t, user, ip).Format(time.RFC3339))
}

func (s sample) tooManySessions(t *testing.T, user string, ips ...string) string {
	list := make([]string, 0, len(ips))
	for _, ip := range ips {
		list = append(list, ip+" since "+s.since(t, user, ip).Format(time.RFC3339))
	}
	slices.Sort(list)
	return fmt.Sprintf("%s: account %s has %d sessions online, more than the 2 allowed: %s",
		gateway, user, len(ips), strings.Join(list, ", "))
}

func unread(address string) string {
	return address + ": not read during the plan (read_because_config_unknown), so who is online there could not be checked; give it arguments known at plan time, or check again after apply"
}

// startSample serves the sample made for s.now, in-process.
func startSample(t *testing.T, s sample) string {
	t.Helper()
	srv, err := smartagmock.Start(smartagmock.Options{Fixture: s.fixture})
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
	s := newSample()
	planJSON := sampleWorkspace(t, "gateway", startSample(t, s)).plan(t, tl.cli)

	want := []string{
		s.outsideRanges(t, "alice", "172.16.5.9"),
		s.outsideRanges(t, "dave", "192.168.100.5"),
		s.tooLong(t, "alice", "172.16.5.9"),
		s.tooLong(t, "alice", "10.10.1.21"),
		s.tooLong(t, "dave", "192.168.100.5"),
		s.disabledOnline(t, "frank", "10.10.4.2"),
		s.tooManySessions(t, "alice", "10.10.1.21", "10.10.1.22", "172.16.5.9"),
	}
	got := judge(t, tl.opa, planJSON, s.pinnedNow())
	assertSameMessages(t, "deny", got.Deny, want)
	assertSameMessages(t, "warn", got.Warn, nil)

	// Without a pinned instant the policies judge at the plan's own
	// timestamp, seconds later: the same sessions, with ages a minute or so
	// apart at most.
	assertSameMessages(t, "deny at the plan's timestamp",
		withoutAges(judge(t, tl.opa, planJSON).Deny), withoutAges(want))

	// HCP Terraform hands OPA {"plan": <the plan JSON>, "run": {...}}: the
	// same verdict.
	assertSameMessages(t, "deny with HCP Terraform's input layout",
		judge(t, tl.opa, hcpInput(t, planJSON), s.pinnedNow()).Deny, want)

	// The CI gate fails the job and prints each message.
	printed, failed := gate(t, tl.opa, planJSON)
	if !failed {
		t.Error("opa eval --fail-defined passed a plan with violations")
	}
	assertSameMessages(t, "printed by the CI gate", withoutAges(printed), withoutAges(want))
}

// Per-user lookups carry no account state, so the disabled-account rule has
// nothing to judge; the other rules flag the same sessions as above.
func TestPolicy_perUserLookups(t *testing.T) {
	tl := requireTools(t)
	s := newSample()
	planJSON := sampleWorkspace(t, "users", startSample(t, s)).plan(t, tl.cli)

	want := []string{
		s.outsideRanges(t, "alice", "172.16.5.9"),
		s.outsideRanges(t, "dave", "192.168.100.5"),
		s.tooLong(t, "alice", "172.16.5.9"),
		s.tooLong(t, "alice", "10.10.1.21"),
		s.tooLong(t, "dave", "192.168.100.5"),
		s.tooManySessions(t, "alice", "10.10.1.21", "10.10.1.22", "172.16.5.9"),
	}
	got := judge(t, tl.opa, planJSON, s.pinnedNow())
	assertSameMessages(t, "deny", got.Deny, want)
	assertSameMessages(t, "warn", got.Warn, nil)
}

// Reads whose gateway ID is known only after apply leave the plan without an
// answer: the policies deny them as unchecked rather than pass them.
func TestPolicy_deferredReadsAreNotPassed(t *testing.T) {
	tl := requireTools(t)
	s := newSample()
	planJSON := sampleWorkspace(t, "deferred", startSample(t, s)).plan(t, tl.cli)

	got := judge(t, tl.opa, planJSON, s.pinnedNow())
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
	s := newSample()
	planJSON := sampleWorkspace(t, "clean", startSample(t, s)).plan(t, tl.cli)

	got := judge(t, tl.opa, planJSON, s.pinnedNow())
	assertSameMessages(t, "deny", got.Deny, nil)
	assertSameMessages(t, "warn", got.Warn, nil)
	if printed, failed := gate(t, tl.opa, planJSON); failed || len(printed) != 0 {
		t.Errorf("opa eval --fail-defined failed a clean plan (failed=%v): %q", failed, printed)
	}
}

// hcpInput wraps a plan JSON file the way HCP Terraform's OPA integration
// presents it, and returns the new file's path.
func hcpInput(t *testing.T, planJSON string) string {
	t.Helper()
	plan, err := os.ReadFile(planJSON)
	if err != nil {
		t.Fatal(err)
	}
	wrapped, err := json.Marshal(map[string]any{
		"plan": json.RawMessage(plan),
		"run":  map[string]any{"id": "run-policytest", "workspace": map[string]any{"name": "audit"}},
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

var age = regexp.MustCompile(`, for \d+h\d\dm, `)

// withoutAges drops the "for 40h26m" part of messages, which depends on the
// instant of judgment.
func withoutAges(messages []string) []string {
	out := make([]string, 0, len(messages))
	for _, m := range messages {
		out = append(out, age.ReplaceAllString(m, ", for …, "))
	}
	return out
}
