// Command changelog does what the project needs of changie
// (github.com/miniscruff/changie), from the same .changie.yaml, where
// changie cannot be installed:
//
//	changelog check          every .changes/unreleased/*.yaml is a valid
//	                         fragment (kind, body, time; a kind of the
//	                         config) and CHANGELOG.md is the merge of
//	                         .changes/<version>.md
//	changelog batch VERSION  the fragments become .changes/<VERSION>.md
//	                         (then removed), and CHANGELOG.md is merged
//	changelog merge          CHANGELOG.md from .changes/<version>.md
//	changelog pr BASE        a change since the git ref BASE that touches
//	                         what users get (the provider's code, docs/)
//	                         adds a fragment
//
// It runs in the repository root (-root to choose another).
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"

	"golang.org/x/mod/semver"
	"gopkg.in/yaml.v3"
)

// config is the part of .changie.yaml this command reads.
type config struct {
	ChangesDir    string `yaml:"changesDir"`
	UnreleasedDir string `yaml:"unreleasedDir"`
	ChangelogPath string `yaml:"changelogPath"`
	VersionExt    string `yaml:"versionExt"`
	VersionFormat string `yaml:"versionFormat"`
	KindFormat    string `yaml:"kindFormat"`
	ChangeFormat  string `yaml:"changeFormat"`
	Kinds         []struct {
		Label string `yaml:"label"`
	} `yaml:"kinds"`
	Newlines struct {
		AfterKind    int `yaml:"afterKind"`
		BeforeKind   int `yaml:"beforeKind"`
		EndOfVersion int `yaml:"endOfVersion"`
	} `yaml:"newlines"`
}

// fragment is one change, as changie writes it.
type fragment struct {
	Kind string    `yaml:"kind"`
	Body string    `yaml:"body"`
	Time time.Time `yaml:"time"`

	file string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("changelog", flag.ContinueOnError)
	fs.SetOutput(stderr)
	root := fs.String("root", ".", "repository root `dir` (holding .changie.yaml)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg, err := loadConfig(*root)
	if err != nil {
		fmt.Fprintf(stderr, "changelog: %v\n", err)
		return 1
	}
	switch {
	case fs.NArg() == 1 && fs.Arg(0) == "check":
		err = check(*root, cfg, stdout)
	case fs.NArg() == 2 && fs.Arg(0) == "batch":
		err = batch(*root, cfg, fs.Arg(1), time.Now(), stdout)
	case fs.NArg() == 1 && fs.Arg(0) == "merge":
		err = merge(*root, cfg)
	case fs.NArg() == 2 && fs.Arg(0) == "pr":
		var changed []string
		if changed, err = gitChanged(*root, fs.Arg(1)); err == nil {
			err = requireFragment(cfg, changed, stdout)
		}
	default:
		fmt.Fprintln(stderr, "usage: changelog [-root dir] check | batch VERSION | merge | pr BASE")
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "changelog: %v\n", err)
		return 1
	}
	return 0
}

func loadConfig(root string) (*config, error) {
	data, err := os.ReadFile(filepath.Join(root, ".changie.yaml"))
	if err != nil {
		return nil, err
	}
	var cfg config
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf(".changie.yaml: %w", err)
	}
	if cfg.ChangesDir == "" || cfg.UnreleasedDir == "" || cfg.ChangelogPath == "" || cfg.VersionExt == "" || len(cfg.Kinds) == 0 {
		return nil, errors.New(".changie.yaml: changesDir, unreleasedDir, changelogPath, versionExt and kinds are needed")
	}
	return &cfg, nil
}

func (c *config) kinds() []string {
	out := make([]string, len(c.Kinds))
	for i, k := range c.Kinds {
		out[i] = k.Label
	}
	return out
}

// fragments reads and checks every fragment; the error lists every problem.
func fragments(root string, cfg *config) ([]fragment, error) {
	dir := filepath.Join(root, cfg.ChangesDir, cfg.UnreleasedDir)
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		return nil, err
	}
	var out []fragment
	var problems []string
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasPrefix(name, ".") {
			continue // .gitkeep
		}
		f, err := readFragment(path, cfg.kinds())
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", filepath.Join(cfg.ChangesDir, cfg.UnreleasedDir, name), err))
			continue
		}
		out = append(out, f)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return out, nil
}

func readFragment(path string, kinds []string) (fragment, error) {
	if !strings.HasSuffix(path, ".yaml") {
		return fragment{}, errors.New("a fragment's name ends in .yaml")
	}
	data, err := os.ReadFile(path) //nolint:gosec // G304: a file of the changes directory
	if err != nil {
		return fragment{}, err
	}
	var f fragment
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return fragment{}, fmt.Errorf("not a fragment (kind, body, time and nothing else): %w", err)
	}
	var problems []string
	if !slices.Contains(kinds, f.Kind) {
		problems = append(problems, fmt.Sprintf("kind %q is none of %s", f.Kind, strings.Join(kinds, ", ")))
	}
	switch {
	case strings.TrimSpace(f.Body) == "":
		problems = append(problems, "body is empty")
	case strings.Contains(strings.TrimRight(f.Body, "\n"), "\n"):
		problems = append(problems, "body is more than one line")
	}
	if f.Time.IsZero() {
		problems = append(problems, "time is missing (RFC 3339, e.g. 2026-12-02T19:00:00.000000+00:00)")
	}
	if len(problems) > 0 {
		return fragment{}, errors.New(strings.Join(problems, "; "))
	}
	f.Body = strings.TrimSpace(f.Body)
	f.file = path
	return f, nil
}

// versions are the version files, newest first.
func versions(root string, cfg *config) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(root, cfg.ChangesDir, "*."+cfg.VersionExt))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if v := versionOf(f, cfg); !semver.IsValid(v) {
			return nil, fmt.Errorf("%s: not named <version>.%s", f, cfg.VersionExt)
		}
	}
	slices.SortFunc(files, func(a, b string) int { return semver.Compare(versionOf(b, cfg), versionOf(a, cfg)) })
	return files, nil
}

func versionOf(path string, cfg *config) string {
	return "v" + strings.TrimSuffix(filepath.Base(path), "."+cfg.VersionExt)
}

// merged is CHANGELOG.md as the version files make it.
func merged(root string, cfg *config) ([]byte, error) {
	files, err := versions(root, cfg)
	if err != nil {
		return nil, err
	}
	parts := make([]string, 0, len(files))
	for _, f := range files {
		data, err := os.ReadFile(f) //nolint:gosec // G304: a file of the changes directory
		if err != nil {
			return nil, err
		}
		parts = append(parts, strings.TrimRight(string(data), "\n"))
	}
	return []byte(strings.Join(parts, "\n\n") + "\n"), nil
}

func merge(root string, cfg *config) error {
	data, err := merged(root, cfg)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, cfg.ChangelogPath), data, 0o644) //nolint:gosec // G306: a tracked file
}

func check(root string, cfg *config, stdout io.Writer) error {
	fs, err := fragments(root, cfg)
	if err != nil {
		return err
	}
	want, err := merged(root, cfg)
	if err != nil {
		return err
	}
	have, err := os.ReadFile(filepath.Join(root, cfg.ChangelogPath))
	if err != nil {
		return err
	}
	if !bytes.Equal(have, want) {
		return fmt.Errorf("%s is not the merge of %s/<version>.%s: edit the version files (or write a fragment), then `make changelog-merge`",
			cfg.ChangelogPath, cfg.ChangesDir, cfg.VersionExt)
	}
	fmt.Fprintf(stdout, "changelog-check: %d unreleased fragment(s) valid; %s matches %s/\n", len(fs), cfg.ChangelogPath, cfg.ChangesDir)
	return nil
}

var versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`)

func batch(root string, cfg *config, version string, now time.Time, stdout io.Writer) error {
	version = strings.TrimPrefix(version, "v")
	if !versionRE.MatchString(version) {
		return fmt.Errorf("version %q is not x.y.z", version)
	}
	path := filepath.Join(root, cfg.ChangesDir, version+"."+cfg.VersionExt)
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s exists already", path)
	}
	fs, err := fragments(root, cfg)
	if err != nil {
		return err
	}
	if len(fs) == 0 {
		return errors.New("no unreleased fragment to batch")
	}
	text, err := render(cfg, version, now, fs)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, text, 0o644); err != nil { //nolint:gosec // G306: a tracked file
		return err
	}
	for _, f := range fs {
		if err := os.Remove(f.file); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "changelog: %d change(s) into %s\n", len(fs), path)
	return merge(root, cfg)
}

// render is one version's section: the version line, then each kind that
// has changes, in the config's order, its changes oldest first.
func render(cfg *config, version string, now time.Time, fs []fragment) ([]byte, error) {
	tmpl := func(name, text string, data any) (string, error) {
		t, err := template.New(name).Parse(text)
		if err != nil {
			return "", fmt.Errorf(".changie.yaml %s: %w", name, err)
		}
		var b strings.Builder
		if err := t.Execute(&b, data); err != nil {
			return "", fmt.Errorf(".changie.yaml %s: %w", name, err)
		}
		return b.String(), nil
	}
	head, err := tmpl("versionFormat", cfg.VersionFormat, struct {
		Version string
		Time    time.Time
	}{version, now})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(fs, func(a, b fragment) int { return a.Time.Compare(b.Time) })
	var b strings.Builder
	b.WriteString(head + "\n")
	for _, kind := range cfg.kinds() {
		var changes []fragment
		for _, f := range fs {
			if f.Kind == kind {
				changes = append(changes, f)
			}
		}
		if len(changes) == 0 {
			continue
		}
		k, err := tmpl("kindFormat", cfg.KindFormat, struct{ Kind string }{kind})
		if err != nil {
			return nil, err
		}
		b.WriteString(strings.Repeat("\n", cfg.Newlines.BeforeKind) + k + "\n" + strings.Repeat("\n", cfg.Newlines.AfterKind))
		for _, f := range changes {
			line, err := tmpl("changeFormat", cfg.ChangeFormat, struct {
				Kind, Body string
				Time       time.Time
			}{f.Kind, f.Body, f.Time})
			if err != nil {
				return nil, err
			}
			b.WriteString(line + "\n")
		}
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n"), nil
}

// gitChanged lists the files a change since base adds, modifies or
// deletes (base...HEAD: since the two histories parted).
func gitChanged(root, base string) ([]string, error) {
	cmd := exec.Command("git", "-C", root, "diff", "--name-status", "--no-renames", base+"...HEAD") //nolint:gosec // G204: git, a ref the caller names
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("git diff %s...HEAD: %w: %s", base, err, bytes.TrimSpace(ee.Stderr))
		}
		return nil, fmt.Errorf("git diff %s...HEAD: %w", base, err)
	}
	var files []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if status, file, ok := strings.Cut(line, "\t"); ok {
			files = append(files, status+"\t"+file)
		}
	}
	return files, nil
}

// userFacing is what a user of the provider gets: its code (not tests) and
// its documentation.
func userFacing(file string) bool {
	switch {
	case strings.HasSuffix(file, "_test.go"), strings.Contains(file, "/testdata/"):
		return false
	case file == "main.go", strings.HasPrefix(file, "docs/"), strings.HasPrefix(file, "templates/"):
		return true
	case strings.HasPrefix(file, "internal/bench/"), strings.HasPrefix(file, "internal/testutil/"), strings.HasPrefix(file, "internal/policytest/"):
		return false
	default:
		return strings.HasPrefix(file, "internal/") && strings.HasSuffix(file, ".go")
	}
}

// requireFragment fails when changed (git diff --name-status lines) touch
// what users get and add no fragment.
func requireFragment(cfg *config, changed []string, stdout io.Writer) error {
	var touched []string
	fragmentDir := cfg.ChangesDir + "/" + cfg.UnreleasedDir + "/"
	for _, line := range changed {
		status, file, _ := strings.Cut(line, "\t")
		if strings.HasPrefix(file, fragmentDir) && strings.HasSuffix(file, ".yaml") && status == "A" {
			fmt.Fprintf(stdout, "changelog: the change adds %s\n", file)
			return nil
		}
		if userFacing(file) {
			touched = append(touched, file)
		}
	}
	if len(touched) == 0 {
		fmt.Fprintln(stdout, "changelog: nothing users get changed: no fragment needed")
		return nil
	}
	return fmt.Errorf("the change touches what users get (%s%s) but adds no %s*.yaml: write one (kind, body, time), "+
		"or label the pull request no-changelog if users cannot tell", strings.Join(touched[:min(len(touched), 3)], ", "), more(len(touched)-3), fragmentDir)
}

func more(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" and %d more", n)
}
