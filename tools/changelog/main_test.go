package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// repo is a repository root with the project's .changie.yaml, one released
// version and the given unreleased fragments.
func repo(t *testing.T, fragments map[string]string) string {
	t.Helper()
	root := t.TempDir()
	cfg, err := os.ReadFile("../../.changie.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		".changie.yaml":                string(cfg),
		".changes/0.1.0.md":            "## 0.1.0 (Unreleased)\n\nFEATURES:\n\n* first\n",
		".changes/unreleased/.gitkeep": "",
		"CHANGELOG.md":                 "## 0.1.0 (Unreleased)\n\nFEATURES:\n\n* first\n",
	}
	for name, text := range fragments {
		files[".changes/unreleased/"+name] = text
	}
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestCheck(t *testing.T) {
	good := "kind: ENHANCEMENTS\nbody: 'data-source/smartag_online_clients: faster'\ntime: 2026-12-02T19:00:00.000000+00:00\n"
	var out, errs bytes.Buffer
	if code := run([]string{"-root", repo(t, map[string]string{"a-b.yaml": good}), "check"}, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	for name, c := range map[string]struct{ file, text, want string }{
		"unknown kind":  {"x.yaml", strings.Replace(good, "ENHANCEMENTS", "IMPROVEMENTS", 1), `kind "IMPROVEMENTS" is none of BREAKING CHANGES, NOTES, FEATURES, ENHANCEMENTS, BUG FIXES`},
		"empty body":    {"x.yaml", "kind: NOTES\nbody: ''\ntime: 2026-12-02T19:00:00Z\n", "body is empty"},
		"two lines":     {"x.yaml", "kind: NOTES\nbody: |\n  one\n  two\ntime: 2026-12-02T19:00:00Z\n", "more than one line"},
		"no time":       {"x.yaml", "kind: NOTES\nbody: x\n", "time is missing"},
		"unknown field": {"x.yaml", good + "issue: 3\n", "field issue not found"},
		"not yaml name": {"x.yml", good, "ends in .yaml"},
	} {
		out.Reset()
		errs.Reset()
		if code := run([]string{"-root", repo(t, map[string]string{c.file: c.text}), "check"}, &out, &errs); code != 1 ||
			!strings.Contains(errs.String(), c.want) || !strings.Contains(errs.String(), ".changes/unreleased/"+c.file) {
			t.Errorf("%s: exit %d, stderr %q, want %q", name, code, errs.String(), c.want)
		}
	}

	root := repo(t, nil)
	if err := os.WriteFile(filepath.Join(root, "CHANGELOG.md"), []byte("edited by hand\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := run([]string{"-root", root, "check"}, &out, &errs); code != 1 || !strings.Contains(errs.String(), "is not the merge") {
		t.Errorf("a CHANGELOG.md edited by hand: exit %d, %s", code, errs.String())
	}
}

func TestBatch(t *testing.T) {
	root := repo(t, map[string]string{
		"b.yaml": "kind: BUG FIXES\nbody: fixed\ntime: 2026-12-02T19:00:00Z\n",
		"c.yaml": "kind: FEATURES\nbody: second\ntime: 2026-12-02T19:05:00Z\n",
		"a.yaml": "kind: FEATURES\nbody: 'first, it''s older'\ntime: 2026-12-02T18:00:00Z\n",
	})
	cfg, err := loadConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := batch(root, cfg, "v0.2.0", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC), &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	want := "## 0.2.0 (December 03, 2026)\n\nFEATURES:\n\n* first, it's older\n* second\n\nBUG FIXES:\n\n* fixed\n"
	if got, _ := os.ReadFile(filepath.Join(root, ".changes/0.2.0.md")); string(got) != want {
		t.Errorf("0.2.0.md:\n%s\nwant:\n%s", got, want)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "CHANGELOG.md")); string(got) != want+"\n## 0.1.0 (Unreleased)\n\nFEATURES:\n\n* first\n" {
		t.Errorf("CHANGELOG.md, newest first:\n%s", got)
	}
	if left, _ := filepath.Glob(filepath.Join(root, ".changes/unreleased/*.yaml")); len(left) != 0 {
		t.Errorf("fragments left: %v", left)
	}
	var out, errs bytes.Buffer
	if code := run([]string{"-root", root, "check"}, &out, &errs); code != 0 {
		t.Errorf("check after batch: %s", errs.String())
	}
	if err := batch(root, cfg, "0.2.0", time.Now(), &out); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("batch of an existing version: %v", err)
	}
	if err := batch(root, cfg, "0.3", time.Now(), &out); err == nil || !strings.Contains(err.Error(), "not x.y.z") {
		t.Errorf("batch of a bad version: %v", err)
	}
}

func TestRequireFragment(t *testing.T) {
	cfg, err := loadConfig("../..")
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		changed []string
		ok      bool
	}{
		"code without a fragment":   {[]string{"M\tinternal/provider/provider.go", "M\tinternal/provider/provider_test.go"}, false},
		"docs without a fragment":   {[]string{"M\tdocs/index.md"}, false},
		"code with a fragment":      {[]string{"M\tinternal/sagclient/audit.go", "A\t.changes/unreleased/x-y.yaml"}, true},
		"a fragment edited only":    {[]string{"M\tinternal/sagclient/audit.go", "M\t.changes/unreleased/x-y.yaml"}, false},
		"tests only":                {[]string{"M\tinternal/provider/provider_test.go", "A\tinternal/sagclient/testdata/fuzz/F/x"}, true},
		"tooling only":              {[]string{"M\tGNUmakefile", "A\t.github/workflows/test.yml", "M\tinternal/bench/report.go", "M\tscripts/bench.sh"}, true},
		"nothing":                   {nil, true},
		"the mock is code it ships": {[]string{"M\tinternal/smartagmock/handler.go"}, false},
	} {
		err := requireFragment(cfg, c.changed, &bytes.Buffer{})
		if (err == nil) != c.ok {
			t.Errorf("%s: err = %v, want ok %v", name, err, c.ok)
		}
	}
}
