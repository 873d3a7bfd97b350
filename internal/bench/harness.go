package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Options configure a run of the harness.
type Options struct {
	// Terraform is the CLI (scripts/terraform-bin.sh).
	Terraform string
	// Provider is the provider binary; CLIConfig's dev_overrides must point
	// at its directory (scripts/lib.sh write_cli_config).
	Provider  string
	CLIConfig string
	// Mock is the smartag-mock command.
	Mock string
	// ProjectRoot is the module root, for go test.
	ProjectRoot string
	// WorkDir is where the temporary directory goes ("" = os.TempDir()).
	WorkDir string

	N            int
	Parallelism  int
	Latency      time.Duration
	ThrottleRate float64
	// MaxRetries is the provider's max_retries in every configuration;
	// negative leaves it unset.
	MaxRetries int
	BigClients int
	Repeat     int
	Seed       int64
	// SampleInterval is the /proc polling period.
	SampleInterval time.Duration

	GoBench     bool
	Go          string // the go command
	GoBenchTime string
	// GoBenchCount is go test -count: the runs of each benchmark (the
	// table shows their median; benchstat wants 6 or more).
	GoBenchCount int

	// AuditUsers accounts, every AuditOnlineEvery-th online: the mock's
	// generated instance for the audit scenarios (5 and 7).
	AuditUsers, AuditOnlineEvery int
	// FlowLatency is the mock's latency in scenarios 5 to 7.
	FlowLatency time.Duration
	// RateLimits are the mock's --rate-limit values for the single reads
	// of scenario 6; AuditRateLimit is scenario 7's.
	RateLimits     []int
	AuditRateLimit int
	// SlowRun: a measurement whose ideal wall exceeds it runs once instead
	// of Repeat times, to keep make bench short.
	SlowRun time.Duration

	// BaselineProvider, when set, is a second provider binary (with its
	// own BaselineCLIConfig) measured side by side with Provider in
	// scenarios 1, 2 and 4: the same plans, interleaved. Baseline names it
	// (a git revision) in the report.
	BaselineProvider, BaselineCLIConfig, Baseline string
	// BaselineRoot, when set, is the baseline's source tree: its Go
	// benchmarks run too, for benchstat.
	BaselineRoot string
	// Commit names the source measured (git describe), for the report.
	Commit string

	// Scenarios lists the scenarios to run (1 to 9); empty means all.
	Scenarios []int
	// ExtraEnv (KEY=VALUE) is added to every Terraform run's environment,
	// and so the provider's, after the harness's own (for experiments such
	// as TF_LOG_SDK=OFF).
	ExtraEnv []string

	// Progress receives one line per step.
	Progress io.Writer
}

func (o *Options) check() error {
	var problems []string
	for _, f := range []struct{ name, path string }{
		{"-terraform", o.Terraform}, {"-provider", o.Provider}, {"-mock", o.Mock}, {"-cli-config", o.CLIConfig},
	} {
		if f.path == "" {
			problems = append(problems, f.name+" is required")
			continue
		}
		if _, err := os.Stat(f.path); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", f.name, err))
		}
	}
	switch {
	case o.N < 1:
		problems = append(problems, "-n must be at least 1")
	case o.Parallelism < 1:
		problems = append(problems, "-parallelism must be at least 1")
	case o.Latency <= 0:
		problems = append(problems, "-latency must be positive")
	case o.ThrottleRate < 0 || o.ThrottleRate >= 1:
		problems = append(problems, "-throttle-rate must be in [0, 1)")
	case o.BigClients < 1:
		problems = append(problems, "-big must be at least 1")
	case o.Repeat < 1:
		problems = append(problems, "-repeat must be at least 1")
	case o.GoBenchCount < 0:
		problems = append(problems, "-benchcount must not be negative")
	case o.GoBench && o.ProjectRoot == "":
		problems = append(problems, "-root is required for the Go benchmarks")
	case o.AuditUsers < 1:
		problems = append(problems, "-audit-users must be at least 1")
	case o.FlowLatency < 0:
		problems = append(problems, "-flow-latency must not be negative")
	case o.AuditRateLimit < 1:
		problems = append(problems, "-audit-rate-limit must be at least 1")
	case (o.BaselineProvider == "") != (o.BaselineCLIConfig == ""):
		problems = append(problems, "-baseline-provider and -baseline-cli-config go together")
	}
	for _, q := range o.RateLimits {
		if q < 1 {
			problems = append(problems, fmt.Sprintf("-rate-limits: %d is not a rate (at least 1)", q))
		}
	}
	for _, s := range o.Scenarios {
		if s < 1 || s > scenarioCount {
			problems = append(problems, fmt.Sprintf("no scenario %d (1 to %d)", s, scenarioCount))
		}
	}
	for _, kv := range o.ExtraEnv {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			problems = append(problems, fmt.Sprintf("-env %q is not KEY=VALUE", kv))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	if o.SampleInterval <= 0 {
		o.SampleInterval = 20 * time.Millisecond
	}
	if o.Go == "" {
		o.Go = "go"
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	if o.SlowRun <= 0 {
		o.SlowRun = 10 * time.Second
	}
	var err error
	for _, p := range []*string{&o.Terraform, &o.Provider, &o.Mock, &o.CLIConfig} {
		if *p, err = filepath.Abs(*p); err != nil {
			return err
		}
	}
	if err := checkOverride(o.Provider, o.CLIConfig, "-provider"); err != nil {
		return err
	}
	if o.BaselineProvider != "" {
		for _, p := range []*string{&o.BaselineProvider, &o.BaselineCLIConfig} {
			if *p, err = filepath.Abs(*p); err != nil {
				return err
			}
		}
		if filepath.Dir(o.BaselineProvider) == filepath.Dir(o.Provider) {
			return errors.New("-baseline-provider must be in another directory than -provider (each has its dev_overrides)")
		}
		if err := checkOverride(o.BaselineProvider, o.BaselineCLIConfig, "-baseline-provider"); err != nil {
			return err
		}
		if o.Baseline == "" {
			o.Baseline = "baseline"
		}
	}
	return nil
}

// checkOverride: the plans must run this provider binary, or the RSS and
// CPU samples would watch nothing.
func checkOverride(provider, cliConfig, flag string) error {
	cfg, err := os.ReadFile(cliConfig) //nolint:gosec // G304: the caller's CLI config
	if err != nil {
		return err
	}
	if dir := filepath.Dir(provider); !bytes.Contains(cfg, []byte(`"`+dir+`"`)) {
		return fmt.Errorf("the CLI config %s has no dev_overrides entry for %s (write it with scripts/lib.sh write_cli_config)", cliConfig, dir)
	}
	if filepath.Base(provider) != "terraform-provider-smartag" {
		return fmt.Errorf("%s must be named terraform-provider-smartag for dev_overrides, got %s", flag, provider)
	}
	return nil
}

// Configuration directories.
const (
	cfgPlanN      = "plan-n"      // N smartag reads
	cfgPlanNone   = "plan-none"   // no data source
	cfgPlanRemote = "plan-remote" // N terraform_remote_state reads
	cfgApplyBig   = "apply-big"   // BigUser
	cfgApplyOne   = "apply-one"   // one user with one client
	cfgPlanAudit  = "plan-audit"  // smartag_online_clients of the generated instance
	cfgPlanOne    = "plan-one"    // one user with one client, planned (scenario 9)
)

type harness struct {
	opts    Options
	work    string
	fixture string
	env     []string
	// baselineEnv is env with the baseline provider's CLI config.
	baselineEnv []string
	report      *Report
}

// Run runs every scenario and returns the report; on a harness error the
// report holds what was measured before it (Complete false).
func Run(ctx context.Context, opts Options) (*Report, error) {
	started := time.Now()
	report := &Report{
		StartedAt: started.UTC(),
		Params: Params{
			N: opts.N, Parallelism: opts.Parallelism, LatencyMS: ms(opts.Latency), ThrottleRate: opts.ThrottleRate,
			MaxRetries: opts.MaxRetries, BigClients: opts.BigClients, Repeat: opts.Repeat,
			GoBench: opts.GoBench, GoBenchTime: opts.GoBenchTime, GoBenchCount: opts.GoBenchCount, Scenarios: opts.Scenarios, ExtraEnv: opts.ExtraEnv,
			AuditUsers: opts.AuditUsers, AuditOnlineEvery: opts.AuditOnlineEvery, FlowLatencyMS: ms(opts.FlowLatency),
			RateLimits: opts.RateLimits, AuditRateLimit: opts.AuditRateLimit, SlowRunS: opts.SlowRun.Seconds(), Baseline: opts.Baseline,
		},
		Environment: Environment{
			Commit: opts.Commit, Terraform: opts.Terraform, Provider: opts.Provider, GoVersion: runtime.Version(),
			OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), LoadAvgStart: loadAvg(),
		},
		Metrics: []Metric{}, Runs: []RunRecord{}, Notes: []string{},
	}
	finish := func(err error) (*Report, error) {
		report.FinishedAt = time.Now().UTC()
		report.DurationS = time.Since(started).Seconds()
		report.Environment.LoadAvgEnd = loadAvg()
		SortMetrics(report.Metrics)
		report.Complete = err == nil
		if err != nil {
			report.Error = err.Error()
		}
		return report, err
	}
	if err := opts.check(); err != nil {
		return finish(err)
	}
	report.Environment.Terraform, report.Environment.Provider = opts.Terraform, opts.Provider
	report.Environment.BaselineProvider = opts.BaselineProvider
	report.Params.SlowRunS, report.Params.Baseline = opts.SlowRun.Seconds(), opts.Baseline

	work, err := os.MkdirTemp(opts.WorkDir, "smartag-bench-run-")
	if err != nil {
		return finish(err)
	}
	defer os.RemoveAll(work)

	h := &harness{opts: opts, work: work, report: report}
	h.env = append(terraformEnv(os.Environ(), opts.CLIConfig), opts.ExtraEnv...)
	if opts.BaselineProvider != "" {
		h.baselineEnv = append(terraformEnv(os.Environ(), opts.BaselineCLIConfig), opts.ExtraEnv...)
	}
	report.Environment.TerraformVersion = h.terraformVersion(ctx)
	if err := h.setup(); err != nil {
		return finish(err)
	}
	type step struct {
		name string
		fn   func(context.Context) error
	}
	steps := []step{{"warm-up", h.warmUp}}
	for i, s := range []step{
		{"scenario 1 (overlap)", h.scenarioOverlap},
		{"scenario 2 (throttling)", h.scenarioThrottling},
		{"scenario 3 (large answer)", h.scenarioLarge},
		{"scenario 4 (per-read overhead)", h.scenarioOverhead},
		{"scenario 5 (audit)", h.scenarioAudit},
		{"scenario 6 (flow control, single reads)", h.scenarioFlowReads},
		{"scenario 7 (flow control, audit)", h.scenarioFlowAudit},
		{"scenario 8 (flow control shared by concurrent runs)", h.scenarioShared},
		{"scenario 9 (hostile answers)", h.scenarioHostile},
	} {
		if len(opts.Scenarios) == 0 || slices.Contains(opts.Scenarios, i+1) {
			steps = append(steps, s)
		}
	}
	if opts.GoBench {
		steps = append(steps, step{"Go benchmarks", h.goBenchmarks})
	}
	for _, s := range steps {
		h.logf("== %s", s.name)
		if err := s.fn(ctx); err != nil {
			if ctxErr := context.Cause(ctx); ctxErr != nil {
				err = fmt.Errorf("%s: interrupted: %w", s.name, ctxErr)
			} else {
				err = fmt.Errorf("%s: %w", s.name, err)
			}
			return finish(err)
		}
	}
	report.Notes = append(report.Notes, h.notes()...)
	return finish(nil)
}

func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(h.opts.Progress, "smartag-bench: "+format+"\n", args...)
}

// terraformEnv is the environment of every Terraform run: the caller's,
// without anything that would change what Terraform or the provider does
// (TF_*, the provider's ALIBABA_CLOUD_*/ALICLOUD_* and timeout variables),
// plus the CLI config and no checkpoint calls.
func terraformEnv(base []string, cliConfig string) []string {
	drop := []string{"TF_", "CHECKPOINT_", "ALIBABA_CLOUD_", "ALICLOUD_", "SMARTAG_", "CLIENT_READ_TIMEOUT=", "CLIENT_CONNECT_TIMEOUT="}
	var env []string
	for _, kv := range base {
		keep := true
		for _, p := range drop {
			if strings.HasPrefix(kv, p) {
				keep = false
				break
			}
		}
		if keep {
			env = append(env, kv)
		}
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
	)
}

func (h *harness) terraformVersion(ctx context.Context) string {
	cmd := exec.CommandContext(ctx, h.opts.Terraform, "version") //nolint:gosec // G204: the CLI the caller chose
	cmd.Env = h.env
	out, err := cmd.Output()
	if err != nil {
		return "unknown"
	}
	first, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(first)
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// setup writes the fixture, the tiny state and the configurations.
func (h *harness) setup() error {
	o := h.opts
	f, err := BuildFixture(o.N, o.BigClients)
	if err != nil {
		return err
	}
	h.fixture = filepath.Join(h.work, "fixture.json")
	if err := WriteFixture(h.fixture, f); err != nil {
		return err
	}
	tiny := filepath.Join(h.work, "tiny.tfstate")
	if err := os.WriteFile(tiny, []byte(TinyState), 0o600); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(h.work, "logs"), 0o755); err != nil {
		return err
	}
	specs := map[string]ConfigSpec{
		cfgPlanN:      {Users: UserNames(o.N), MaxRetries: o.MaxRetries},
		cfgPlanNone:   {MaxRetries: o.MaxRetries},
		cfgPlanRemote: {RemoteStates: o.N, RemoteStatePath: tiny, MaxRetries: o.MaxRetries},
		cfgApplyBig:   {Users: []string{BigUser}, MaxRetries: o.MaxRetries},
		cfgApplyOne:   {Users: []string{UserName(0)}, MaxRetries: o.MaxRetries},
		cfgPlanAudit:  {AuditSmartAGID: GeneratedSmartAGID, MaxRetries: o.MaxRetries},
		cfgPlanOne:    {Users: []string{UserName(0)}, MaxRetries: o.MaxRetries},
	}
	for dir, spec := range specs {
		text, err := GenerateConfig(spec)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(h.work, dir), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(h.work, dir, "main.tf"), []byte(text), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// leanLogEnv: terraform-plugin-go's RPC lines (tf_req_duration_ms) and
// the provider's INFO lines, nothing else.
var leanLogEnv = []string{"TF_LOG_SDK=OFF", "TF_LOG_SDK_FRAMEWORK=OFF", "TF_LOG_SDK_PROTO=TRACE", "TF_LOG_PROVIDER_SMARTAG=INFO"}

// runSpec is one Terraform process against a fresh mock.
type runSpec struct {
	scenario, label string
	rep             int
	config          string // configuration directory (cfg*)
	apply           bool   // apply -auto-approve instead of plan
	latency         time.Duration
	throttle        float64
	providerLog     bool // TF_LOG_PROVIDER=TRACE into a log file
	// leanLog keeps the provider log to what the audit scenarios read (the
	// RPC timings and the provider's INFO lines): the framework's TRACE and
	// DEBUG lines, tens of thousands for an audit, would be measured too.
	leanLog   bool
	allowFail bool // a failed plan is a result, not a harness error
	discard   bool // not a measurement: not in the report
	rateLimit int  // the mock's --rate-limit
	generated bool // the mock serves the generated instance too
	baseline  bool // the baseline provider instead of the provider
	// generatedUsers is the generated instance's size (0: AuditUsers).
	generatedUsers int
	// emptyEntries answers every DescribeUserOnlineClients with that many
	// entries "{}" (the mock's --empty-entries); 0 is none.
	emptyEntries int
	// timeout stops the plan (as a failed run, not a harness error);
	// 0 means none.
	timeout time.Duration
}

// runTerraform runs one spec: a fresh mock, the Terraform process (timed),
// then the mock's and the provider's logs.
func (h *harness) runTerraform(ctx context.Context, s runSpec) (RunRecord, error) {
	o := h.opts
	rec := RunRecord{Scenario: s.scenario, Label: s.label, Rep: s.rep, Baseline: s.baseline, RateLimit: s.rateLimit}
	provider, env := o.Provider, h.env
	if s.baseline {
		provider, env = o.BaselineProvider, h.baselineEnv
	}
	dir := filepath.Join(h.work, s.config)
	// Nothing from an earlier run: no state (data sources are read afresh
	// anyway, but apply writes one), no plugin data.
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup", ".terraform", ".terraform.lock.hcl", "terraform.out"} {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return rec, err
		}
	}
	base := fmt.Sprintf("%s-%s-%d", strings.Fields(s.scenario)[0], strings.NewReplacer(" ", "_", "/", "_", "=", "", ",", "").Replace(s.label), s.rep)
	mockLog := filepath.Join(h.work, "logs", base+".mock.jsonl")
	mockOpts := MockOptions{
		Fixture: h.fixture, Log: mockLog, Latency: s.latency, ThrottleRate: s.throttle, Seed: o.Seed + int64(s.rep), RateLimit: s.rateLimit,
		EmptyEntries: s.emptyEntries,
	}
	if s.generated {
		mockOpts.GenerateUsers, mockOpts.OnlineEvery = o.AuditUsers, o.AuditOnlineEvery
		if s.generatedUsers > 0 {
			mockOpts.GenerateUsers = s.generatedUsers
		}
	}
	mock, err := StartMock(ctx, o.Mock, mockOpts)
	if err != nil {
		return rec, err
	}
	defer func() { _ = mock.Stop() }() // already stopped on the normal path

	args := []string{"plan", "-refresh=true"}
	if s.apply {
		args = []string{"apply", "-auto-approve"}
	}
	args = append(args, "-input=false", "-lock=false", "-no-color", fmt.Sprintf("-parallelism=%d", o.Parallelism))
	rec.Command = filepath.Base(o.Terraform) + " " + strings.Join(args, " ")
	env = append(append([]string(nil), env...), "TF_VAR_"+EndpointVariable+"="+mock.Endpoint,
		FlowStateEnv+"="+filepath.Join(h.work, "flow-state", base)) // learned by this run alone
	providerLog := filepath.Join(h.work, "logs", base+".tf.log")
	if s.providerLog {
		env = append(env, "TF_LOG_PROVIDER=TRACE", "TF_LOG_PATH="+providerLog)
		if s.leanLog {
			env = append(append(env, leanLogEnv...), o.ExtraEnv...) // -env still has the last word
		}
	}

	sampler, err := NewProcSampler(provider, o.SampleInterval)
	if err != nil {
		return rec, err
	}
	out, err := os.Create(filepath.Join(dir, "terraform.out"))
	if err != nil {
		return rec, err
	}
	defer out.Close()
	runCtx, cancelRun := ctx, context.CancelFunc(func() {})
	if s.timeout > 0 {
		runCtx, cancelRun = context.WithTimeout(ctx, s.timeout)
	}
	defer cancelRun()
	cmd := exec.CommandContext(runCtx, o.Terraform, args...) //nolint:gosec // G204: the CLI the caller chose, fixed arguments
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, out, out
	// Its own process group, so that a Ctrl-C reaches Terraform once, from
	// us, as an interrupt it handles gracefully (stopping its providers).
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second

	sampler.Start()
	start := time.Now()
	runErr := cmd.Run()
	wall := time.Since(start)
	procs := sampler.Stop()

	rec.WallS = wall.Seconds()
	rec.ProviderPeakMiB = float64(procs.PeakRSSKiB) / 1024
	rec.ProviderCPUS = procs.CPU.Seconds()
	rec.ProviderProcs = len(procs.PIDs)
	if ps := cmd.ProcessState; ps != nil {
		rec.ExitCode = ps.ExitCode()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			rec.CPUS = (time.Duration(ru.Utime.Nano()) + time.Duration(ru.Stime.Nano())).Seconds()
		}
	}
	rec.LeftoverProvider = h.reapLeftovers(sampler, procs.PIDs)
	rec.TimedOut = runErr != nil && ctx.Err() == nil && errors.Is(runCtx.Err(), context.DeadlineExceeded)
	if rec.TimedOut && rec.ExitCode == 0 {
		rec.ExitCode = -1 // stopped: not a success whatever Terraform returned
	}
	if runErr != nil {
		if outText, err := os.ReadFile(filepath.Join(dir, "terraform.out")); err == nil {
			rec.Failure = PlanFailure(string(outText))
		}
	}

	if err := mock.Stop(); err != nil {
		return rec, err
	}
	stats, err := ReadMockLog(mockLog)
	if err != nil {
		return rec, fmt.Errorf("reading the mock log: %w", err)
	}
	rec.Mock = &stats
	if s.providerLog {
		t, err := ReadProviderLog(providerLog)
		if err != nil {
			return rec, fmt.Errorf("reading the provider log: %w", err)
		}
		rec.ProviderReadMS, rec.ProviderReqMS, rec.ProviderClients = t.ReadMS, t.RequestMS, t.Clients
		rec.AuditAccounts, rec.AuditClients, rec.GovernorWaitMS, rec.AfterAuditMS = t.AuditAccounts, t.AuditClients, t.GovernorWaitMS, t.AfterAuditMS
	}
	if s.apply {
		if fi, err := os.Stat(filepath.Join(dir, "terraform.tfstate")); err == nil {
			rec.StateBytes = fi.Size()
		}
	}
	if !s.discard {
		h.report.Runs = append(h.report.Runs, rec)
	}

	timedOut := ""
	if rec.TimedOut {
		timedOut = fmt.Sprintf(" (stopped after %v)", s.timeout)
	}
	if rec.Failure != "" {
		timedOut += ": " + rec.Failure
	}
	h.logf("[%s] %s run %d: exit %d%s, wall %s, cpu %s, %d requests (%d ok, %d throttled), provider peak RSS %.1f MiB in %d process(es)",
		s.scenario, s.label, s.rep, rec.ExitCode, timedOut, fmtDuration(wall), fmtDuration(secs(rec.CPUS)),
		stats.All.Requests, stats.All.OK, stats.All.Throttled, rec.ProviderPeakMiB, rec.ProviderProcs)

	if ctxErr := context.Cause(ctx); ctxErr != nil {
		return rec, ctxErr
	}
	if runErr != nil && !s.allowFail {
		outText, _ := os.ReadFile(filepath.Join(dir, "terraform.out"))
		return rec, fmt.Errorf("%s in %s: %w\n%s", rec.Command, s.config, runErr, tail(string(outText), 30))
	}
	if rec.ProviderProcs == 0 && s.config != cfgPlanNone && s.config != cfgPlanRemote {
		return rec, fmt.Errorf("no %s process was seen during %s: is the CLI config's dev_overrides in effect?", provider, rec.Command)
	}
	return rec, nil
}

// reapLeftovers kills (by PID) provider processes of this run that outlive
// Terraform by more than 5 s; Terraform normally stops them itself.
func (h *harness) reapLeftovers(s *ProcSampler, pids []int) []int {
	deadline := time.Now().Add(5 * time.Second)
	for {
		alive := s.Alive(pids)
		if len(alive) == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			for _, pid := range alive {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
			h.logf("killed provider process(es) %v left running after Terraform exited", alive)
			return alive
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sourceLine is a line of configuration quoted in a diagnostic ("25: ...").
var sourceLine = regexp.MustCompile(`^[0-9]+:`)

// PlanFailure is the first error of a Terraform output: its "Error:"
// line and the first line of its detail, for the report.
func PlanFailure(out string) string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(strings.TrimLeft(l, "│╷╵ "))
		msg, ok := strings.CutPrefix(l, "Error: ")
		if !ok {
			continue
		}
		for _, d := range lines[i+1:] {
			d = strings.TrimSpace(strings.TrimLeft(d, "│╷╵ "))
			if d == "" || strings.HasPrefix(d, "with ") || strings.HasPrefix(d, "on ") || sourceLine.MatchString(d) {
				continue // where the error is, not what
			}
			if strings.HasPrefix(d, "Error: ") {
				break
			}
			return msg + ": " + d
		}
		return msg
	}
	return ""
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// warmUp runs the N-read plan once, untimed: it checks the setup and fills
// the page cache with the binaries.
func (h *harness) warmUp(ctx context.Context) error {
	rec, err := h.runTerraform(ctx, runSpec{scenario: "0 warm-up", label: "no latency", rep: 1, config: cfgPlanN, discard: true})
	if err != nil {
		return err
	}
	if rec.Mock.OK != h.opts.N {
		return fmt.Errorf("warm-up plan: the mock answered %d reads with 200, want %d", rec.Mock.OK, h.opts.N)
	}
	return nil
}

func (h *harness) goBenchmarks(ctx context.Context) error {
	env := os.Environ()
	o := h.opts
	res, raw, err := RunGoBench(ctx, o.Go, o.ProjectRoot, o.GoBenchTime, o.GoBenchCount, env, o.Progress)
	if err != nil {
		return err
	}
	res = MedianBenchmarks(res)
	h.report.GoBenchmarks, h.report.GoBenchOutput = res, raw
	if h.opts.BaselineRoot != "" {
		h.logf("Go benchmarks of the baseline (%s)", h.opts.BaselineRoot)
		if _, h.report.BaselineGoBenchOutput, err = RunGoBench(ctx, o.Go, o.BaselineRoot, o.GoBenchTime, o.GoBenchCount, env, o.Progress); err != nil {
			return fmt.Errorf("the baseline's Go benchmarks: %w", err)
		}
	}
	for _, b := range res {
		h.report.Metrics = append(h.report.Metrics, goBenchMetric(b))
	}
	// The audit's state conversion joins scenario 5 (SortMetrics).
	h.report.Metrics = append(h.report.Metrics, ConversionMetrics(res)...)
	return nil
}
