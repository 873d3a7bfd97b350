package bench

import (
	"strings"
	"testing"
	"time"
)

// hostilePlanOutput is what terraform plan printed for the hostile audit
// (trimmed): the diagnostic's detail is wrapped at 78 columns.
const hostilePlanOutput = `data.smartag_online_clients.audit: Reading...

Planning failed. Terraform encountered an error while generating this plan.


Error: Unexpected answer from Smartag

  with data.smartag_online_clients.audit,
  on main.tf line 12, in data "smartag_online_clients" "audit":
  12: data "smartag_online_clients" "audit" {

DescribeUserOnlineClients for account "user00040" of sag-generated0bench01:
the answer (HTTP 200, request ID 95AF5A25-3679-51BA-A2FF-6CD471C483F1) could
not be decoded: Users.User lists more than the 50000 entries it may; it
begins
"{\"Users\":{\"User\":[{},{},{},{}…"

The endpoint did not answer as the Smartag API does; check endpoint.
`

func TestTooManyEntries(t *testing.T) {
	if !TooManyEntries(hostilePlanOutput) {
		t.Error("the client's refusal was not recognised")
	}
	wrapped := strings.Replace(hostilePlanOutput, "lists more than the 50000 entries", "lists more than\nthe 50000 entries", 1)
	if !TooManyEntries(wrapped) {
		t.Error("the refusal wrapped over two lines was not recognised")
	}
	if TooManyEntries("Error: Unexpected answer from Smartag\n\nanswer too large: more than 33554432 bytes\n") {
		t.Error("another refusal was taken for too many entries")
	}
}

func TestMockOptionsArgsEmptyEntries(t *testing.T) {
	args := strings.Join(MockOptions{Fixture: "f", Log: "l", EmptyEntries: 1 << 20}.Args(), " ")
	if !strings.Contains(args, "--empty-entries 1048576") {
		t.Errorf("args %q", args)
	}
	if args := strings.Join(MockOptions{Fixture: "f", Log: "l"}.Args(), " "); strings.Contains(args, "empty-entries") {
		t.Errorf("args %q without the fault", args)
	}
}

func TestHostileAuditSize(t *testing.T) {
	for _, c := range []struct{ every, users int }{{10, 1000}, {1, 1000}, {0, 1000}, {100, 1600}} {
		users := hostileAuditSize(c.every)
		if users != c.users {
			t.Errorf("every %d: %d accounts, want %d", c.every, users, c.users)
		}
		if c.every > 0 && GeneratedOnline(users, c.every) < 16 {
			t.Errorf("every %d: %d online, fewer than the audit's 16 at once", c.every, GeneratedOnline(users, c.every))
		}
	}
}

func hostileRun(rep, exit int, refused bool, wall, rss float64, conc int) HostileRun {
	return HostileRun{Run: RunRecord{Scenario: scHostile, Rep: rep, ExitCode: exit, WallS: wall, ProviderPeakMiB: rss,
		Failure: "Unexpected answer from Smartag", Mock: &RequestStats{MaxConcurrent: conc}}, Refused: refused}
}

func TestHostileMetrics(t *testing.T) {
	part := hostileAuditPart(1000, 100, 30*time.Millisecond)
	hostile := []HostileRun{hostileRun(1, 1, true, 0.8, 160, 16), hostileRun(2, 1, true, 0.7, 170, 15)}
	ref := []HostileRun{hostileRun(1, 0, false, 0.75, 37, 16), hostileRun(2, 0, false, 0.77, 36, 16)}
	ms := HostileMetrics(part, hostile, ref)

	if m := find(t, ms, "audit: plans refused"); m.Status != StatusOK || m.Display != "2 of 2 plans" {
		t.Errorf("refused: %+v", m)
	}
	m := find(t, ms, "audit: provider peak RSS")
	if m.Status != StatusOK || m.Value != 170 || m.Ideal != "37.0 MiB" || m.Target != "< 250 MB (238.4 MiB)" {
		t.Errorf("peak RSS: %+v", m)
	}
	if !strings.Contains(m.How, "16 answer(s) of 3.00 MiB at once would be 48.00 MiB") {
		t.Errorf("peak RSS how: %s", m.How)
	}
	if m := find(t, ms, "audit: peak RSS above"); m.Value != 133 || m.Display != "+133.0 MiB (×4.59)" {
		t.Errorf("above: %+v", m)
	}
	if m := find(t, ms, "audit: hostile answers in flight"); m.Value != 16 || m.Ideal != "16" {
		t.Errorf("in flight: %+v", m)
	}
	if m := find(t, ms, "audit: plan wall, hostile"); m.Display != fmtDuration(750*time.Millisecond) {
		t.Errorf("wall: %+v", m)
	}

	// Over the bound, or a plan not refused (it succeeded, or failed for
	// another reason): missed.
	over := HostileMetrics(part, []HostileRun{hostileRun(1, 1, true, 1, 239, 16)}, ref)
	if m := find(t, over, "audit: provider peak RSS"); m.Status != StatusMissed {
		t.Errorf("239 MiB is over 250 MB: %+v", m)
	}
	notRefused := HostileMetrics(hostileReadPart, []HostileRun{hostileRun(1, 0, false, 1, 40, 1), hostileRun(2, 1, false, 1, 40, 1)}, nil)
	m = find(t, notRefused, "one read: plans refused")
	if m.Status != StatusMissed || m.Display != "0 of 2 plans" ||
		!strings.Contains(m.How, "run 1: the plan succeeded") || !strings.Contains(m.How, "run 2: Unexpected answer from Smartag") {
		t.Errorf("not refused: %+v", m)
	}
	if m := find(t, notRefused, "one read: provider peak RSS"); m.Status != StatusOK || m.Target != "< 100 MB (95.4 MiB)" {
		t.Errorf("one read peak: %+v", m)
	}
	for _, m := range notRefused {
		if strings.Contains(m.Name, "in flight") || strings.Contains(m.Name, "above the normal") {
			t.Errorf("row %q for one answer or without reference runs", m.Name)
		}
	}
	if m := find(t, HostileMetrics(hostileReadPart, nil, nil), "one read: plans refused"); m.Status != StatusMissed {
		t.Errorf("no runs: %+v", m)
	}
}

func TestHostileBaselineMetrics(t *testing.T) {
	ms := HostileBaselineMetrics([]HostileRun{hostileRun(1, 1, true, 0.4, 45, 1)}, []HostileRun{hostileRun(1, 1, false, 1.2, 300, 1)})
	if m := find(t, ms, "one read: provider peak RSS, baseline"); m.Value != 300 || m.Display != "300.0 MiB (1 of 1 plans failed)" {
		t.Errorf("baseline: %+v", m)
	}
	if m := find(t, ms, "one read: peak RSS, provider / baseline"); m.Value != 0.15 {
		t.Errorf("ratio: %+v", m)
	}
}
