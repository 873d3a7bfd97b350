package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/opensmartag/terraform-provider-smartag/internal/bench"
)

func TestRunCommandLine(t *testing.T) {
	for _, c := range []struct {
		args     []string
		code     int
		inStderr string
	}{
		{[]string{"-bogus"}, 2, "flag provided but not defined"},
		{[]string{"extra"}, 2, "unexpected arguments"},
		{[]string{"-h"}, 0, "-parallelism"},
		{[]string{"-scenarios", "1,x"}, 2, "not a scenario number"},
		{[]string{"-scenarios", "1,10", "-env", "NOEQUALS"}, 1, `no scenario 10 (1 to 9); -env "NOEQUALS" is not KEY=VALUE`},
		{[]string{"-rate-limits", "5,fast"}, 2, "not a rate number"},
		{[]string{"-rate-limits", "5,0"}, 1, "-rate-limits: 0 is not a rate"},
		{[]string{"-baseline-provider", "/x"}, 1, "-baseline-provider and -baseline-cli-config go together"},
		{nil, 1, "-terraform is required"},
		{[]string{"-terraform", "/nonexistent/terraform", "-provider", "/x", "-mock", "/y", "-cli-config", "/z"}, 1, "no such file"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.inStderr) {
			t.Errorf("%v: exit %d (want %d), stderr:\n%s", c.args, code, c.code, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: unexpected stdout:\n%s", c.args, stdout.String())
		}
	}
}

func TestRunRender(t *testing.T) {
	dir := t.TempDir()
	report := &bench.Report{Complete: true, Environment: bench.Environment{Commit: "abc123"},
		Metrics: []bench.Metric{{Scenario: "1 overlap", Name: "plan wall", Display: "1.00 s", Status: bench.StatusInfo}}}
	jsonPath, err := report.WriteJSON(dir)
	if err != nil {
		t.Fatal(err)
	}
	readme := filepath.Join(dir, "README.md")
	if err := os.WriteFile(readme, []byte("intro\n"+bench.TableBegin+"\n"+bench.TableEnd+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-render", jsonPath, "-readme", readme}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got, _ := os.ReadFile(readme)
	if !strings.Contains(string(got), "at commit `abc123`") || !strings.Contains(string(got), "| 1 overlap | plan wall | 1.00 s |") ||
		!strings.Contains(stdout.String(), "plan wall") {
		t.Errorf("README:\n%s\nstdout:\n%s", got, stdout.String())
	}
	if code := run(context.Background(), []string{"-render", filepath.Join(dir, "missing.json")}, &stdout, &stderr); code != 1 {
		t.Errorf("a missing report: exit %d", code)
	}
}
