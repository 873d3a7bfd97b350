package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// GoBenchmark is one result line of go test -bench -benchmem.
type GoBenchmark struct {
	Package     string  `json:"package"`
	Name        string  `json:"name"` // without the -GOMAXPROCS suffix
	Procs       int     `json:"procs"`
	Iterations  int64   `json:"iterations"`
	NsPerOp     float64 `json:"ns_per_op"`
	BytesPerOp  int64   `json:"bytes_per_op"`
	AllocsPerOp int64   `json:"allocs_per_op"`
	MBPerSec    float64 `json:"mb_per_s,omitempty"`
}

var (
	benchLine = regexp.MustCompile(`^(Benchmark\S*?)(?:-([0-9]+))?\s+([0-9]+)\s+([0-9.]+) ns/op(.*)$`)
	benchUnit = regexp.MustCompile(`([0-9.]+) (B/op|allocs/op|MB/s)`)
)

// ParseGoBench reads go test -bench output (any number of packages).
func ParseGoBench(r io.Reader) ([]GoBenchmark, error) {
	var out []GoBenchmark
	pkg := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		b := GoBenchmark{Package: pkg, Name: m[1], Procs: 1}
		if m[2] != "" {
			b.Procs, _ = strconv.Atoi(m[2])
		}
		var err error
		if b.Iterations, err = strconv.ParseInt(m[3], 10, 64); err != nil {
			return nil, fmt.Errorf("benchmark line %q: %w", line, err)
		}
		if b.NsPerOp, err = strconv.ParseFloat(m[4], 64); err != nil {
			return nil, fmt.Errorf("benchmark line %q: %w", line, err)
		}
		for _, u := range benchUnit.FindAllStringSubmatch(m[5], -1) {
			v, err := strconv.ParseFloat(u[1], 64)
			if err != nil {
				return nil, fmt.Errorf("benchmark line %q: %w", line, err)
			}
			switch u[2] {
			case "B/op":
				b.BytesPerOp = int64(v)
			case "allocs/op":
				b.AllocsPerOp = int64(v)
			case "MB/s":
				b.MBPerSec = v
			}
		}
		out = append(out, b)
	}
	return out, sc.Err()
}

// GoBenchPackages are the packages whose read-path benchmarks are run.
var GoBenchPackages = []string{"./internal/sagclient", "./internal/provider", "./internal/flowcontrol"}

// GoBenchArgs is the go command line for the benchmarks of packages.
func GoBenchArgs(benchtime string, count int, packages []string) []string {
	args := []string{"test", "-run=^$", "-bench=.", "-benchmem", fmt.Sprintf("-count=%d", max(count, 1))}
	if benchtime != "" {
		args = append(args, "-benchtime="+benchtime)
	}
	return append(args, packages...)
}

// RunGoBench runs the benchmarks of GoBenchPackages that root (a module
// root: this tree, or an older one for the baseline) has; progress lines
// are copied to progress. It returns the results and go test's output as
// it printed it (what benchstat reads).
func RunGoBench(ctx context.Context, goBin, root, benchtime string, count int, env []string, progress io.Writer) ([]GoBenchmark, string, error) {
	var packages []string
	for _, p := range GoBenchPackages {
		if fi, err := os.Stat(filepath.Join(root, p)); err == nil && fi.IsDir() {
			packages = append(packages, p)
		}
	}
	if len(packages) == 0 {
		return nil, "", fmt.Errorf("%s has none of the packages %v", root, GoBenchPackages)
	}
	cmd := exec.CommandContext(ctx, goBin, GoBenchArgs(benchtime, count, packages)...) //nolint:gosec // G204: the go command, fixed arguments
	cmd.Dir = root
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = io.MultiWriter(&out, progress)
	cmd.Stderr = io.MultiWriter(&out, progress)
	if err := cmd.Run(); err != nil {
		return nil, "", fmt.Errorf("go %s: %w\n%s", strings.Join(cmd.Args[1:], " "), err, tail(out.String(), 40))
	}
	raw := out.String()
	res, err := ParseGoBench(&out)
	if err != nil {
		return nil, "", err
	}
	if len(res) == 0 {
		return nil, "", fmt.Errorf("go test -bench printed no results:\n%s", tail(raw, 40))
	}
	return res, raw, nil
}

// MedianBenchmarks folds the -count runs of each benchmark into one, the
// median of each figure, in the order the benchmarks first appear.
func MedianBenchmarks(res []GoBenchmark) []GoBenchmark {
	type key struct{ pkg, name string }
	var order []key
	runs := map[key][]GoBenchmark{}
	for _, b := range res {
		k := key{b.Package, b.Name}
		if _, seen := runs[k]; !seen {
			order = append(order, k)
		}
		runs[k] = append(runs[k], b)
	}
	out := make([]GoBenchmark, 0, len(order))
	for _, k := range order {
		rs := runs[k]
		m := rs[0]
		field := func(f func(GoBenchmark) float64) float64 {
			xs := make([]float64, len(rs))
			for i, r := range rs {
				xs[i] = f(r)
			}
			return Median(xs)
		}
		m.Iterations = int64(field(func(b GoBenchmark) float64 { return float64(b.Iterations) }))
		m.NsPerOp = field(func(b GoBenchmark) float64 { return b.NsPerOp })
		m.BytesPerOp = int64(field(func(b GoBenchmark) float64 { return float64(b.BytesPerOp) }))
		m.AllocsPerOp = int64(field(func(b GoBenchmark) float64 { return float64(b.AllocsPerOp) }))
		m.MBPerSec = field(func(b GoBenchmark) float64 { return b.MBPerSec })
		out = append(out, m)
	}
	return out
}

// tail is the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
