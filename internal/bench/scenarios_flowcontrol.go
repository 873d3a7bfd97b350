package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// Targets of flow control.
const (
	// targetSlowdown: a rate-limited plan takes at most 1.2 × the time the
	// limit imposes (n/Q), beyond the same plan without a limit.
	targetSlowdown = 1.2
	// targetRefusals: refused answers at most 10% of admitted requests.
	targetRefusals = 0.10
)

// runsFor is how many times a measurement of that ideal wall runs: Repeat,
// or once when it is slow (make bench must stay short).
func runsFor(ideal, slowRun time.Duration, repeat int) int {
	if ideal > slowRun {
		return 1
	}
	return repeat
}

// runTimeout stops a rate-limited plan that takes far longer than its
// ideal: a stuck plan is a failed row, not a make bench that never ends.
func runTimeout(ideal time.Duration) time.Duration { return 3*ideal + 2*time.Minute }

// scenarioFlowReads: N single reads with the mock admitting Q requests per
// second, for each Q, and without a limit; the provider is not told Q.
func (h *harness) scenarioFlowReads(ctx context.Context) error {
	o := h.opts
	type variant struct {
		q     int
		ideal time.Duration
		runs  int
		recs  []RunRecord
	}
	variants := []*variant{{q: 0, ideal: IdealOverlap(o.N, o.Parallelism, o.FlowLatency), runs: o.Repeat}}
	for _, q := range o.RateLimits {
		ideal := IdealAtRate(o.N, float64(q))
		variants = append(variants, &variant{q: q, ideal: ideal, runs: runsFor(ideal, o.SlowRun, o.Repeat)})
	}
	// Interleaved, the order rotating per repetition, so that drift in the
	// machine's load hits every Q alike.
	for rep := 1; rep <= o.Repeat; rep++ {
		for i := range variants {
			v := variants[(i+rep-1)%len(variants)]
			if rep > v.runs {
				continue
			}
			label := fmt.Sprintf("Q=%d, latency %v", v.q, o.FlowLatency)
			if v.q == 0 {
				label = fmt.Sprintf("no limit, latency %v", o.FlowLatency)
			}
			rec, err := h.runTerraform(ctx, runSpec{scenario: scFlowReads, label: label, rep: rep, config: cfgPlanN,
				latency: o.FlowLatency, rateLimit: v.q, allowFail: true, timeout: runTimeout(v.ideal)})
			if err != nil {
				return err
			}
			v.recs = append(v.recs, rec)
		}
	}
	byQ := map[int][]RunRecord{}
	for _, v := range variants[1:] {
		byQ[v.q] = v.recs
	}
	h.report.Metrics = append(h.report.Metrics, FlowReadMetrics(o.N, o.RateLimits, variants[0].recs, byQ)...)
	return nil
}

// readsComplete: every one of the n users was answered with 200.
func readsComplete(n int) func(RunRecord) bool {
	return func(r RunRecord) bool { return r.Mock.OK-r.Mock.Duplicates == n && r.Mock.Users == n }
}

// FlowReadMetrics are scenario 6's rows: n single reads per plan, without a
// limit and at each Q of qs.
func FlowReadMetrics(n int, qs []int, unlimited []RunRecord, byQ map[int][]RunRecord) []Metric {
	okU, failedU := splitFailed(unlimited, readsComplete(n))
	ms := []Metric{failedReadsMetric(scFlowReads, "no limit: reads that failed", n, unlimited, failedU)}
	wallU := medianWall(okU)
	if len(okU) > 0 {
		ms = append(ms, durationMetric(scFlowReads, "no limit: plan wall (wall_unlimited)", wallU,
			"median wall of the same plan against the mock without --rate-limit: the reference of every Q"))
	}
	for _, q := range qs {
		runs := byQ[q]
		ok, failed := splitFailed(runs, readsComplete(n))
		name := func(s string) string { return fmt.Sprintf("Q=%d: %s", q, s) }
		ideal := IdealAtRate(n, float64(q))
		ms = append(ms, failedReadsMetric(scFlowReads, name("reads that failed"), n, runs, failed))
		ms = append(ms, rateLimitedWall(scFlowReads, name("plan wall"), ok, len(okU) > 0, wallU, ideal,
			fmt.Sprintf("%d/Q", n), "wall_unlimited"))
		if len(ok) > 0 && len(okU) > 0 {
			if s, err := Slowdown(medianWall(ok), wallU, ideal); err == nil {
				ms = append(ms, Metric{Scenario: scFlowReads, Name: name(fmt.Sprintf("(wall − wall_unlimited) / (%d/Q)", n)), Value: s, Unit: "ratio",
					Display: fmt.Sprintf("%.2f", s), Ideal: "1.00", Status: StatusInfo,
					How: "what the limit added to the plan, in units of the time the limit imposes; the wall target is this ≤ 1.2"})
			}
		}
		ms = append(ms, refusalMetric(scFlowReads, name("refused / admitted"), runs, sagclient.ActionDescribeUserOnlineClients).
			withTarget(fmt.Sprintf("≤ %.0f%%", 100*targetRefusals), refusalsWithin(runs, sagclient.ActionDescribeUserOnlineClients)))
	}
	return ms
}

// rateLimitedWall is a rate-limited plan's wall against ideal (n/Q) plus
// the unlimited plan's wall, target 1.2 × ideal + unlimited, followed by
// the slowdown ratio.
func rateLimitedWall(scenario, name string, ok []RunRecord, haveUnlimited bool, unlimited, ideal time.Duration, idealName, unlimitedName string) Metric {
	target := targetSlowdown*float64(ideal) + float64(unlimited)
	m := Metric{Scenario: scenario, Name: name, Unit: "ms", Ideal: fmtDuration(ideal + unlimited),
		Target: fmt.Sprintf("≤ %s", fmtDuration(time.Duration(target))),
		How: fmt.Sprintf("median wall of the plans that succeeded; ideal %s + %s = %s + %s; target %.1f × %s + %s",
			idealName, unlimitedName, fmtDuration(ideal), fmtDuration(unlimited), targetSlowdown, idealName, unlimitedName)}
	switch {
	case len(ok) == 0:
		m.Display, m.Status = "n/a: no plan succeeded", StatusMissed
		return m
	case !haveUnlimited:
		m.Display, m.Status = "n/a: no plan without a limit succeeded", StatusNA
		return m
	}
	wall := medianWall(ok)
	m.Value, m.Display = ms(wall), fmtDuration(wall)
	return m.withTarget(m.Target, float64(wall) <= target)
}

// failedReadsMetric counts the reads that got no answer of 200 in the
// plans that failed.
func failedReadsMetric(scenario, name string, n int, runs, failed []RunRecord) Metric {
	reads := 0
	for _, r := range failed {
		if r.Mock != nil {
			reads += max(n-(r.Mock.OK-r.Mock.Duplicates), 0)
		} else {
			reads += n
		}
	}
	m := failedPlansMetric(scenario, name, runs, failed,
		"reads without an answer of 200 in the mock's log, in plans that exited non-zero or were stopped")
	m.Value = float64(reads)
	m.Unit = "reads"
	m.Display = fmt.Sprintf("%d (%s failed)", reads, m.Display)
	return m
}

// refusalMetric is refused/admitted over every run, for one action ("" =
// every Smartag action); no target set.
func refusalMetric(scenario, name string, runs []RunRecord, action string) Metric {
	refused, admitted := refusals(runs, action)
	m := Metric{Scenario: scenario, Name: name, Unit: "ratio", Ideal: "0%",
		How: "Throttling.User answers / other answers, summed over the runs, from the mock's log (its --rate-limit refusals)"}
	share, err := RefusalShare(refused, admitted)
	if err != nil {
		m.Display, m.Status = "n/a: "+err.Error(), StatusNA
		return m
	}
	m.Value, m.Display, m.Status = share, fmt.Sprintf("%s (%d refused, %d admitted)", fmtPercent(share), refused, admitted), StatusInfo
	return m
}

func refusals(runs []RunRecord, action string) (refused, admitted int) {
	for _, r := range runs {
		if r.Mock == nil {
			continue
		}
		a := r.Mock.All
		if action != "" {
			a = r.Mock.Actions[action]
		}
		refused += a.Throttled
		admitted += a.Admitted()
	}
	return refused, admitted
}

func refusalsWithin(runs []RunRecord, action string) bool {
	share, err := RefusalShare(refusals(runs, action))
	return err == nil && share <= targetRefusals
}

// scenarioFlowAudit: the audit of the generated instance with the mock
// admitting AuditRateLimit requests per second per action.
func (h *harness) scenarioFlowAudit(ctx context.Context) error {
	o := h.opts
	online := GeneratedOnline(o.AuditUsers, o.AuditOnlineEvery)
	ideal := IdealSequential(AuditPhases(o.AuditUsers, online), float64(o.AuditRateLimit))
	var runs []RunRecord
	for rep := 1; rep <= runsFor(ideal, o.SlowRun, o.Repeat); rep++ {
		rec, err := h.runTerraform(ctx, runSpec{
			scenario: scFlowAudit, label: fmt.Sprintf("%d accounts, %d online, Q=%d, latency %v", o.AuditUsers, online, o.AuditRateLimit, o.FlowLatency),
			rep: rep, config: cfgPlanAudit, latency: o.FlowLatency, rateLimit: o.AuditRateLimit, generated: true, providerLog: true, leanLog: true,
			allowFail: true, timeout: runTimeout(ideal),
		})
		if err != nil {
			return err
		}
		runs = append(runs, rec)
	}
	var unlimited []RunRecord
	for _, r := range h.report.Runs {
		if r.Scenario == scAudit {
			unlimited = append(unlimited, r)
		}
	}
	h.report.Metrics = append(h.report.Metrics, FlowAuditMetrics(o.AuditUsers, online, o.AuditRateLimit, runs, unlimited)...)
	return nil
}

// auditComplete: the provider logged one audit of every account and
// session.
func auditComplete(users, online int) func(RunRecord) bool {
	return func(r RunRecord) bool {
		return len(r.AuditAccounts) == 1 && r.AuditAccounts[0] == int64(users) && len(r.AuditClients) == 1 && r.AuditClients[0] == int64(online)
	}
}

// FlowAuditMetrics are scenario 7's rows; unlimited are scenario 5's runs
// (none when it did not run).
func FlowAuditMetrics(users, online, q int, runs, unlimited []RunRecord) []Metric {
	phases := AuditPhases(users, online)
	ideal := IdealSequential(phases, float64(q))
	ok, failed := splitFailed(runs, auditComplete(users, online))
	sc := scFlowAudit
	ms := []Metric{failedPlansMetric(sc, "audits that failed", runs, failed,
		fmt.Sprintf("plans exiting non-zero or stopped, or whose provider log does not show one audit of %d accounts and %d clients", users, online))}

	sum := ""
	for i, p := range phases {
		if i > 0 {
			sum += " + "
		}
		sum += fmt.Sprintf("%d/%d", p.Requests, q)
	}
	m := rateLimitedWall(sc, "plan wall", ok, true, 0, ideal, "Σ nᵢ/Q", "0")
	m.How = fmt.Sprintf("median wall of the plans that succeeded; ideal Σ nᵢ/Q = %s s = %s: the phases (pages, then batches, then sessions) "+
		"run one after the other, so although each action has its own limit of Q only one limit is at work at a time; target %.1f × ideal",
		sum, fmtDuration(ideal), targetSlowdown)
	ms = append(ms, m)
	if len(ok) > 0 {
		wall := medianWall(ok)
		if r, err := Ratio(wall, ideal); err == nil {
			ms = append(ms, Metric{Scenario: sc, Name: "plan wall / ideal", Value: r, Unit: "ratio", Display: fmt.Sprintf("%.2f", r), Ideal: "1.00",
				Status: StatusInfo, How: "the plan's start-up and state conversion count against it too"})
		}
		okU, _ := splitFailed(unlimited, auditComplete(users, online))
		if len(okU) > 0 {
			wallU := medianWall(okU)
			if s, err := Slowdown(wall, wallU, ideal); err == nil {
				ms = append(ms, Metric{Scenario: sc, Name: "(wall − unlimited audit's wall) / ideal", Value: s, Unit: "ratio",
					Display: fmt.Sprintf("%.2f (unlimited: %s)", s, fmtDuration(wallU)), Ideal: "1.00", Status: StatusInfo,
					How: "what the limit added, against scenario 5's median wall (same plan and latency, no limit)"})
			}
		}
	}
	ms = append(ms, durationMetric(sc, "rolling-window bound Σ (⌈nᵢ/Q⌉ − 1) s", RollingWindowBound(phases, q),
		"no client can do better: each phase may start with a burst of Q (its action's window is empty), then Q per second"))
	for i, p := range phases {
		var spans []time.Duration
		for _, r := range ok {
			spans = append(spans, r.Mock.Actions[p.Action].Span)
		}
		pm := durationMetric(sc, fmt.Sprintf("phase %d, %s: time (mock)", i+1, p.Action), Median(spans),
			"first arrival to last answer of that action in the mock's log")
		pm.Ideal = fmtDuration(IdealAtRate(p.Requests, float64(q)))
		ms = append(ms, pm,
			refusalMetric(sc, fmt.Sprintf("phase %d: refused / admitted", i+1), runs, p.Action))
	}
	ms = append(ms, refusalMetric(sc, "refused / admitted, all actions", runs, "").
		withTarget(fmt.Sprintf("≤ %.0f%%", 100*targetRefusals), refusalsWithin(runs, "")))
	var waits []int64
	requests := 0
	for _, r := range ok {
		waits = append(waits, r.GovernorWaitMS)
		requests = max(requests, r.Mock.All.Requests)
	}
	if len(waits) > 0 && requests > 0 {
		wait := time.Duration(Median(waits)) * time.Millisecond
		m := durationMetric(sc, "time requests waited for the governor", wait,
			"governor_wait_ms of the provider's \"audited instance\" log line: summed over the audit's requests, so up to 16 × the wall")
		m.Display = fmt.Sprintf("%s (%s per request)", fmtDuration(wait), fmtDuration(wait/time.Duration(requests)))
		ms = append(ms, m)
	}
	return ms
}
