// Command smartag-bench is the driver of `make bench` (scripts/bench.sh
// builds the binaries, writes the CLI config and runs it): it runs real
// Terraform plans against the smartag-mock command, prints a table and
// writes it as JSON. See package internal/bench.
//
// Exit status: 0 when every measurement ran (targets missed or not: a missed
// target is printed as MISSED), 1 on a harness error, 2 on a bad command
// line, 130 when interrupted.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/opensmartag/terraform-provider-smartag/internal/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// intList parses "1,2, 3".
func intList(s, what string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("not a %s number: %q", what, f)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("smartag-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o bench.Options
	var out, readme, render string
	fs.StringVar(&o.Terraform, "terraform", "", "Terraform/OpenTofu CLI `binary` (scripts/terraform-bin.sh)")
	fs.StringVar(&o.Provider, "provider", "", "provider `binary`, named terraform-provider-smartag")
	fs.StringVar(&o.CLIConfig, "cli-config", "", "CLI config `file` whose dev_overrides point at the provider's directory")
	fs.StringVar(&o.Mock, "mock", "", "smartag-mock `binary`")
	fs.StringVar(&o.ProjectRoot, "root", ".", "module root `dir`, for the Go benchmarks")
	fs.StringVar(&o.WorkDir, "work", "", "`dir` for temporary files (default: the system's)")
	fs.StringVar(&out, "out", "bench-results", "`dir` for bench-<time>.json and latest.json")
	fs.IntVar(&o.N, "n", 200, "data sources per plan (`N`)")
	fs.IntVar(&o.Parallelism, "parallelism", 10, "terraform -parallelism (`P`)")
	fs.DurationVar(&o.Latency, "latency", 50*time.Millisecond, "mock `latency` per request in scenarios 1 and 2 (L)")
	fs.Float64Var(&o.ThrottleRate, "throttle-rate", 0.3, "share of Throttling.User answers in scenario 2")
	fs.IntVar(&o.MaxRetries, "max-retries", 10, "provider max_retries in every configuration; negative leaves it unset (default 5)")
	fs.IntVar(&o.BigClients, "big", 10000, "online clients of the large user (scenario 3)")
	fs.IntVar(&o.Repeat, "repeat", 5, "runs per measurement; medians are reported")
	fs.Int64Var(&o.Seed, "seed", 1, "mock random seed (plus the run number)")
	fs.DurationVar(&o.SampleInterval, "sample-interval", 20*time.Millisecond, "/proc polling `period` for the provider's RSS and CPU")
	fs.BoolVar(&o.GoBench, "gobench", true, "also run the Go benchmarks (go test -bench) of the read path")
	fs.StringVar(&o.GoBenchTime, "benchtime", "", "go test -benchtime (default go's 1s)")
	fs.IntVar(&o.GoBenchCount, "benchcount", 1, "go test -count of the Go benchmarks: the table shows the median, benchstat wants 6 or more")
	fs.StringVar(&o.Go, "go", "go", "go `command` for the Go benchmarks")
	fs.IntVar(&o.AuditUsers, "audit-users", 10000, "accounts of the generated instance the audit scenarios (5, 7) read")
	fs.IntVar(&o.AuditOnlineEvery, "audit-online-every", 10, "every `K`-th generated account is online")
	fs.DurationVar(&o.FlowLatency, "flow-latency", 30*time.Millisecond, "mock `latency` per request in scenarios 5 to 7 and the audit of 9")
	o.RateLimits = []int{5, 15, 40, 200}
	fs.Func("rate-limits", "comma-separated mock --rate-limit `list` for the single reads of scenario 6 (default 5,15,40,200)", func(s string) error {
		var err error
		o.RateLimits, err = intList(s, "rate")
		return err
	})
	fs.IntVar(&o.AuditRateLimit, "audit-rate-limit", 20, "mock --rate-limit `Q` for the audit of scenario 7")
	fs.DurationVar(&o.SlowRun, "slow-run", 10*time.Second, "a measurement whose ideal wall exceeds `d` runs once instead of -repeat times")
	fs.StringVar(&o.BaselineProvider, "baseline-provider", "", "a second provider `binary` (in its own directory) measured side by side in scenarios 1, 2, 4 and 9's single read")
	fs.StringVar(&o.BaselineCLIConfig, "baseline-cli-config", "", "CLI config `file` whose dev_overrides point at the baseline provider's directory")
	fs.StringVar(&o.Baseline, "baseline-name", "", "what the baseline provider is (e.g. a git revision), for the report")
	fs.StringVar(&o.BaselineRoot, "baseline-root", "", "the baseline's source `dir`: its Go benchmarks run too, into go-bench-baseline.txt for benchstat")
	fs.StringVar(&o.Commit, "commit", "", "what the source measured is (git describe), for the report")
	fs.StringVar(&readme, "readme", "", "Markdown `file` whose table between the bench-table markers a complete run of every scenario rewrites")
	fs.StringVar(&render, "render", "", "write no new figures: render the report `file` (a bench-*.json) as the table and into -readme")
	fs.Func("scenarios", "comma-separated `list` of scenarios to run, from 1 to 9 (default all)", func(s string) error {
		var err error
		o.Scenarios, err = intList(s, "scenario")
		return err
	})
	fs.Func("env", "`KEY=VALUE` added to the environment of every Terraform run (repeatable), e.g. TF_LOG_SDK=OFF", func(s string) error {
		o.ExtraEnv = append(o.ExtraEnv, s)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "smartag-bench: unexpected arguments: %v\n", fs.Args())
		return 2
	}
	o.Progress = stderr
	if render != "" {
		return renderReport(render, readme, stdout, stderr)
	}

	report, runErr := bench.Run(ctx, o)
	if report != nil && (len(report.Metrics) > 0 || runErr == nil) {
		if err := report.WriteTable(stdout); err != nil {
			fmt.Fprintf(stderr, "smartag-bench: %v\n", err)
		}
		path, err := report.WriteJSON(out)
		if err != nil {
			fmt.Fprintf(stderr, "smartag-bench: writing the results: %v\n", err)
			if runErr == nil {
				return 1
			}
		} else {
			fmt.Fprintf(stdout, "\nresults: %s (and %s/latest.json)\n", path, out)
		}
		if paths, err := report.WriteGoBench(out); err != nil {
			fmt.Fprintf(stderr, "smartag-bench: writing the Go benchmarks: %v\n", err)
		} else if len(paths) == 2 {
			fmt.Fprintf(stdout, "Go benchmarks against the baseline: benchstat %s %s\n", paths[1], paths[0])
		}
	}
	if readme != "" && report != nil {
		switch {
		case runErr != nil:
			fmt.Fprintf(stderr, "smartag-bench: not updating %s: the run is incomplete\n", readme)
		case len(o.Scenarios) > 0 || !o.GoBench:
			fmt.Fprintf(stderr, "smartag-bench: not updating %s: not every scenario ran (-scenarios, -gobench=false)\n", readme)
		default:
			if err := report.UpdateMarkdownFile(readme); err != nil {
				fmt.Fprintf(stderr, "smartag-bench: %v\n", err)
				return 1
			}
			fmt.Fprintf(stdout, "table written into %s\n", readme)
		}
	}
	switch {
	case runErr == nil:
		return 0
	case ctx.Err() != nil:
		fmt.Fprintf(stderr, "smartag-bench: interrupted: %v\n", runErr)
		return 130
	default:
		fmt.Fprintf(stderr, "smartag-bench: error: %v\n", runErr)
		if report != nil && len(report.Metrics) > 0 {
			fmt.Fprintln(stderr, "smartag-bench: the table above is incomplete (complete: false in the JSON)")
		}
		return 1
	}
}

// renderReport prints a saved report's table and, with readme, writes it
// there: a README table can be regenerated without measuring again.
func renderReport(path, readme string, stdout, stderr io.Writer) int {
	data, err := os.ReadFile(path) //nolint:gosec // G304: the file the user named
	if err != nil {
		fmt.Fprintf(stderr, "smartag-bench: %v\n", err)
		return 1
	}
	var report bench.Report
	if err := json.Unmarshal(data, &report); err != nil {
		fmt.Fprintf(stderr, "smartag-bench: %s: %v\n", path, err)
		return 1
	}
	if err := report.WriteTable(stdout); err != nil {
		fmt.Fprintf(stderr, "smartag-bench: %v\n", err)
		return 1
	}
	if readme == "" {
		return 0
	}
	if err := report.UpdateMarkdownFile(readme); err != nil {
		fmt.Fprintf(stderr, "smartag-bench: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "table written into %s\n", readme)
	return 0
}
