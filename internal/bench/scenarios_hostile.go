package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// scHostile is scenario 9: answers built to cost a decoder the most memory
// for their size.
const scHostile = "9 hostile answers"

// Scenario 9's settings and targets (issue 16): a DescribeUserOnlineClients
// answer of 1,048,576 entries "{}" (3 MB), alone and as the 16 detail
// answers an audit has in flight at once.
const (
	hostileEntries = 1 << 20
	// hostileAuditUsers accounts of the generated instance (at least
	// FanOutLimit of them online, see hostileAuditSize).
	hostileAuditUsers = 1000
	// The targets are in MB (10⁶ bytes), as the issue gives them; VmHWM is
	// in KiB.
	targetHostileReadMB  = 100.0
	targetHostileAuditMB = 250.0
	hostileTimeout       = 5 * time.Minute
)

// mibPerMB converts MB (10⁶ bytes) to MiB.
const mibPerMB = 1e6 / (1 << 20)

// tooManyEntries is the client's refusal of a list longer than the API may
// send (sagclient's tooManyEntriesError), in Terraform's output; white
// space is folded first, as Terraform may wrap a diagnostic's lines.
var tooManyEntries = regexp.MustCompile(`lists more than the [0-9]+ entries it may`)

// TooManyEntries reports whether a Terraform output holds the client's
// "too many entries" refusal.
func TooManyEntries(out string) bool {
	return tooManyEntries.MatchString(strings.Join(strings.Fields(out), " "))
}

// hostileAuditSize is the generated instance of the hostile audit: enough
// accounts that at least FanOutLimit are online (every onlineEvery-th is),
// so that the audit has FanOutLimit hostile answers in flight at once.
func hostileAuditSize(onlineEvery int) int {
	return max(hostileAuditUsers, sagclient.FanOutLimit*max(onlineEvery, 1))
}

// HostileRun is a run of scenario 9 and whether its output holds the
// client's "too many entries" refusal.
type HostileRun struct {
	Run     RunRecord
	Refused bool
}

// scenarioHostile: (a) one smartag_user_online_clients read whose answer
// is hostileEntries entries "{}", next to the same plan answered normally;
// (b) the audit of the generated instance with every detail answer so,
// next to the same audit answered normally. Hostile and normal runs are
// interleaved.
func (h *harness) scenarioHostile(ctx context.Context) error {
	o := h.opts
	users := hostileAuditSize(o.AuditOnlineEvery)
	online := GeneratedOnline(users, o.AuditOnlineEvery)
	type kind struct {
		label    string
		config   string
		hostile  bool
		audit    bool
		baseline bool
	}
	readLabel := fmt.Sprintf("one read, %d entries {}", hostileEntries)
	auditLabel := fmt.Sprintf("audit of %d accounts (%d online), %d entries {} per detail answer", users, online, hostileEntries)
	kinds := []kind{
		{label: readLabel, config: cfgPlanOne, hostile: true},
		{label: "one read, 1 client (reference)", config: cfgPlanOne},
		{label: auditLabel, config: cfgPlanAudit, hostile: true, audit: true},
		{label: fmt.Sprintf("audit of %d accounts (%d online), answered normally (reference)", users, online), config: cfgPlanAudit, audit: true},
	}
	if o.BaselineProvider != "" {
		// The single read only: the audit's 16 answers at once cost the old
		// decoder gigabytes.
		kinds = append(kinds, kind{label: readLabel + ", baseline provider", config: cfgPlanOne, hostile: true, baseline: true})
	}
	runs := make([][]HostileRun, len(kinds))
	for rep := 1; rep <= o.Repeat; rep++ {
		for i := range kinds {
			j := i
			if rep%2 == 0 { // hostile then normal, then normal then hostile
				j = i ^ 1
				if j >= len(kinds) {
					j = i
				}
			}
			k := kinds[j]
			s := runSpec{scenario: scHostile, label: k.label, rep: rep, config: k.config, allowFail: true, timeout: hostileTimeout, baseline: k.baseline}
			if k.hostile {
				s.emptyEntries = hostileEntries
			}
			if k.audit {
				s.generated, s.generatedUsers, s.latency = true, users, o.FlowLatency
			}
			rec, err := h.runTerraform(ctx, s)
			if err != nil {
				return err
			}
			out, err := os.ReadFile(filepath.Join(h.work, k.config, "terraform.out"))
			if err != nil {
				return err
			}
			runs[j] = append(runs[j], HostileRun{Run: rec, Refused: TooManyEntries(string(out))})
		}
	}
	ms := HostileMetrics(hostileReadPart, runs[0], runs[1])
	ms = append(ms, HostileMetrics(hostileAuditPart(users, online, o.FlowLatency), runs[2], runs[3])...)
	if o.BaselineProvider != "" {
		ms = append(ms, HostileBaselineMetrics(runs[0], runs[4])...)
	}
	h.report.Metrics = append(h.report.Metrics, ms...)
	return nil
}

// HostilePart describes one half of scenario 9 for its rows.
type HostilePart struct {
	// Name starts the rows' names ("one read", "audit").
	Name string
	// Answers is how many hostile answers the provider may hold at once.
	Answers int
	// TargetMB bounds the provider's peak RSS, in MB.
	TargetMB float64
	// Plan describes the plan, for How.
	Plan string
}

var hostileReadPart = HostilePart{Name: "one read", Answers: 1, TargetMB: targetHostileReadMB,
	Plan: fmt.Sprintf("terraform plan of one smartag_user_online_clients, the mock answering %d entries {} (--empty-entries)", hostileEntries)}

func hostileAuditPart(users, online int, latency time.Duration) HostilePart {
	return HostilePart{Name: "audit", Answers: min(online, sagclient.FanOutLimit), TargetMB: targetHostileAuditMB,
		Plan: fmt.Sprintf("terraform plan of smartag_online_clients of %d accounts, %d online, every DescribeUserOnlineClients answered with %d entries {}, "+
			"the mock adding %v per request so that %d detail requests are in flight at once", users, online, hostileEntries, latency, sagclient.FanOutLimit)}
}

// hostileBodyBytes is the size of the mock's JSON answer of n entries "{}"
// (the entries and the commas between them; the rest is a few dozen bytes).
func hostileBodyBytes(n int) int64 { return int64(3*n - 1) }

// HostileMetrics are one half of scenario 9's rows: the hostile runs,
// against the reference runs of the same plan answered normally.
func HostileMetrics(p HostilePart, hostile, reference []HostileRun) []Metric {
	refused, failedRef := 0, 0
	var why []string
	var peak, refPeak float64
	var walls, refWalls []RunRecord
	for _, r := range hostile {
		if r.Run.ExitCode != 0 && !r.Run.TimedOut && r.Refused {
			refused++
		} else {
			switch {
			case r.Run.TimedOut:
				why = append(why, fmt.Sprintf("run %d stopped by the harness", r.Run.Rep))
			case r.Run.ExitCode == 0:
				why = append(why, fmt.Sprintf("run %d: the plan succeeded", r.Run.Rep))
			default:
				why = append(why, fmt.Sprintf("run %d: %s", r.Run.Rep, orDash(r.Run.Failure)))
			}
		}
		peak = max(peak, r.Run.ProviderPeakMiB)
		walls = append(walls, r.Run)
	}
	for _, r := range reference {
		if r.Run.ExitCode != 0 {
			failedRef++
		}
		refPeak = max(refPeak, r.Run.ProviderPeakMiB)
		refWalls = append(refWalls, r.Run)
	}
	name := func(s string) string { return p.Name + ": " + s }
	how := p.Plan + `; refused: the plan exits non-zero and its output holds the client's "lists more than the N entries it may"`
	if len(why) > 0 {
		how += "; " + strings.Join(why, "; ")
	}
	ms := []Metric{
		Metric{Scenario: scHostile, Name: name("plans refused (too many entries)"), Value: float64(refused), Unit: "plans",
			Display: fmt.Sprintf("%d of %d plans", refused, len(hostile)), Ideal: fmt.Sprintf("%d of %d", len(hostile), len(hostile)), How: how}.
			withTarget("all", len(hostile) > 0 && refused == len(hostile)),
	}
	body := hostileBodyBytes(hostileEntries)
	rss := Metric{Scenario: scHostile, Name: name("provider peak RSS"), Value: peak, Unit: "MiB",
		Display: fmt.Sprintf("%.1f MiB (%.0f MB)", peak, peak/mibPerMB), Ideal: fmt.Sprintf("%.1f MiB", refPeak),
		How: fmt.Sprintf("largest VmHWM of the provider's processes over the hostile plans; ideal: the same plan answered normally (the floor); "+
			"%d answer(s) of %s at once would be %s if held whole", p.Answers, fmtBytes(body), fmtBytes(int64(p.Answers)*body))}
	ms = append(ms, rss.withTarget(fmt.Sprintf("< %.0f MB (%.1f MiB)", p.TargetMB, p.TargetMB*mibPerMB),
		len(hostile) > 0 && peak < p.TargetMB*mibPerMB))
	if len(reference) > 0 {
		ms = append(ms, Metric{Scenario: scHostile, Name: name("peak RSS above the normal answer"), Value: peak - refPeak, Unit: "MiB",
			Display: fmt.Sprintf("%+.1f MiB (×%.2f)", peak-refPeak, peak/max(refPeak, 1e-9)), Ideal: "+0.0 MiB", Status: StatusInfo,
			How: fmt.Sprintf("hostile peak − reference peak, measured in the same run (reference: %d plans, %d failed)", len(reference), failedRef)})
	}
	ms = append(ms,
		durationMetric(scHostile, name("plan wall, hostile"), medianWall(walls), "median wall time of the hostile plans, start to exit (the refusal included)"),
		durationMetric(scHostile, name("plan wall, normal answer (reference)"), medianWall(refWalls), "median wall time of the same plan answered normally"),
	)
	if p.Answers > 1 {
		conc := 0
		for _, r := range hostile {
			if r.Run.Mock != nil {
				conc = max(conc, r.Run.Mock.MaxConcurrent)
			}
		}
		ms = append(ms, Metric{Scenario: scHostile, Name: name("hostile answers in flight at once (mock)"), Value: float64(conc), Unit: "requests",
			Display: fmt.Sprint(conc), Ideal: fmt.Sprint(p.Answers), Status: StatusInfo,
			How: "largest number of DescribeUserOnlineClients requests inside the mock at once, from its log"})
	}
	return ms
}

// HostileBaselineMetrics compare the single hostile read with the baseline
// provider's, run interleaved with it.
func HostileBaselineMetrics(hostile, baseline []HostileRun) []Metric {
	var peak, basePeak float64
	failed := 0
	for _, r := range hostile {
		peak = max(peak, r.Run.ProviderPeakMiB)
	}
	for _, r := range baseline {
		basePeak = max(basePeak, r.Run.ProviderPeakMiB)
		if r.Run.ExitCode != 0 {
			failed++
		}
	}
	ms := []Metric{{Scenario: scHostile, Name: "one read: provider peak RSS, baseline provider", Value: basePeak, Unit: "MiB",
		Display: fmt.Sprintf("%.1f MiB (%d of %d plans failed)", basePeak, failed, len(baseline)), Status: StatusInfo,
		How: "the same hostile plan with the baseline provider; failed, not refused: an older build may refuse it in other words"}}
	if basePeak > 0 && peak > 0 {
		r := peak / basePeak
		ms = append(ms, Metric{Scenario: scHostile, Name: "one read: peak RSS, provider / baseline", Value: r, Unit: "ratio",
			Display: fmt.Sprintf("%.2f", r), Status: StatusInfo, How: "largest VmHWM of each, measured side by side"})
	}
	return ms
}
