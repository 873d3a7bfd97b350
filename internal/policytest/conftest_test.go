package policytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// judge evaluates the policies on the plan JSON twice, with `opa eval` and
// with `conftest test` (as CI pipelines run them), fails the test unless
// both give the same verdict, and returns it.
func (tl tools) judge(t *testing.T, planJSON string, extraData ...map[string]any) verdict {
	t.Helper()
	byOPA := judge(t, tl.opa, planJSON, extraData...)
	byConftest := conftestJudge(t, tl.conftest, planJSON, extraData...)
	assertSameMessages(t, "conftest's failures (opa's deny)", byConftest.Deny, byOPA.Deny)
	assertSameMessages(t, "conftest's warnings (opa's warn)", byConftest.Warn, byOPA.Warn)
	return byOPA
}

// conftestJudge runs `conftest test` the way the policies' README shows,
// with --output json, and checks that its exit status matches its verdict:
// 1 with a failure, 0 without (warnings do not fail it).
func conftestJudge(t *testing.T, conftest, planJSON string, extraData ...map[string]any) verdict {
	t.Helper()
	args := []string{"test", "--no-color", "--output", "json",
		"--policy", policyDir, "--data", filepath.Join(policyDir, "data.json"), "--namespace", "smartag"}
	for _, path := range writeDataDocs(t, extraData) {
		args = append(args, "--data", path)
	}
	args = append(args, planJSON)
	w := workspace{dir: t.TempDir(), env: []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}}
	stdout, stderr, err := w.exec(conftest, args...)
	failed := false
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 1:
		failed = true
	default:
		t.Fatalf("conftest test: %v\nstderr:\n%s\nstdout:\n%s", err, stderr, stdout)
	}
	var results []struct {
		Namespace string `json:"namespace"`
		Failures  []struct {
			Msg string `json:"msg"`
		} `json:"failures"`
		Warnings []struct {
			Msg string `json:"msg"`
		} `json:"warnings"`
	}
	if err := json.Unmarshal(stdout, &results); err != nil {
		t.Fatalf("decoding conftest's answer: %v\n%s", err, stdout)
	}
	if len(results) != 1 || results[0].Namespace != "smartag" {
		t.Fatalf("conftest test: want one result for namespace smartag, got %s", stdout)
	}
	var v verdict
	for _, f := range results[0].Failures {
		v.Deny = append(v.Deny, f.Msg)
	}
	for _, w := range results[0].Warnings {
		v.Warn = append(v.Warn, w.Msg)
	}
	if failed != (len(v.Deny) > 0) {
		t.Errorf("conftest test exited with failed=%v but reported %d failures", failed, len(v.Deny))
	}
	return v
}

// writeDataDocs writes each data document to a JSON file and returns the
// paths.
func writeDataDocs(t *testing.T, docs []map[string]any) []string {
	t.Helper()
	paths := make([]string, 0, len(docs))
	for i, doc := range docs {
		path := filepath.Join(t.TempDir(), fmt.Sprintf("extra-%d.json", i))
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	return paths
}
