package bench

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func markdownReport() *Report {
	return &Report{
		StartedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), DurationS: 321, Complete: true,
		Environment: Environment{Commit: "v0.1.0-3-gabc", TerraformVersion: "Terraform v1.11.4", CPUs: 2, OS: "linux", Arch: "amd64", GoVersion: "go1.26.8"},
		Params:      Params{N: 200, Parallelism: 10, LatencyMS: 50, Repeat: 5, SlowRunS: 10, Baseline: "v0.1.0 (0123456789ab)"},
		Metrics: []Metric{
			durationMetric(scOverlap, "wall", time.Second, ""),
			Metric{Scenario: scOverlap, Name: "  of which a|b", Display: "0.50"}.withTarget("≥ 0.9", false),
			Metric{Scenario: scAudit, Name: "rss", Display: "1 MiB"}.withTarget("< 150 MiB", true),
		},
	}
}

func TestWriteMarkdown(t *testing.T) {
	var b strings.Builder
	if err := markdownReport().WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Measured on 2026-01-02 03:04 UTC at commit `v0.1.0-3-gabc`, in 5m21s: Terraform v1.11.4, 2 CPUs (linux/amd64)",
		"Baseline provider, run side by side: `v0.1.0 (0123456789ab)`.",
		"| scenario | metric | value | ideal | target | result |\n|---|---|---|---|---|---|\n",
		"| 1 overlap | wall | 1.00 s |  |  |  |\n",
		"|  | ↳ of which a\\|b | 0.50 |  | ≥ 0.9 | **MISSED** |\n", // same scenario, a part of the row above, | escaped
		"| 5 audit | rss | 1 MiB |  | < 150 MiB | ✔ |\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Incomplete") {
		t.Errorf("a complete run marked incomplete:\n%s", out)
	}
}

func TestUpdateMarkdownFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "README.md")
	before := "# Bench\n\nintro\n\n" + TableBegin + "\nold table\n" + TableEnd + "\n\n## After\n"
	if err := os.WriteFile(path, []byte(before), 0o600); err != nil {
		t.Fatal(err)
	}
	r := markdownReport()
	for range 2 { // rewriting is idempotent
		if err := r.UpdateMarkdownFile(path); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := os.ReadFile(path)
	var table strings.Builder
	_ = r.WriteMarkdown(&table)
	want := "# Bench\n\nintro\n\n" + TableBegin + "\n" + table.String() + TableEnd + "\n\n## After\n"
	if string(got) != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}

	for name, text := range map[string]string{
		"no markers":       "# Bench\n",
		"end before begin": TableEnd + "\n" + TableBegin + "\n",
		"two tables":       TableBegin + TableEnd + TableBegin + TableEnd,
	} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := r.UpdateMarkdownFile(path); err == nil || !strings.Contains(err.Error(), "needs the markers") {
			t.Errorf("%s: err = %v", name, err)
		}
		if after, _ := os.ReadFile(path); string(after) != text {
			t.Errorf("%s: file changed on error", name)
		}
	}
}

func TestWriteGoBench(t *testing.T) {
	dir := t.TempDir()
	r := &Report{GoBenchOutput: "BenchmarkX-2 10 5 ns/op\n"}
	paths, err := r.WriteGoBench(dir)
	if err != nil || len(paths) != 1 || filepath.Base(paths[0]) != "go-bench.txt" {
		t.Fatalf("paths %v, err %v", paths, err)
	}
	r.BaselineGoBenchOutput = "BenchmarkX-2 10 6 ns/op\n"
	if paths, err = r.WriteGoBench(dir); err != nil || len(paths) != 2 {
		t.Fatalf("paths %v, err %v", paths, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "go-bench-baseline.txt")); string(b) != r.BaselineGoBenchOutput {
		t.Errorf("baseline file: %q", b)
	}
}

func TestWriteMarkdownBusyMachine(t *testing.T) {
	r := markdownReport()
	for _, c := range []struct {
		start, end string
		busy       bool
	}{
		{"0.50 0.40 0.30", "2.90 1.00 0.50", false}, // up to 1.5 per CPU is quiet enough
		{"0.50 0.40 0.30", "3.10 1.00 0.50", true},
		{"12.15 9.93 4.94", "", true},
		{"", "", false},
	} {
		r.Environment.LoadAvgStart, r.Environment.LoadAvgEnd = c.start, c.end
		var b strings.Builder
		if err := r.WriteMarkdown(&b); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(b.String(), "**The machine was busy**"); got != c.busy {
			t.Errorf("load %q/%q: busy warning %v, want %v", c.start, c.end, got, c.busy)
		}
	}
}
