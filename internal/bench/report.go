package bench

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Metric statuses.
const (
	StatusOK     = "ok"
	StatusMissed = "MISSED"
	StatusInfo   = "info"
	StatusNA     = "n/a"
)

// Metric is one row of the table.
type Metric struct {
	Scenario string  `json:"scenario"`
	Name     string  `json:"metric"`
	Value    float64 `json:"value"`
	Unit     string  `json:"unit"`
	// Display is Value as printed.
	Display string `json:"display"`
	// Ideal is what a perfect provider would measure, as printed; empty
	// when there is none.
	Ideal string `json:"ideal,omitempty"`
	// Target is empty for metrics without one.
	Target string `json:"target,omitempty"`
	Status string `json:"status"`
	// How is how the value was measured or derived.
	How string `json:"how,omitempty"`
}

// Params are the settings of a run.
type Params struct {
	N            int      `json:"n"`
	Parallelism  int      `json:"parallelism"`
	LatencyMS    float64  `json:"latency_ms"`
	ThrottleRate float64  `json:"throttle_rate"`
	MaxRetries   int      `json:"max_retries"`
	BigClients   int      `json:"big_clients"`
	Repeat       int      `json:"repeat"`
	GoBench      bool     `json:"go_bench"`
	GoBenchTime  string   `json:"go_benchtime,omitempty"`
	GoBenchCount int      `json:"go_bench_count,omitempty"`
	Scenarios    []int    `json:"scenarios,omitempty"`
	ExtraEnv     []string `json:"extra_env,omitempty"`

	AuditUsers       int     `json:"audit_users"`
	AuditOnlineEvery int     `json:"audit_online_every"`
	FlowLatencyMS    float64 `json:"flow_latency_ms"`
	RateLimits       []int   `json:"rate_limits"`
	AuditRateLimit   int     `json:"audit_rate_limit"`
	SlowRunS         float64 `json:"slow_run_s"`
	Baseline         string  `json:"baseline,omitempty"`
}

// Environment is where the run happened.
type Environment struct {
	// Commit is the source measured (git describe), as the caller says.
	Commit           string `json:"commit,omitempty"`
	Terraform        string `json:"terraform"`
	TerraformVersion string `json:"terraform_version"`
	Provider         string `json:"provider"`
	BaselineProvider string `json:"baseline_provider,omitempty"`
	GoVersion        string `json:"go_version"`
	OS               string `json:"os"`
	Arch             string `json:"arch"`
	CPUs             int    `json:"cpus"`
	LoadAvgStart     string `json:"loadavg_start,omitempty"`
	LoadAvgEnd       string `json:"loadavg_end,omitempty"`
}

// RunRecord is one Terraform process of a scenario.
type RunRecord struct {
	Scenario string `json:"scenario"`
	Label    string `json:"label"`
	Rep      int    `json:"rep"`
	Command  string `json:"command"`
	// Baseline is true for a run of the baseline provider.
	Baseline bool `json:"baseline,omitempty"`
	// RateLimit is the mock's --rate-limit (0: none).
	RateLimit int  `json:"rate_limit,omitempty"`
	ExitCode  int  `json:"exit_code"`
	TimedOut  bool `json:"timed_out,omitempty"`
	// Failure is the first error Terraform printed, for a failed run.
	Failure         string        `json:"failure,omitempty"`
	WallS           float64       `json:"wall_s"`
	CPUS            float64       `json:"cpu_s"`
	ProviderCPUS    float64       `json:"provider_cpu_s"`
	ProviderPeakMiB float64       `json:"provider_peak_rss_mib"`
	ProviderProcs   int           `json:"provider_processes"`
	Mock            *RequestStats `json:"mock,omitempty"`
	ProviderReadMS  []int64       `json:"provider_read_ms,omitempty"`
	ProviderReqMS   []int64       `json:"provider_request_ms,omitempty"`
	ProviderClients []int64       `json:"provider_clients,omitempty"`
	// AuditAccounts and AuditClients are the accounts and clients of each
	// smartag_online_clients read the provider logged.
	AuditAccounts []int64 `json:"audit_accounts,omitempty"`
	AuditClients  []int64 `json:"audit_clients,omitempty"`
	// GovernorWaitMS is the time the provider's reads waited for the rate
	// governor, summed over the reads it logged.
	GovernorWaitMS int64 `json:"governor_wait_ms,omitempty"`
	// AfterAuditMS: from the provider's "audited instance" line to the
	// ReadDataSource response (state conversion and the framework).
	AfterAuditMS     []int64 `json:"after_audit_ms,omitempty"`
	StateBytes       int64   `json:"state_bytes,omitempty"`
	LeftoverProvider []int   `json:"leftover_provider_pids,omitempty"`
}

// Report is everything a run produced; it is written as JSON.
type Report struct {
	StartedAt    time.Time     `json:"started_at"`
	FinishedAt   time.Time     `json:"finished_at"`
	DurationS    float64       `json:"duration_s"`
	Complete     bool          `json:"complete"`
	Error        string        `json:"error,omitempty"`
	Environment  Environment   `json:"environment"`
	Params       Params        `json:"params"`
	Metrics      []Metric      `json:"metrics"`
	GoBenchmarks []GoBenchmark `json:"go_benchmarks,omitempty"`
	// GoBenchOutput and BaselineGoBenchOutput are go test -bench's own
	// output, for benchstat (WriteGoBench).
	GoBenchOutput         string      `json:"-"`
	BaselineGoBenchOutput string      `json:"-"`
	Runs                  []RunRecord `json:"runs"`
	Notes                 []string    `json:"notes"`
}

// Missed lists the metrics whose target was missed.
func (r *Report) Missed() []Metric {
	var out []Metric
	for _, m := range r.Metrics {
		if m.Status == StatusMissed {
			out = append(out, m)
		}
	}
	return out
}

// WriteTable prints the metrics as an aligned table, then the notes.
func (r *Report) WriteTable(w io.Writer) error {
	p := r.Params
	fmt.Fprintf(w, "\nsmartag-bench: %s; N=%d, -parallelism=%d, latency %v, throttle %.0f%%, %d clients, medians of %d runs\n",
		r.Environment.TerraformVersion, p.N, p.Parallelism, time.Duration(p.LatencyMS*float64(time.Millisecond)),
		100*p.ThrottleRate, p.BigClients, p.Repeat)
	fmt.Fprintf(w, "host: %d CPUs, %s/%s, %s, load average %s at start, %s at end\n",
		r.Environment.CPUs, r.Environment.OS, r.Environment.Arch, r.Environment.GoVersion,
		r.Environment.LoadAvgStart, r.Environment.LoadAvgEnd)
	if len(p.RateLimits) > 0 || p.AuditRateLimit > 0 {
		fmt.Fprintf(w, "flow control: mock --latency %v --rate-limit Q, Q in %s for %d single reads, audit of %d accounts (every %d-th online) at Q=%d; "+
			"plans whose ideal exceeds %.0f s run once\n",
			time.Duration(p.FlowLatencyMS*float64(time.Millisecond)), joinInts(p.RateLimits), p.N, p.AuditUsers, p.AuditOnlineEvery, p.AuditRateLimit, p.SlowRunS)
	}
	if p.Baseline != "" {
		fmt.Fprintf(w, "baseline provider: %s (%s)\n", p.Baseline, r.Environment.BaselineProvider)
	}
	if len(p.ExtraEnv) > 0 {
		fmt.Fprintf(w, "extra environment: %s\n", strings.Join(p.ExtraEnv, " "))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tMETRIC\tVALUE\tIDEAL\tTARGET\tRESULT")
	last := ""
	for _, m := range r.Metrics {
		scenario := m.Scenario
		if scenario == last {
			scenario = ""
		} else if last != "" {
			fmt.Fprintln(tw, "\t\t\t\t\t")
		}
		last = m.Scenario
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", scenario, m.Name, m.Display, orDash(m.Ideal), orDash(m.Target), m.Status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	missed := r.Missed()
	incomplete := !r.Complete && r.Error != ""
	if incomplete {
		fmt.Fprintf(w, "\nINCOMPLETE: %s\n(what did not run is not in the table; its targets are not checked)\n", firstLine(r.Error))
	}
	switch {
	case len(missed) == 0 && incomplete:
		fmt.Fprintln(w, "no target missed so far")
	case len(missed) == 0:
		fmt.Fprintln(w, "\nall targets met")
	default:
		fmt.Fprintf(w, "\nMISSED %d target(s):\n", len(missed))
		for _, m := range missed {
			fmt.Fprintf(w, "  MISSED  %s: %s = %s (target %s)\n", m.Scenario, m.Name, m.Display, m.Target)
		}
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
	return nil
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// SortMetrics orders the metrics by scenario number (rows that belong to a
// scenario but are computed later, such as the Go benchmark of the audit's
// state conversion, join their scenario), then the Go benchmarks, keeping
// the order within a scenario.
func SortMetrics(ms []Metric) {
	slices.SortStableFunc(ms, func(a, b Metric) int { return cmp.Compare(scenarioRank(a.Scenario), scenarioRank(b.Scenario)) })
}

// scenarioRank is the scenario's leading number; 1000 for the rest.
func scenarioRank(scenario string) int {
	first, _, _ := strings.Cut(scenario, " ")
	if n, err := strconv.Atoi(first); err == nil {
		return n
	}
	return 1000
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// WriteJSON writes the report as DIR/bench-<UTC time>.json and
// DIR/latest.json, and returns the first path.
func (r *Report) WriteJSON(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	data = append(data, '\n')
	name := filepath.Join(dir, "bench-"+r.StartedAt.UTC().Format("20060102T150405Z")+".json")
	for _, p := range []string{name, filepath.Join(dir, "latest.json")} {
		if err := writeFileAtomic(p, data); err != nil {
			return "", err
		}
	}
	return name, nil
}

// WriteGoBench writes the Go benchmarks' output as DIR/go-bench.txt and,
// with a baseline, DIR/go-bench-baseline.txt, the input benchstat takes:
// `benchstat DIR/go-bench-baseline.txt DIR/go-bench.txt`. It returns the
// paths written.
func (r *Report) WriteGoBench(dir string) ([]string, error) {
	var paths []string
	for _, f := range []struct{ name, text string }{
		{"go-bench.txt", r.GoBenchOutput}, {"go-bench-baseline.txt", r.BaselineGoBenchOutput},
	} {
		if f.text == "" {
			continue
		}
		p := filepath.Join(dir, f.name)
		if err := writeFileAtomic(p, []byte(f.text)); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Formatting of values.

func fmtDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "-" + fmtDuration(-d)
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
}

func fmtBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	default:
		return fmt.Sprintf("%.2f MiB", float64(n)/(1<<20))
	}
}

// durationMetric is a metric whose value is a duration (stored in ms).
func durationMetric(scenario, name string, d time.Duration, how string) Metric {
	return Metric{Scenario: scenario, Name: name, Value: ms(d), Unit: "ms", Display: fmtDuration(d), Status: StatusInfo, How: how}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// withTarget sets the target and the status from ok.
func (m Metric) withTarget(target string, ok bool) Metric {
	m.Target = target
	m.Status = StatusMissed
	if ok {
		m.Status = StatusOK
	}
	return m
}

// goBenchMetric is one Go benchmark as a row.
func goBenchMetric(b GoBenchmark) Metric {
	pkg := b.Package[strings.LastIndex(b.Package, "/")+1:]
	display := fmt.Sprintf("%s/op, %s/op, %d allocs/op", fmtDuration(time.Duration(b.NsPerOp)), fmtBytes(b.BytesPerOp), b.AllocsPerOp)
	return Metric{
		Scenario: "go bench " + pkg, Name: strings.TrimPrefix(b.Name, "Benchmark"),
		Value: b.NsPerOp, Unit: "ns/op", Display: display, Status: StatusInfo,
		How: fmt.Sprintf("go test -bench -benchmem, %d iterations; %d B/op, %d allocs/op", b.Iterations, b.BytesPerOp, b.AllocsPerOp),
	}
}
