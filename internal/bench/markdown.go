package bench

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// The markers around the generated table in a Markdown file: what is
// between them is rewritten by every complete `make bench`.
const (
	TableBegin = "<!-- bench-table:begin: written by make bench (scripts/bench.sh), do not edit -->"
	TableEnd   = "<!-- bench-table:end -->"
)

// WriteMarkdown renders the metrics as a Markdown table, preceded by when,
// on which commit and on what machine they were measured.
func (r *Report) WriteMarkdown(w io.Writer) error {
	p, e := r.Params, r.Environment
	commit := e.Commit
	if commit == "" {
		commit = "unknown"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Measured on %s at commit `%s`, in %v: %s, %d CPUs (%s/%s), %s, load average %s at start and %s at end.\n",
		r.StartedAt.UTC().Format("2006-01-02 15:04 UTC"), commit, secs(r.DurationS).Round(time.Second),
		e.TerraformVersion, e.CPUs, e.OS, e.Arch, e.GoVersion, orDash(e.LoadAvgStart), orDash(e.LoadAvgEnd))
	fmt.Fprintf(&b, "N=%d, `-parallelism=%d`, latency %v, throttle %.0f%%, %d clients; medians of %d runs, except plans whose ideal exceeds %.0f s, which run once.",
		p.N, p.Parallelism, time.Duration(p.LatencyMS*float64(time.Millisecond)), 100*p.ThrottleRate, p.BigClients, p.Repeat, p.SlowRunS)
	if p.Baseline != "" {
		fmt.Fprintf(&b, " Baseline provider, run side by side: `%s`.", p.Baseline)
	} else {
		b.WriteString(" No baseline provider.")
	}
	if len(p.ExtraEnv) > 0 {
		fmt.Fprintf(&b, " Extra environment: `%s`.", strings.Join(p.ExtraEnv, " "))
	}
	if load := peakLoad(e); e.CPUs > 0 && load > 1.5*float64(e.CPUs) {
		fmt.Fprintf(&b, "\n\n**The machine was busy** (load average up to %.1f on %d CPUs): other work competed with the plans, so the times and even the ratios "+
			"measured side by side are not those of a quiet machine; run `make bench` again before drawing conclusions.", load, e.CPUs)
	}
	b.WriteString("\n\n| scenario | metric | value | ideal | target | result |\n|---|---|---|---|---|---|\n")
	last := ""
	for _, m := range r.Metrics {
		scenario := m.Scenario
		if scenario == last {
			scenario = ""
		}
		last = m.Scenario
		name := m.Name
		if trimmed := strings.TrimLeft(name, " "); trimmed != name {
			name = "↳ " + trimmed // a part of the row above
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", cell(scenario), cell(name), cell(m.Display), cell(m.Ideal), cell(m.Target), markdownStatus(m.Status))
	}
	if !r.Complete {
		fmt.Fprintf(&b, "\nIncomplete run: %s\n", cell(firstLine(r.Error)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// peakLoad is the larger 1-minute load average of the run's start and end.
func peakLoad(e Environment) float64 {
	var peak float64
	for _, l := range []string{e.LoadAvgStart, e.LoadAvgEnd} {
		if f := strings.Fields(l); len(f) > 0 {
			if v, err := strconv.ParseFloat(f[0], 64); err == nil {
				peak = max(peak, v)
			}
		}
	}
	return peak
}

func markdownStatus(s string) string {
	switch s {
	case StatusOK:
		return "✔"
	case StatusMissed:
		return "**MISSED**"
	case StatusInfo:
		return ""
	default:
		return s
	}
}

// cell escapes what would break a table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// UpdateMarkdownFile replaces what is between TableBegin and TableEnd in
// path with the report's table; the file must hold both markers once.
func (r *Report) UpdateMarkdownFile(path string) error {
	old, err := os.ReadFile(path) //nolint:gosec // G304: the caller's README
	if err != nil {
		return err
	}
	begin, end := bytes.Index(old, []byte(TableBegin)), bytes.Index(old, []byte(TableEnd))
	if begin < 0 || end < begin || bytes.Count(old, []byte(TableBegin)) != 1 || bytes.Count(old, []byte(TableEnd)) != 1 {
		return fmt.Errorf("%s: needs the markers %q and %q, once each and in that order", path, TableBegin, TableEnd)
	}
	var table bytes.Buffer
	if err := r.WriteMarkdown(&table); err != nil {
		return err
	}
	var out bytes.Buffer
	out.Write(old[:begin+len(TableBegin)])
	out.WriteString("\n")
	out.Write(table.Bytes())
	out.Write(old[end:])
	return writeFileAtomic(path, out.Bytes())
}
