package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// scShared is scenario 8: several runs, each its own terraform plan (and
// provider process), spending one quota of the mock at once.
const scShared = "8 flow control, runs sharing a quota"

// FlowStateEnv is the provider's variable for its shared flow-control
// directory; every run of the harness gets one of its own unless a
// scenario shares one on purpose, so that no run learns from another by
// accident (nor writes to the user's cache).
const FlowStateEnv = "ALIBABA_CLOUD_SMARTAG_FLOW_STATE_DIR"

// Scenario 8's settings: the issue's, fixed so that the figures compare
// across machines.
const (
	sharedRateLimit  = 20
	sharedLatency    = 30 * time.Millisecond
	sharedJoinDelay  = 3 * time.Second
	sharedAuditUsers = 1000
	sharedColdQ      = 15
	sharedRandom     = 0.3
)

// concurrentRun is one plan of a concurrent measurement.
type concurrentRun struct {
	reads    int           // single reads (users 0..reads-1); 0 with audit
	audit    bool          // the generated instance's audit instead
	delay    time.Duration // after the common start
	stateDir string        // flow-state directory; "" is one of its own
}

// concurrentSpec is plans run at once against one mock.
type concurrentSpec struct {
	label     string
	runs      []concurrentRun
	rateLimit int
	throttle  float64
	baseline  bool
	ideal     time.Duration // for the timeout
}

// concurrentResult is what the mock and the clock saw of the plans.
type concurrentResult struct {
	ends   []time.Duration // each plan's end, from the common start
	failed []string        // why plans failed
	mock   RequestStats
}

// last is the end of the last plan.
func (r concurrentResult) last() time.Duration {
	var last time.Duration
	for _, e := range r.ends {
		last = max(last, e)
	}
	return last
}

// runConcurrent runs spec's plans against one fresh mock.
func (h *harness) runConcurrent(ctx context.Context, s concurrentSpec, tag string) (concurrentResult, error) {
	o := h.opts
	var res concurrentResult
	base := filepath.Join(h.work, "shared", tag)
	if err := os.MkdirAll(filepath.Join(base, "logs"), 0o755); err != nil {
		return res, err
	}
	mockLog := filepath.Join(base, "logs", "mock.jsonl")
	mock, err := StartMock(ctx, o.Mock, MockOptions{
		Fixture: h.fixture, Log: mockLog, Latency: sharedLatency, ThrottleRate: s.throttle, Seed: o.Seed,
		RateLimit: s.rateLimit, GenerateUsers: sharedAuditUsers, OnlineEvery: o.AuditOnlineEvery,
	})
	if err != nil {
		return res, err
	}
	defer func() { _ = mock.Stop() }()

	env := h.env
	if s.baseline {
		env = h.baselineEnv
	}
	dirs := make([]string, len(s.runs))
	for i, r := range s.runs {
		dirs[i] = filepath.Join(base, fmt.Sprintf("run%d", i))
		spec := ConfigSpec{Users: UserNames(r.reads), MaxRetries: o.MaxRetries}
		if r.audit {
			spec = ConfigSpec{AuditSmartAGID: GeneratedSmartAGID, MaxRetries: o.MaxRetries}
		}
		text, err := GenerateConfig(spec)
		if err != nil {
			return res, err
		}
		if err := os.MkdirAll(dirs[i], 0o755); err != nil {
			return res, err
		}
		if err := os.WriteFile(filepath.Join(dirs[i], "main.tf"), []byte(text), 0o600); err != nil {
			return res, err
		}
	}
	res.ends = make([]time.Duration, len(s.runs))
	errs := make([]error, len(s.runs))
	timeout := runTimeout(s.ideal)
	start := time.Now()
	var wg sync.WaitGroup
	for i, r := range s.runs {
		stateDir := r.stateDir
		if stateDir == "" {
			stateDir = filepath.Join(base, fmt.Sprintf("state%d", i))
		}
		runEnv := append(append([]string(nil), env...), "TF_VAR_"+EndpointVariable+"="+mock.Endpoint, FlowStateEnv+"="+stateDir)
		wg.Go(func() {
			select {
			case <-time.After(r.delay):
			case <-ctx.Done():
				errs[i] = context.Cause(ctx)
				return
			}
			errs[i] = h.plan(ctx, dirs[i], runEnv, timeout)
			res.ends[i] = time.Since(start)
		})
	}
	wg.Wait()
	if err := mock.Stop(); err != nil {
		return res, err
	}
	if res.mock, err = ReadMockLog(mockLog); err != nil {
		return res, fmt.Errorf("reading the mock log: %w", err)
	}
	if ctxErr := context.Cause(ctx); ctxErr != nil {
		return res, ctxErr
	}
	for i, err := range errs {
		if err != nil {
			res.failed = append(res.failed, fmt.Sprintf("run %d: %v", i, err))
		}
	}
	var perAction []string
	for name, a := range res.mock.Actions {
		perAction = append(perAction, fmt.Sprintf("%s %d/%d", name, a.Throttled, a.Requests))
	}
	slices.Sort(perAction)
	h.logf("[%s] %s%s: last plan ends at %s, %d failed, %d requests (%d throttled: %s)", scShared, s.label, providerTag(s.baseline),
		fmtDuration(res.last()), len(res.failed), res.mock.All.Requests, res.mock.All.Throttled, strings.Join(perAction, ", "))
	return res, nil
}

func providerTag(baseline bool) string {
	if baseline {
		return " (baseline)"
	}
	return ""
}

// plan runs one terraform plan in dir; a failure is an error naming the
// plan's first error.
func (h *harness) plan(ctx context.Context, dir string, env []string, timeout time.Duration) error {
	o := h.opts
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, o.Terraform, "plan", "-refresh=true", "-input=false", "-lock=false", "-no-color", //nolint:gosec // G204: the CLI the caller chose
		fmt.Sprintf("-parallelism=%d", o.Parallelism))
	var out strings.Builder
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	if err := cmd.Run(); err != nil {
		if errors.Is(runCtx.Err(), context.DeadlineExceeded) {
			return fmt.Errorf("stopped after %v", timeout)
		}
		if f := PlanFailure(out.String()); f != "" {
			return errors.New(f)
		}
		return err
	}
	return nil
}

// sharedCase is one measurement of scenario 8 and how it is judged.
type sharedCase struct {
	name     string
	runs     []concurrentRun
	q        int
	throttle float64
	// ideal is the wall a perfect client would take; slowdown the target
	// of last/ideal (0: none); refusals the target share (0: none).
	ideal     time.Duration
	slowdown  float64
	refusals  float64
	baseline  bool   // measured with the baseline provider too
	learnFrom string // run this case's plans once first, with this state dir, not measured
}

// scenarioShared: K runs at once, a run joining another, two machines,
// an audit with and without a learned rate on file, random refusals.
func (h *harness) scenarioShared(ctx context.Context) error {
	o := h.opts
	n := min(o.N, 200)
	shared := filepath.Join(h.work, "shared-state")
	machineA, machineB := filepath.Join(h.work, "machine-a"), filepath.Join(h.work, "machine-b")
	learned := filepath.Join(h.work, "learned-state")
	online := GeneratedOnline(sharedAuditUsers, o.AuditOnlineEvery)
	auditIdeal := func(q int) time.Duration { return IdealSequential(AuditPhases(sharedAuditUsers, online), float64(q)) }
	together := func(k, reads int, dir string) []concurrentRun {
		runs := make([]concurrentRun, k)
		for i := range runs {
			runs[i] = concurrentRun{reads: reads, stateDir: dir}
		}
		return runs
	}
	cases := []sharedCase{
		{name: "4 runs × 100 reads, started together", runs: together(4, n/2, shared+"-4"), q: sharedRateLimit,
			ideal: IdealAtRate(4*(n/2), sharedRateLimit), slowdown: 1.15, refusals: targetRefusals, baseline: true},
		{name: "8 runs × 50 reads, started together", runs: together(8, n/4, shared+"-8"), q: sharedRateLimit,
			ideal: IdealAtRate(8*(n/4), sharedRateLimit), slowdown: 1.2, refusals: targetRefusals, baseline: true},
		{name: "200 reads, 100 more join after 3 s", runs: []concurrentRun{{reads: n, stateDir: shared + "-join"},
			{reads: n / 2, delay: sharedJoinDelay, stateDir: shared + "-join"}}, q: sharedRateLimit,
			ideal: IdealAtRate(n+n/2, sharedRateLimit), slowdown: 1.2, baseline: true},
		{name: "200 reads, 100 more join after 3 s, two machines (two state dirs)", runs: []concurrentRun{{reads: n, stateDir: machineA},
			{reads: n / 2, delay: sharedJoinDelay, stateDir: machineB}}, q: sharedRateLimit,
			ideal: IdealAtRate(n+n/2, sharedRateLimit), slowdown: 1.4},
		{name: fmt.Sprintf("3 audits of %d accounts, started together", sharedAuditUsers),
			runs: []concurrentRun{{audit: true, stateDir: shared + "-audit"}, {audit: true, stateDir: shared + "-audit"}, {audit: true, stateDir: shared + "-audit"}},
			q:    sharedRateLimit, ideal: 3 * auditIdeal(sharedRateLimit), slowdown: 1.2, refusals: targetRefusals, baseline: true},
		{name: fmt.Sprintf("cold audit of %d accounts at Q=%d, no state on file", sharedAuditUsers, sharedColdQ),
			runs: []concurrentRun{{audit: true}}, q: sharedColdQ, ideal: auditIdeal(sharedColdQ), refusals: 0.12, baseline: true},
		{name: fmt.Sprintf("cold audit of %d accounts at Q=%d, a learned rate on file", sharedAuditUsers, sharedColdQ),
			runs: []concurrentRun{{audit: true, stateDir: learned}}, q: sharedColdQ, ideal: auditIdeal(sharedColdQ), refusals: 0.05, learnFrom: learned},
	}
	only := strings.Split(os.Getenv(SharedCasesEnv), ",")
	for _, c := range cases {
		if !selected(c.name, only) {
			continue
		}
		if c.learnFrom != "" {
			if _, err := h.runConcurrent(ctx, concurrentSpec{label: c.name + ": learning", runs: c.runs, rateLimit: c.q, ideal: c.ideal},
				fmt.Sprintf("learn-%d", len(h.report.Metrics))); err != nil {
				return err
			}
		}
		for _, baseline := range []bool{false, true} {
			if baseline && (!c.baseline || o.BaselineProvider == "") {
				continue
			}
			res, err := h.runConcurrent(ctx, concurrentSpec{label: c.name, runs: c.runs, rateLimit: c.q, baseline: baseline, ideal: c.ideal},
				fmt.Sprintf("case-%d-%t", len(h.report.Metrics), baseline))
			if err != nil {
				return err
			}
			h.report.Metrics = append(h.report.Metrics, SharedMetrics(c, res, baseline, o.Baseline)...)
		}
	}
	if !selected("random", only) {
		return nil
	}
	return h.scenarioRandomRefusals(ctx, n)
}

// SharedCasesEnv, when set, is a comma-separated list of words: only the
// cases of scenario 8 whose name holds one of them run ("random" for the
// random refusals), for working on one case.
const SharedCasesEnv = "BENCH_SHARED_CASES"

func selected(name string, only []string) bool {
	if len(only) == 0 || len(only) == 1 && only[0] == "" {
		return true
	}
	for _, w := range only {
		if w != "" && strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// SharedMetrics are one case's rows: failures, the last plan's end against
// the ideal, refusals.
func SharedMetrics(c sharedCase, res concurrentResult, baseline bool, baselineName string) []Metric {
	name := func(s string) string {
		if baseline {
			return fmt.Sprintf("%s: %s, baseline %s", c.name, s, baselineName)
		}
		return c.name + ": " + s
	}
	var rows []Metric
	failed := Metric{Scenario: scShared, Name: name("plans that failed"), Value: float64(len(c.runs)), Unit: "plans",
		Display: fmt.Sprintf("%d of %d", len(res.failed), len(c.runs)), Ideal: "0", How: strings.Join(res.failed, "; ")}
	failed.Value = float64(len(res.failed))
	failed = failed.withTarget("0", len(res.failed) == 0)
	if baseline {
		failed.Target, failed.Status = "", StatusInfo
	}
	rows = append(rows, failed)
	last := res.last()
	wall := Metric{Scenario: scShared, Name: name("last plan ends"), Value: ms(last), Unit: "ms", Display: fmtDuration(last),
		Ideal: fmtDuration(c.ideal), Status: StatusInfo,
		How: "from the common start to the end of the last terraform plan; ideal: every request at the mock's rate, one after the other"}
	if r, err := Ratio(last, c.ideal); err == nil {
		wall.Display = fmt.Sprintf("%s (%.2f × ideal)", fmtDuration(last), r)
		if c.slowdown > 0 && !baseline {
			wall = wall.withTarget(fmt.Sprintf("≤ %.2f × ideal", c.slowdown), r <= c.slowdown && len(res.failed) == 0)
		}
	}
	rows = append(rows, wall)
	refused, admitted := res.mock.All.Throttled, res.mock.All.Admitted()
	ref := Metric{Scenario: scShared, Name: name("refused / admitted"), Unit: "ratio", Ideal: "0%", Status: StatusInfo,
		How: "Throttling answers / other answers of every plan together, from the mock's log"}
	if share, err := RefusalShare(refused, admitted); err == nil {
		ref.Value, ref.Display = share, fmt.Sprintf("%s (%d refused, %d admitted)", fmtPercent(share), refused, admitted)
		if c.refusals > 0 && !baseline {
			ref = ref.withTarget(fmt.Sprintf("≤ %.0f%%", 100*c.refusals), share <= c.refusals)
		}
	} else {
		ref.Display, ref.Status = "n/a: "+err.Error(), StatusNA
	}
	return append(rows, ref)
}

// scenarioRandomRefusals: n reads without a limit, with and without the
// mock refusing sharedRandom of the answers at random; a refusal should
// cost its attempt, not a slowdown of everything after it.
func (h *harness) scenarioRandomRefusals(ctx context.Context, n int) error {
	o := h.opts
	label := fmt.Sprintf("%d reads, no limit, %.0f%% refused at random", n, 100*sharedRandom)
	for _, baseline := range []bool{false, true} {
		if baseline && o.BaselineProvider == "" {
			continue
		}
		one := []concurrentRun{{reads: n}}
		ideal := IdealOverlap(n, o.Parallelism, sharedLatency)
		clean, err := h.runConcurrent(ctx, concurrentSpec{label: fmt.Sprintf("%d reads, no limit", n), runs: one, baseline: baseline, ideal: ideal},
			fmt.Sprintf("random-clean-%t", baseline))
		if err != nil {
			return err
		}
		noisy, err := h.runConcurrent(ctx, concurrentSpec{label: label, runs: one, throttle: sharedRandom, baseline: baseline, ideal: ideal},
			fmt.Sprintf("random-noisy-%t", baseline))
		if err != nil {
			return err
		}
		h.report.Metrics = append(h.report.Metrics, RandomRefusalMetric(label, n, o.Parallelism, clean, noisy, baseline, o.Baseline))
	}
	return nil
}

// RandomRefusalMetric: the wall with random refusals against the clean
// wall plus the extra attempts' latency (spread over the parallelism),
// target 1.3 × that.
func RandomRefusalMetric(label string, n, parallelism int, clean, noisy concurrentResult, baseline bool, baselineName string) Metric {
	name := label + ": plan wall"
	if baseline {
		name += ", baseline " + baselineName
	}
	extra := max(noisy.mock.All.Requests-n, 0)
	ideal := clean.last() + time.Duration(extra)*sharedLatency/time.Duration(parallelism)
	m := Metric{Scenario: scShared, Name: name, Value: ms(noisy.last()), Unit: "ms", Ideal: fmtDuration(ideal), Status: StatusInfo,
		How: fmt.Sprintf("ideal: the plan's wall without refusals (%s) + %d extra attempts × %v / parallelism %d", fmtDuration(clean.last()),
			extra, sharedLatency, parallelism)}
	r, err := Ratio(noisy.last(), ideal)
	if err != nil || len(clean.failed)+len(noisy.failed) > 0 {
		m.Display, m.Status = fmt.Sprintf("n/a: %v %v %v", err, clean.failed, noisy.failed), StatusMissed
		return m
	}
	m.Display = fmt.Sprintf("%s (%.2f × ideal)", fmtDuration(noisy.last()), r)
	if !baseline {
		m = m.withTarget("≤ 1.30 × ideal", r <= 1.3)
	}
	return m
}
