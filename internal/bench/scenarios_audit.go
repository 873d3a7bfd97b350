package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// Targets of the instance-wide audit.
const (
	targetAuditRSSMiB = 150.0
	targetConversion  = 300 * time.Millisecond
)

// The Go benchmark of the audit's state conversion (internal/provider).
const (
	conversionBenchmark = "BenchmarkOnlineClientsState/accounts=10000,online=1000/"
	conversionDirect    = conversionBenchmark + "direct"
	conversionFramework = conversionBenchmark + "framework-State.Set"
)

// scenarioAudit: one smartag_online_clients of the generated instance,
// without a rate limit, Repeat times.
func (h *harness) scenarioAudit(ctx context.Context) error {
	o := h.opts
	online := GeneratedOnline(o.AuditUsers, o.AuditOnlineEvery)
	var runs []RunRecord
	for rep := 1; rep <= o.Repeat; rep++ {
		rec, err := h.runTerraform(ctx, runSpec{
			scenario: scAudit, label: fmt.Sprintf("%d accounts, %d online, latency %v", o.AuditUsers, online, o.FlowLatency), rep: rep,
			config: cfgPlanAudit, latency: o.FlowLatency, generated: true, providerLog: true, leanLog: true, allowFail: true, timeout: 10 * time.Minute,
		})
		if err != nil {
			return err
		}
		runs = append(runs, rec)
	}
	h.report.Metrics = append(h.report.Metrics, AuditMetrics(o.AuditUsers, online, o.FlowLatency, runs)...)
	return nil
}

// AuditMetrics are scenario 5's rows: users accounts, online of them
// online, the mock adding latency per request, no rate limit.
func AuditMetrics(users, online int, latency time.Duration, runs []RunRecord) []Metric {
	phases := AuditPhases(users, online)
	ok, failed := splitFailed(runs, auditComplete(users, online))
	ms := []Metric{failedPlansMetric(scAudit, "audits that failed", runs, failed,
		fmt.Sprintf("plans exiting non-zero, or whose provider log does not show one audit of %d accounts and %d clients", users, online))}
	ms = append(ms, Metric{Scenario: scAudit, Name: "accounts and clients read (provider log)", Value: float64(len(ok)), Unit: "plans",
		Display: fmt.Sprintf("%d accounts, %d clients in %d of %d plans", users, online, len(ok), len(runs)),
		Ideal:   fmt.Sprintf("%d, %d", users, online), Status: StatusInfo,
		How: `accounts and clients of the provider's "audited instance" log line (TF_LOG_PROVIDER=TRACE)`})
	for _, p := range phases {
		ms = append(ms, requestsMetric(scAudit, p, runs))
	}
	total := PhaseRequests(phases)
	ms = append(ms, Metric{Scenario: scAudit, Name: "requests in all", Value: float64(total), Unit: "requests",
		Display: fmt.Sprintf("%d", maxRequests(runs, "")), Ideal: fmt.Sprintf("%d (not %d: one per account)", total, users), Status: StatusInfo,
		How: "U/100 + U/50 + K against U requests of one smartag_user_online_clients per account"})
	if len(ok) > 0 {
		ms = append(ms, durationMetric(scAudit, "plan wall", medianWall(ok), "median wall time of the terraform plan process, over the plans that succeeded"))
		var reads, after []int64
		var spans []time.Duration
		for _, r := range ok {
			if len(r.ProviderReadMS) > 0 {
				reads = append(reads, slices.Max(r.ProviderReadMS))
			}
			if len(r.AfterAuditMS) > 0 {
				after = append(after, r.AfterAuditMS[0])
			}
			spans = append(spans, r.Mock.All.Span)
		}
		ms = append(ms, durationMetric(scAudit, "provider time of the read", time.Duration(Median(reads))*time.Millisecond,
			"tf_req_duration_ms of the ReadDataSource RPC in the provider's log: the fan-out, decoding and state conversion"))
		if len(after) > 0 {
			ms = append(ms, durationMetric(scAudit, "  of which after the fan-out (state and framework)", time.Duration(Median(after))*time.Millisecond,
				`from the provider's "audited instance" line to the RPC's response: the state conversion as in the Go benchmark below, `+
					"plus what the framework does with the state after Read"))
		}
		ideal := IdealFanOut(phases, sagclient.FanOutLimit, latency)
		span := Median(spans)
		m := durationMetric(scAudit, "read phase (mock)", span,
			fmt.Sprintf("first request's arrival to the last answer, from the mock's log; ideal: the phases one after the other, %d requests in flight at %v each, page 1 alone", sagclient.FanOutLimit, latency))
		m.Ideal = fmtDuration(ideal)
		ms = append(ms, m)
		if r, err := Ratio(span, ideal); err == nil {
			ms = append(ms, Metric{Scenario: scAudit, Name: "read phase / ideal", Value: r, Unit: "ratio", Display: fmt.Sprintf("%.2f", r),
				Ideal: "1.00", Status: StatusInfo, How: "above 1 by the provider's own work per request and between phases"})
		}
	}
	var peak float64
	for _, r := range runs {
		peak = max(peak, r.ProviderPeakMiB)
	}
	ms = append(ms, Metric{Scenario: scAudit, Name: "provider peak RSS", Value: peak, Unit: "MiB", Display: fmt.Sprintf("%.1f MiB", peak),
		How: "largest VmHWM of the provider's processes over every plan of the scenario"}.
		withTarget(fmt.Sprintf("< %.0f MiB", targetAuditRSSMiB), peak < targetAuditRSSMiB))
	return ms
}

// requestsMetric is the requests one phase's action took, against the
// fewest it needs.
func requestsMetric(scenario string, p Phase, runs []RunRecord) Metric {
	lo, hi := math.MaxInt, 0
	for _, r := range runs {
		n := r.Mock.Actions[p.Action].Requests
		lo, hi = min(lo, n), max(hi, n)
	}
	if len(runs) == 0 {
		lo = 0
	}
	display := fmt.Sprintf("%d in each of %d plans", hi, len(runs))
	if lo != hi {
		display = fmt.Sprintf("%d to %d over %d plans", lo, hi, len(runs))
	}
	return Metric{Scenario: scenario, Name: "requests, " + p.Action, Value: float64(hi), Unit: "requests", Display: display,
		Ideal: fmt.Sprint(p.Requests), How: "lines of that action in the mock's --log, any outcome"}.
		withTarget(fmt.Sprintf("= %d", p.Requests), len(runs) > 0 && lo == p.Requests && hi == p.Requests)
}

// maxRequests is the most requests of action ("" = every Smartag action)
// in one run.
func maxRequests(runs []RunRecord, action string) int {
	n := 0
	for _, r := range runs {
		if action == "" {
			n = max(n, r.Mock.All.Requests)
		} else {
			n = max(n, r.Mock.Actions[action].Requests)
		}
	}
	return n
}

// splitFailed separates the runs that succeeded (exit 0, not stopped, and
// complete by the caller's check) from the others.
func splitFailed(runs []RunRecord, complete func(RunRecord) bool) (ok, failed []RunRecord) {
	for _, r := range runs {
		if r.ExitCode == 0 && !r.TimedOut && r.Mock != nil && complete(r) {
			ok = append(ok, r)
		} else {
			failed = append(failed, r)
		}
	}
	return ok, failed
}

// failedPlansMetric: 0 failed plans is the target; a failure's first error
// goes into How.
func failedPlansMetric(scenario, name string, runs, failed []RunRecord, how string) Metric {
	display := fmt.Sprintf("%d of %d plans", len(failed), len(runs))
	var why []string
	for _, r := range failed {
		switch {
		case r.TimedOut:
			why = append(why, fmt.Sprintf("run %d stopped by the harness", r.Rep))
		case r.Failure != "":
			why = append(why, fmt.Sprintf("run %d: %s", r.Rep, r.Failure))
		default:
			why = append(why, fmt.Sprintf("run %d: exit %d", r.Rep, r.ExitCode))
		}
	}
	if len(why) > 0 {
		how += "; " + strings.Join(why, "; ") // the notes list them too
	}
	return Metric{Scenario: scenario, Name: name, Value: float64(len(failed)), Unit: "plans", Display: display, Ideal: "0", How: how}.
		withTarget("0", len(runs) > 0 && len(failed) == 0)
}

// ConversionMetrics are the audit's state conversion rows, from the Go
// benchmark BenchmarkOnlineClientsState: the state built directly (what the
// data source does) with the framework's State.Set beside it.
func ConversionMetrics(res []GoBenchmark) []Metric {
	var direct, framework *GoBenchmark
	for i := range res {
		switch res[i].Name {
		case conversionDirect:
			direct = &res[i]
		case conversionFramework:
			framework = &res[i]
		}
	}
	how := "go test -bench " + strings.TrimSuffix(conversionBenchmark, "/") + " (internal/provider): the audit's answer to the msgpack state sent to Terraform"
	if direct == nil {
		return []Metric{{Scenario: scAudit, Name: "state conversion, 10000 accounts / 1000 online", Display: "n/a: benchmark " + conversionDirect + " not found",
			Target: "< " + fmtDuration(targetConversion), Status: StatusMissed, How: how}}
	}
	d := time.Duration(direct.NsPerOp)
	rows := []Metric{{Scenario: scAudit, Name: "state conversion, 10000 accounts / 1000 online", Value: ms(d), Unit: "ms",
		Display: fmt.Sprintf("%s (%s, %d allocs)", fmtDuration(d), fmtBytes(direct.BytesPerOp), direct.AllocsPerOp), How: how}}
	rows[0] = rows[0].withTarget("< "+fmtDuration(targetConversion), d < targetConversion)
	if framework != nil {
		f := time.Duration(framework.NsPerOp)
		rows = append(rows, Metric{Scenario: scAudit, Name: "  the framework's State.Set instead (comparison)", Value: ms(f), Unit: "ms",
			Display: fmt.Sprintf("%s (%s, %d allocs)", fmtDuration(f), fmtBytes(framework.BytesPerOp), framework.AllocsPerOp),
			Status:  StatusInfo, How: "the same state through tfsdk.State.Set (reflection), same benchmark"})
		if r, err := Ratio(d, f); err == nil {
			rows = append(rows, Metric{Scenario: scAudit, Name: "  direct / State.Set", Value: r, Unit: "ratio",
				Display: fmt.Sprintf("%.3f (%.0f× faster)", r, 1/r), Status: StatusInfo, How: "ns/op of the two, measured in the same go test run"})
		}
	}
	return rows
}
