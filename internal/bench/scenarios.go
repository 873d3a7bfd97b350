package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Scenario names, as in the table.
const (
	scOverlap    = "1 overlap"
	scThrottling = "2 throttling"
	scLarge      = "3 large answer"
	scOverhead   = "4 per-read overhead"
	scAudit      = "5 audit"
	scFlowReads  = "6 flow control, single reads"
	scFlowAudit  = "7 flow control, audit"

	scenarioCount = 9
)

// Targets.
const (
	targetEfficiency = 0.9
	targetPeakRSSMiB = 64.0
	targetLargeRead  = time.Second
)

// scenarioOverlap: N reads with and without added latency, interleaved
// (L then 0, then 0 then L, ...) so that drift in the machine's load hits
// both alike.
func (h *harness) scenarioOverlap(ctx context.Context) error {
	o := h.opts
	var withL, without, withLBase, withoutBase []RunRecord
	for rep := 1; rep <= o.Repeat; rep++ {
		order := []time.Duration{o.Latency, 0}
		if rep%2 == 0 {
			order = []time.Duration{0, o.Latency}
		}
		for _, baseline := range h.variants(rep) {
			for _, lat := range order {
				label := "latency " + lat.String()
				if baseline {
					label += ", baseline provider"
				}
				rec, err := h.runTerraform(ctx, runSpec{scenario: scOverlap, label: label, rep: rep, config: cfgPlanN, latency: lat, baseline: baseline})
				if err != nil {
					return err
				}
				switch {
				case baseline && lat > 0:
					withLBase = append(withLBase, rec)
				case baseline:
					withoutBase = append(withoutBase, rec)
				case lat > 0:
					withL = append(withL, rec)
				default:
					without = append(without, rec)
				}
			}
		}
	}
	h.report.Metrics = append(h.report.Metrics, OverlapMetrics(o.N, o.Parallelism, o.Latency, withL, without)...)
	if o.BaselineProvider != "" {
		h.report.Metrics = append(h.report.Metrics, OverlapBaselineMetrics(o.N, o.Parallelism, o.Latency, withL, without, withLBase, withoutBase)...)
	}
	return nil
}

// variants are the providers a repetition runs, in the order of that
// repetition: the provider alone, or it and the baseline alternating
// which goes first.
func (h *harness) variants(rep int) []bool {
	if h.opts.BaselineProvider == "" {
		return []bool{false}
	}
	if rep%2 == 0 {
		return []bool{true, false}
	}
	return []bool{false, true}
}

// OverlapBaselineMetrics compare scenario 1 with the baseline provider's
// runs of the same plans, interleaved with them.
func OverlapBaselineMetrics(n, parallelism int, latency time.Duration, withL, without, withLBase, withoutBase []RunRecord) []Metric {
	ideal := IdealOverlap(n, parallelism, latency)
	var ms []Metric
	eff := Metric{Scenario: scOverlap, Name: "efficiency, baseline provider", Unit: "ratio", Status: StatusInfo,
		How: "the same measure for the baseline provider's plans, run interleaved with the provider's"}
	if e, err := Efficiency(ideal, medianWall(withLBase), medianWall(withoutBase)); err != nil {
		eff.Display, eff.Status = "n/a: "+err.Error(), StatusNA
	} else {
		eff.Value, eff.Display = e, fmt.Sprintf("%.2f", e)
	}
	ms = append(ms, eff)
	for _, c := range []struct {
		name       string
		now, basis []RunRecord
	}{
		{"plan wall_L, provider / baseline", withL, withLBase},
		{"plan wall_0, provider / baseline", without, withoutBase},
	} {
		if r, err := Ratio(medianWall(c.now), medianWall(c.basis)); err == nil {
			ms = append(ms, Metric{Scenario: scOverlap, Name: c.name, Value: r, Unit: "ratio", Display: fmt.Sprintf("%.2f", r), Ideal: "1.00",
				Status: StatusInfo, How: "median walls of the same plan, measured side by side"})
		}
	}
	return ms
}

// OverlapMetrics are scenario 1's rows.
func OverlapMetrics(n, parallelism int, latency time.Duration, withL, without []RunRecord) []Metric {
	wallL, wall0 := medianWall(withL), medianWall(without)
	ideal := IdealOverlap(n, parallelism, latency)
	ms := []Metric{
		withIdeal(durationMetric(scOverlap, fmt.Sprintf("plan wall, +%v per request (wall_L)", latency), wallL,
			"median wall time of the terraform plan process (start to exit); ideal wall_0 + N·L/P"), fmtDuration(wall0+ideal)),
		durationMetric(scOverlap, "plan wall, no added latency (wall_0)", wall0, "same plan, mock without --latency"),
		durationMetric(scOverlap, "ideal N·L/P", ideal, fmt.Sprintf("%d × %v / %d", n, latency, parallelism)),
	}
	eff := Metric{Scenario: scOverlap, Name: "efficiency (N·L/P)/(wall_L − wall_0)", Unit: "ratio", Ideal: "1.00",
		How: "ideal over the median walls' difference; >1 when the latency also hides CPU work"}
	if e, err := Efficiency(ideal, wallL, wall0); err != nil {
		eff.Display, eff.Status, eff.Target = "n/a: "+err.Error(), StatusNA, fmt.Sprintf("≥ %.1f", targetEfficiency)
	} else {
		eff.Value, eff.Display = e, fmt.Sprintf("%.2f", e)
		eff = eff.withTarget(fmt.Sprintf("≥ %.1f", targetEfficiency), e >= targetEfficiency)
	}
	ms = append(ms, eff)

	// Reads as the mock saw them: every run must ask exactly N times.
	all := append(append([]RunRecord(nil), withL...), without...)
	minReq, maxReq, dups := math.MaxInt, 0, 0
	for _, r := range all {
		minReq, maxReq = min(minReq, r.Mock.Requests), max(maxReq, r.Mock.Requests)
		dups += r.Mock.Duplicates
	}
	reqDisplay := fmt.Sprintf("%d in each of %d plans", maxReq, len(all))
	if minReq != maxReq {
		reqDisplay = fmt.Sprintf("%d to %d over %d plans", minReq, maxReq, len(all))
	}
	ms = append(ms, Metric{Scenario: scOverlap, Name: "requests the mock counted per plan", Value: float64(maxReq), Unit: "requests",
		Display: reqDisplay, Ideal: fmt.Sprint(n), How: fmt.Sprintf("DescribeUserOnlineClients lines of the mock's --log; %d duplicate reads of a user", dups)}.
		withTarget(fmt.Sprintf("= %d", n), minReq == n && maxReq == n && dups == 0))

	var peak float64
	for _, r := range all {
		peak = max(peak, r.ProviderPeakMiB)
	}
	ms = append(ms, Metric{Scenario: scOverlap, Name: "provider peak RSS", Value: peak, Unit: "MiB", Display: fmt.Sprintf("%.1f MiB", peak),
		How: "largest VmHWM of the provider's processes, polled from /proc during every plan of the scenario"}.
		withTarget(fmt.Sprintf("≤ %.0f MiB", targetPeakRSSMiB), peak <= targetPeakRSSMiB))

	// The read phase as the mock saw it: a stricter view of the overlap.
	var spans []time.Duration
	conc := 0
	for _, r := range withL {
		spans = append(spans, r.Mock.Span)
		conc = max(conc, r.Mock.MaxConcurrent)
	}
	span := Median(spans)
	ms = append(ms, withIdeal(durationMetric(scOverlap, "read phase with latency (mock)", span,
		"first request's arrival to last answer, from the mock's log; ideal N·L/P plus the per-read work that holds a slot"), fmtDuration(ideal)))
	if span > 0 {
		e := float64(ideal) / float64(span)
		ms = append(ms, Metric{Scenario: scOverlap, Name: "read-phase efficiency N·L/P / read phase", Value: e, Unit: "ratio",
			Display: fmt.Sprintf("%.2f", e), Ideal: "1.00", Status: StatusInfo,
			How: "1 if every slot of -parallelism were waiting on the mock all the time"})
	}
	ms = append(ms, Metric{Scenario: scOverlap, Name: "peak concurrent requests (mock)", Value: float64(conc), Unit: "requests",
		Display: fmt.Sprintf("%d (parallelism %d)", conc, parallelism), Ideal: fmt.Sprint(parallelism), Status: StatusInfo,
		How: "largest number of requests inside the mock at once; 1 would mean serialised reads"})
	return ms
}

// withIdeal sets the metric's ideal.
func withIdeal(m Metric, ideal string) Metric {
	m.Ideal = ideal
	return m
}

// medianOf is the median of one field (in seconds) of the runs.
func medianOf(rs []RunRecord, seconds func(RunRecord) float64) time.Duration {
	ws := make([]time.Duration, len(rs))
	for i, r := range rs {
		ws[i] = secs(seconds(r))
	}
	return Median(ws)
}

func medianWall(rs []RunRecord) time.Duration {
	return medianOf(rs, func(r RunRecord) float64 { return r.WallS })
}

func medianCPU(rs []RunRecord) time.Duration {
	return medianOf(rs, func(r RunRecord) float64 { return r.CPUS })
}

func medianProviderCPU(rs []RunRecord) time.Duration {
	return medianOf(rs, func(r RunRecord) float64 { return r.ProviderCPUS })
}

// scenarioThrottling: the overlap plan with a share of throttled answers.
func (h *harness) scenarioThrottling(ctx context.Context) error {
	o := h.opts
	var runs, baseRuns []RunRecord
	for rep := 1; rep <= o.Repeat; rep++ {
		for _, baseline := range h.variants(rep) {
			label := fmt.Sprintf("latency %v, %.0f%% Throttling.User", o.Latency, 100*o.ThrottleRate)
			if baseline {
				label += ", baseline provider"
			}
			rec, err := h.runTerraform(ctx, runSpec{scenario: scThrottling, label: label,
				rep: rep, config: cfgPlanN, latency: o.Latency, throttle: o.ThrottleRate, allowFail: true, baseline: baseline})
			if err != nil {
				return err
			}
			if baseline {
				baseRuns = append(baseRuns, rec)
			} else {
				runs = append(runs, rec)
			}
		}
	}
	var withL []RunRecord
	for _, r := range h.report.Runs {
		if r.Scenario == scOverlap && r.Mock != nil && r.Mock.Span > 0 && r.Label == "latency "+o.Latency.String() {
			withL = append(withL, r)
		}
	}
	h.report.Metrics = append(h.report.Metrics, ThrottlingMetrics(o.N, o.ThrottleRate, IdealOverlap(o.N, o.Parallelism, o.Latency), runs, medianWall(withL))...)
	if o.BaselineProvider != "" {
		h.report.Metrics = append(h.report.Metrics, ThrottlingBaselineMetrics(o.N, runs, baseRuns)...)
	}
	return nil
}

// ThrottlingBaselineMetrics compare scenario 2 with the baseline
// provider's runs of the same plan, interleaved with them.
func ThrottlingBaselineMetrics(n int, runs, baseRuns []RunRecord) []Metric {
	complete := func(r RunRecord) bool { return r.Mock.OK-r.Mock.Duplicates == n }
	ok, _ := splitFailed(runs, complete)
	okBase, failedBase := splitFailed(baseRuns, complete)
	m := failedReadsMetric(scThrottling, "reads that failed, baseline provider", n, baseRuns, failedBase)
	m.Target, m.Status = "", StatusInfo
	ms := []Metric{m}
	if len(okBase) == 0 {
		return ms
	}
	wallBase := medianWall(okBase)
	ms = append(ms, durationMetric(scThrottling, "plan wall, baseline provider", wallBase, "median over the baseline's plans that succeeded"))
	if r, err := Ratio(medianWall(ok), wallBase); err == nil && len(ok) > 0 {
		ms = append(ms, Metric{Scenario: scThrottling, Name: "plan wall, provider / baseline", Value: r, Unit: "ratio", Display: fmt.Sprintf("%.2f", r),
			Status: StatusInfo, How: "median walls of the same plan, measured side by side"})
	}
	return ms
}

// ThrottlingMetrics are scenario 2's rows; ideal is N·L/P and wallL
// scenario 1's wall_L.
func ThrottlingMetrics(n int, rate float64, ideal time.Duration, runs []RunRecord, wallL time.Duration) []Metric {
	failedPlans, failedReads := 0, 0
	var retries, throttled []int
	var ok []RunRecord
	for _, r := range runs {
		missing := n - r.Mock.OK
		if r.ExitCode != 0 || missing != 0 {
			failedPlans++
			failedReads += max(missing, 0)
		} else {
			ok = append(ok, r)
		}
		retries = append(retries, r.Mock.Requests-r.Mock.OK)
		throttled = append(throttled, r.Mock.Throttled)
	}
	ms := []Metric{
		Metric{Scenario: scThrottling, Name: "reads that failed", Value: float64(failedReads), Unit: "reads",
			Display: fmt.Sprintf("%d (%d of %d plans failed)", failedReads, failedPlans, len(runs)), Ideal: "0",
			How: "plans exiting non-zero or with fewer than N answers of 200 in the mock's log"}.withTarget("0", failedPlans == 0),
	}
	expected := float64(n) * rate / (1 - rate)
	ms = append(ms, Metric{Scenario: scThrottling, Name: "requests sent again per plan (throttled answers)", Value: float64(Median(retries)), Unit: "requests",
		Display: fmt.Sprintf("%d (%d throttled)", Median(retries), Median(throttled)), Ideal: fmt.Sprintf("%.0f", expected), Status: StatusInfo,
		How: fmt.Sprintf("median of requests − 200 answers per plan; N·r/(1−r) = %.0f expected", expected)})
	var slowest []time.Duration
	attempts := 0
	for _, r := range runs {
		slowest = append(slowest, r.Mock.SlowestRead)
		attempts = max(attempts, r.Mock.MostAttempts)
	}
	ms = append(ms, durationMetric(scThrottling, "slowest read, retries included (mock)", Median(slowest),
		"longest first-arrival-to-last-answer time of one user in the mock's log; the plan waits for it"),
		Metric{Scenario: scThrottling, Name: "most attempts for one read", Value: float64(attempts), Unit: "requests",
			Display: fmt.Sprint(attempts), Status: StatusInfo, How: "largest number of requests for one user over all runs"})
	if len(ok) == 0 {
		return ms
	}
	wall := medianWall(ok)
	// Each refused request costs one more request of latency L in a slot:
	// N·r/(1−r) more requests, P at a time.
	extra := time.Duration(float64(ideal) * rate / (1 - rate))
	wallIdeal := ""
	if wallL > 0 {
		wallIdeal = fmtDuration(wallL + extra)
	}
	ms = append(ms, withIdeal(durationMetric(scThrottling, "plan wall", wall,
		"median over the plans that succeeded; ideal wall_L + (N·L/P)·r/(1−r): the refused requests, sent again at once, P at a time"), wallIdeal))
	if wallL > 0 {
		ms = append(ms, Metric{Scenario: scThrottling, Name: "against scenario 1 (wall_L)", Value: float64(wall) / float64(wallL), Unit: "ratio",
			Display: fmt.Sprintf("×%.2f (+%s)", float64(wall)/float64(wallL), fmtDuration(wall-wallL)), Status: StatusInfo,
			Ideal: fmt.Sprintf("×%.2f", float64(wallL+extra)/float64(wallL)),
			How:   "throttled requests are sent again when the rate governor lets them; random refusals must not be taken for a rate limit"})
	}
	return ms
}

// scenarioLarge: one read of BigClients clients, and one of a single
// client for reference, each with apply (to get a state file).
func (h *harness) scenarioLarge(ctx context.Context) error {
	o := h.opts
	var big, one []RunRecord
	for rep := 1; rep <= o.Repeat; rep++ {
		for _, c := range []struct {
			config string
			into   *[]RunRecord
			label  string
			want   int64
		}{
			{cfgApplyBig, &big, fmt.Sprintf("%d clients", o.BigClients), int64(o.BigClients)},
			{cfgApplyOne, &one, "1 client", 1},
		} {
			rec, err := h.runTerraform(ctx, runSpec{scenario: scLarge, label: c.label, rep: rep, config: c.config, apply: true, providerLog: true})
			if err != nil {
				return err
			}
			if len(rec.ProviderReadMS) != 1 || len(rec.ProviderClients) != 1 || rec.ProviderClients[0] != c.want {
				return fmt.Errorf("%s: the provider log shows reads %v of clients %v, want one read of %d clients "+
					"(scenario 3 needs the provider's sdk.proto and smartag log lines: no -env TF_LOG_SDK=OFF, TF_LOG_SDK_PROTO=OFF or TF_LOG_PROVIDER_SMARTAG=OFF)",
					c.label, rec.ProviderReadMS, rec.ProviderClients, c.want)
			}
			*c.into = append(*c.into, rec)
		}
	}
	h.report.Metrics = append(h.report.Metrics, LargeMetrics(o.BigClients, big, one)...)
	return nil
}

// LargeMetrics are scenario 3's rows.
func LargeMetrics(clients int, big, one []RunRecord) []Metric {
	pick := func(rs []RunRecord, f func(RunRecord) int64) time.Duration {
		var v []int64
		for _, r := range rs {
			v = append(v, f(r))
		}
		return time.Duration(Median(v)) * time.Millisecond
	}
	read := pick(big, func(r RunRecord) int64 { return r.ProviderReadMS[0] })
	var request time.Duration
	if len(big) > 0 && len(big[0].ProviderReqMS) > 0 {
		request = pick(big, func(r RunRecord) int64 { return r.ProviderReqMS[0] })
	}
	var server []float64
	var state int64
	var peak float64
	for _, r := range big {
		if r.Mock != nil && len(r.Mock.ServerMS) > 0 {
			server = append(server, r.Mock.ServerMS[0])
		}
		state = max(state, r.StateBytes)
		peak = max(peak, r.ProviderPeakMiB)
	}
	ms := []Metric{
		durationMetric(scLarge, fmt.Sprintf("provider time, read of %d clients", clients), read,
			"tf_req_duration_ms of the ReadDataSource RPC in the provider's TRACE log: RPC in to response ready (includes the mock's answer time below)").
			withTarget("< 1 s", read < targetLargeRead),
		durationMetric(scLarge, "  of which HTTP exchange + SDK decoding", request, `latency_ms of the provider's "Smartag request succeeded" log line`),
		durationMetric(scLarge, "  of which the mock's answer time", time.Duration(Median(server)*float64(time.Millisecond)), "latency_ms of the mock's log line"),
		durationMetric(scLarge, "provider time, read of 1 client (reference)", pick(one, func(r RunRecord) int64 { return r.ProviderReadMS[0] }),
			"same measure for a user with one client"),
		durationMetric(scLarge, fmt.Sprintf("apply wall, %d clients", clients), medianWall(big), "terraform apply -auto-approve, start to exit"),
		durationMetric(scLarge, "apply wall, 1 client", medianWall(one), "same for one client"),
		{Scenario: scLarge, Name: "state size (terraform.tfstate)", Value: float64(state), Unit: "bytes", Display: fmtBytes(state), Status: StatusInfo,
			How: "size of terraform.tfstate after the apply"},
		{Scenario: scLarge, Name: "provider peak RSS", Value: peak, Unit: "MiB", Display: fmt.Sprintf("%.1f MiB", peak), Status: StatusInfo,
			How: "largest VmHWM of the provider's processes during the applies"},
	}
	return ms
}

// scenarioOverhead: N reads (no latency) and N no-I/O reads against none,
// in rotating order.
func (h *harness) scenarioOverhead(ctx context.Context) error {
	o := h.opts
	type kind struct {
		config, label string
		baseline      bool
	}
	kinds := []kind{
		{cfgPlanNone, "no data source", false},
		{cfgPlanN, fmt.Sprintf("%d smartag reads", o.N), false},
		{cfgPlanRemote, fmt.Sprintf("%d terraform_remote_state reads", o.N), false},
	}
	if o.BaselineProvider != "" {
		kinds = append(kinds,
			kind{cfgPlanNone, "no data source, baseline provider", true},
			kind{cfgPlanN, fmt.Sprintf("%d smartag reads, baseline provider", o.N), true})
	}
	runs := map[kind][]RunRecord{}
	for rep := 1; rep <= o.Repeat; rep++ {
		for i := range kinds {
			k := kinds[(i+rep-1)%len(kinds)]
			rec, err := h.runTerraform(ctx, runSpec{scenario: scOverhead, label: k.label, rep: rep, config: k.config, baseline: k.baseline})
			if err != nil {
				return err
			}
			if k.config == cfgPlanN && rec.Mock.OK != o.N {
				return fmt.Errorf("%s: the mock answered %d reads, want %d", k.label, rec.Mock.OK, o.N)
			}
			runs[k] = append(runs[k], rec)
		}
	}
	h.report.Metrics = append(h.report.Metrics, OverheadMetrics(o.N, runs[kinds[0]], runs[kinds[1]], runs[kinds[2]])...)
	if o.BaselineProvider != "" {
		h.report.Metrics = append(h.report.Metrics, OverheadBaselineMetrics(o.N, runs[kinds[0]], runs[kinds[1]], runs[kinds[3]], runs[kinds[4]])...)
	}
	return nil
}

// targetOverheadChange: without a limit, the per-read overhead stays
// within 10% of the baseline's: flow control must cost a read nothing
// measurable when the server never throttles.
const targetOverheadChange = 0.10

// OverheadBaselineMetrics compare the provider's per-read cost with the
// baseline provider's, both measured in the same interleaved runs.
func OverheadBaselineMetrics(n int, none, smartag, noneBase, smartagBase []RunRecord) []Metric {
	wall, wallBase := PerItem(medianWall(smartag), medianWall(none), n), PerItem(medianWall(smartagBase), medianWall(noneBase), n)
	cpu, cpuBase := PerItem(medianCPU(smartag), medianCPU(none), n), PerItem(medianCPU(smartagBase), medianCPU(noneBase), n)
	ms := []Metric{
		durationMetric(scOverhead, "wall per read, smartag, baseline provider", wallBase, "(wall − wall no data source) / N, both with the baseline provider"),
		durationMetric(scOverhead, "CPU per read, smartag, baseline provider", cpuBase, "(CPU − CPU no data source) / N, both with the baseline provider"),
	}
	for _, c := range []struct {
		name        string
		now, basis  time.Duration
		withTarget  bool
		description string
	}{
		{"wall per read, provider against baseline", wall, wallBase, true, "wall per read of the provider / the baseline's − 1, measured side by side"},
		{"CPU per read, provider against baseline", cpu, cpuBase, false, "CPU per read of the provider / the baseline's − 1, measured side by side"},
	} {
		m := Metric{Scenario: scOverhead, Name: c.name, Unit: "ratio", Ideal: "+0.0%", Status: StatusInfo, How: c.description}
		change, err := Change(c.now, c.basis)
		if err != nil {
			m.Display, m.Status = "n/a: "+err.Error(), StatusNA
		} else {
			m.Value, m.Display = change, fmtSigned(change)
			if c.withTarget {
				m = m.withTarget(fmt.Sprintf("≤ %s", fmtSigned(targetOverheadChange)), change <= targetOverheadChange)
			}
		}
		ms = append(ms, m)
	}
	return ms
}

// OverheadMetrics are scenario 4's rows.
func OverheadMetrics(n int, none, smartag, remote []RunRecord) []Metric {
	wNone, wS, wR := medianWall(none), medianWall(smartag), medianWall(remote)
	cNone, cS, cR := medianCPU(none), medianCPU(smartag), medianCPU(remote)
	pNone, pS := medianProviderCPU(none), medianProviderCPU(smartag)
	perWallS, perWallR := PerItem(wS, wNone, n), PerItem(wR, wNone, n)
	perCPUS, perCPUR := PerItem(cS, cNone, n), PerItem(cR, cNone, n)
	return []Metric{
		durationMetric(scOverhead, "plan wall, no data source", wNone, "same provider block, no data source"),
		durationMetric(scOverhead, fmt.Sprintf("plan wall, %d smartag reads", n), wS, "mock without added latency"),
		durationMetric(scOverhead, fmt.Sprintf("plan wall, %d terraform_remote_state reads", n), wR,
			"built-in data source, local backend on a tiny state file: no provider process, no network"),
		durationMetric(scOverhead, "wall per read, smartag", perWallS, "(wall − wall no data source) / N"),
		durationMetric(scOverhead, "wall per read, terraform_remote_state", perWallR, "(wall − wall no data source) / N"),
		durationMetric(scOverhead, "wall per read the provider adds", perWallS-perWallR, "smartag − terraform_remote_state"),
		durationMetric(scOverhead, "CPU per read, smartag", perCPUS,
			"(CPU − CPU no data source) / N; user+sys of terraform and its reaped children (the provider), from wait4"),
		durationMetric(scOverhead, "CPU per read, terraform_remote_state", perCPUR, "same"),
		durationMetric(scOverhead, "  of which the provider process, smartag", PerItem(pS, pNone, n),
			"provider utime+stime from /proc/PID/stat, sampled every poll (misses the last interval)"),
	}
}

// notes explain the table.
func (h *harness) notes() []string {
	o := h.opts
	notes := []string{
		fmt.Sprintf("Every value is the median of %d runs unless said otherwise; each run is a fresh terraform process "+
			"(no init: dev_overrides) against a fresh smartag-mock process, timed from start to exit. Runs of a scenario are interleaved.", o.Repeat),
		"Efficiency follows the issue's definition; it exceeds 1 when the added latency overlaps CPU work that the no-latency plan " +
			"does serially (2 cores: Terraform, provider and mock share them). The mock-observed read phase gives the stricter view.",
		fmt.Sprintf("Peak RSS: VmHWM of every process whose /proc/PID/exe is the provider binary, polled every %v during the run; "+
			"Terraform starts the provider more than once per plan (schema, then the walk), the largest is reported.", o.SampleInterval),
		retriesNote(o.MaxRetries, o.ThrottleRate, o.N),
		"Scenario 3 runs terraform apply (the plan reads the data source once; apply writes terraform.tfstate) with " +
			"TF_LOG_PROVIDER=TRACE; provider time is terraform-plugin-go's tf_req_duration_ms for ReadDataSource.",
		"Scenario 4's no-I/O data source is the built-in terraform_remote_state (local backend, tiny state file): no provider " +
			"process and no network, so smartag − remote_state is what the plugin protocol, the provider and a loopback HTTP exchange add per read.",
	}
	if o.BaselineProvider != "" {
		notes = append(notes, fmt.Sprintf("Baseline: scenarios 1, 2 and 4 (and 9's single read) also run the baseline provider (%s), interleaved with the provider's runs, "+
			"so 'against baseline' figures are ratios of medians measured side by side in this run.", o.Baseline))
	}
	notes = append(notes,
		fmt.Sprintf("Scenarios 5 to 7: the mock adds %v per request; --rate-limit Q admits at most Q requests per action in any rolling second "+
			"and refuses the rest with 400 Throttling.User. The provider is not told Q (no max_requests_per_second; ALIBABA_CLOUD_* is "+
			"not passed to Terraform). Refused / admitted counts the mock's own log lines.", o.FlowLatency),
		"Ideal of the rate-limited audit: Σ nᵢ/Q over its three phases. Each action has its own limit, but the audit lists the accounts, "+
			"then counts the sessions, then reads them, one phase after the other, so one limit is at work at a time and the phases' times add up. "+
			"The rolling-window bound below it is what even a perfect client cannot beat (a burst of Q at the start of each phase).",
		fmt.Sprintf("Scenario 9: the mock answers every DescribeUserOnlineClients with %d entries {} (--empty-entries, %s); "+
			"the targets are the issue's, in MB (10⁶ bytes). Each hostile plan has the same plan answered normally beside it, "+
			"interleaved: its peak RSS is the ideal (the floor), and the difference is measured in the same run. No provider log is written.",
			hostileEntries, fmtBytes(hostileBodyBytes(hostileEntries))),
		slowRunNote(o),
		"A failed or stopped plan is a failed row (reads that failed, MISSED), not a harness error; its first error is listed below.",
	)
	return append(notes, FailureNotes(h.report.Runs)...)
}

// FailureNotes say why each failed run failed.
func FailureNotes(runs []RunRecord) []string {
	var notes []string
	for _, r := range runs {
		switch {
		case r.TimedOut:
			notes = append(notes, fmt.Sprintf("Failed: [%s] %s, run %d: stopped by the harness after %s.", r.Scenario, r.Label, r.Rep, fmtDuration(secs(r.WallS))))
		case r.ExitCode != 0:
			why := r.Failure
			if why == "" {
				why = fmt.Sprintf("exit status %d", r.ExitCode)
			}
			notes = append(notes, fmt.Sprintf("Failed: [%s] %s, run %d: %s", r.Scenario, r.Label, r.Rep, why))
		}
	}
	return notes
}

// slowRunNote names the measurements that run once because their ideal
// wall exceeds SlowRun.
func slowRunNote(o Options) string {
	var slow []string
	selected := func(n int) bool { return len(o.Scenarios) == 0 || slices.Contains(o.Scenarios, n) }
	for _, q := range o.RateLimits {
		if ideal := IdealAtRate(o.N, float64(q)); selected(6) && runsFor(ideal, o.SlowRun, o.Repeat) < o.Repeat {
			slow = append(slow, fmt.Sprintf("single reads at Q=%d (ideal %s)", q, fmtDuration(ideal)))
		}
	}
	ideal := IdealSequential(AuditPhases(o.AuditUsers, GeneratedOnline(o.AuditUsers, o.AuditOnlineEvery)), float64(o.AuditRateLimit))
	if selected(7) && runsFor(ideal, o.SlowRun, o.Repeat) < o.Repeat {
		slow = append(slow, fmt.Sprintf("the audit at Q=%d (ideal %s)", o.AuditRateLimit, fmtDuration(ideal)))
	}
	if len(slow) == 0 {
		return fmt.Sprintf("Every measurement ran %d times.", o.Repeat)
	}
	return fmt.Sprintf("Measurements whose ideal wall exceeds %v run once, not %d times, to keep make bench short: %s. "+
		"Their figures are one run, not a median.", o.SlowRun, o.Repeat, strings.Join(slow, ", "))
}

// retriesNote explains the max_retries of the configurations. With the
// rate governor, throttling answers no longer use up retries; before it
// (the baseline), with the default 5, a read failed when 6 answers in a
// row were throttled.
func retriesNote(maxRetries int, rate float64, n int) string {
	pRead := math.Pow(rate, 6)
	pPlan := 1 - math.Pow(1-pRead, float64(n))
	why := fmt.Sprintf("throttling answers are paced by the rate governor and sent again without counting against max_retries; "+
		"before the governor, with the default of 5, a read failed when 6 answers in a row were throttled: p = %.2g per read at %.0f%%, "+
		"so %.0f%% of %d-read plans would have failed", pRead, 100*rate, 100*pPlan, n)
	if maxRetries < 0 {
		return "The provider block leaves max_retries unset (-max-retries < 0): " + why + "."
	}
	return fmt.Sprintf("Every configuration sets max_retries = %d in the provider block (all scenarios alike): %s.", maxRetries, why)
}
