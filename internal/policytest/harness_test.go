package policytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// commandTimeout bounds every command a test runs; the machine is shared,
// so it is generous.
const commandTimeout = 5 * time.Minute

// repoRoot is the repository root: this package is internal/policytest.
var repoRoot = func() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("policytest: cannot locate the source file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}()

// policyDir holds the policies under test and their data.json.
var policyDir = filepath.Join(repoRoot, "examples", "policies")

// tools are the binaries a test needs.
type tools struct {
	cli      string // terraform or tofu
	opa      string
	conftest string
}

func requireTools(t *testing.T) tools {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make policy-test does)")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("TF_ACC=1 but no TF_ACC_TERRAFORM_PATH and no terraform on PATH: run `make policy-test`, which finds or builds a CLI")
		}
	}
	return tools{cli: cli, opa: pinnedOPA.path(t), conftest: pinnedConftest.path(t)}
}

// pinnedTool is a policy engine the tests run: the binary named by env
// (make policy-test sets it) or, so that a plain `TF_ACC=1 go test ./...`
// runs these tests too, the version pinned in the tools module, built once
// per test binary.
type pinnedTool struct {
	env, module, pkg string

	once  sync.Once
	built string
	err   error
}

var (
	pinnedOPA      = &pinnedTool{env: "OPA_PATH", module: "tools/opa", pkg: "github.com/open-policy-agent/opa"}
	pinnedConftest = &pinnedTool{env: "CONFTEST_PATH", module: "tools/conftest", pkg: "github.com/open-policy-agent/conftest"}
)

func (p *pinnedTool) path(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv(p.env); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			t.Fatalf("%s: %v", p.env, err)
		}
		return bin
	}
	p.once.Do(func() {
		dir, err := os.MkdirTemp("", "policytest-tool-") //nolint:usetesting // built once for the whole test binary
		if err != nil {
			p.err = err
			return
		}
		bin := filepath.Join(dir, filepath.Base(p.pkg))
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
		defer cancel()
		build := exec.CommandContext(ctx, "go", "build", "-C", filepath.Join(repoRoot, filepath.FromSlash(p.module)), "-o", bin, p.pkg)
		p.built = bin
		if out, err := build.CombinedOutput(); err != nil {
			p.err = fmt.Errorf("building the pinned %s (%s/go.mod): %w\n%s", filepath.Base(p.pkg), p.module, err, out)
		}
	})
	if p.err != nil {
		t.Fatal(p.err)
	}
	return p.built
}

// cleanup removes the binary built by path, if any.
func (p *pinnedTool) cleanup() {
	if p.built != "" {
		_ = os.RemoveAll(filepath.Dir(p.built))
	}
}

var devProvider struct {
	once sync.Once
	dir  string
	err  error
}

// providerDir builds the provider, once per test binary, into a directory
// for dev_overrides.
func providerDir(t *testing.T) string {
	t.Helper()
	devProvider.once.Do(func() {
		dir, err := os.MkdirTemp("", "policytest-provider-") //nolint:usetesting // built once for the whole test binary, removed by TestMain
		if err != nil {
			devProvider.err = err
			return
		}
		devProvider.dir = dir
		ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
		defer cancel()
		build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "terraform-provider-smartag"), ".")
		build.Dir = repoRoot
		if out, err := build.CombinedOutput(); err != nil {
			devProvider.err = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if devProvider.err != nil {
		t.Fatal(devProvider.err)
	}
	return devProvider.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if devProvider.dir != "" {
		_ = os.RemoveAll(devProvider.dir)
	}
	pinnedOPA.cleanup()
	pinnedConftest.cleanup()
	os.Exit(code)
}

// workspace is one configuration from testdata/, copied to a temp dir, with
// the environment its CLI runs in.
type workspace struct {
	dir string
	env []string
}

// newWorkspace copies testdata/<name> (with its module directories) and
// prepares a CLI configuration
// whose dev_overrides run the freshly built provider (no init needed), and
// an environment that holds nothing of the caller's but PATH and HOME.
func newWorkspace(t *testing.T, name, endpoint, smartagID string, extraEnv ...string) workspace {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(dir, "dev.tfrc")
	overrides := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/opensmartag/smartag" = %[1]q
    "registry.opentofu.org/opensmartag/smartag" = %[1]q
  }
  direct {}
}
`, providerDir(t))
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"TMPDIR=" + os.TempDir(),
		"TF_CLI_CONFIG_FILE=" + cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_VAR_endpoint=" + endpoint,
		"TF_VAR_smartag_id=" + smartagID,
	}
	return workspace{dir: dir, env: append(env, extraEnv...)}
}

// run runs bin in the workspace and returns its stdout; a failure reports
// stderr.
func (w workspace) run(t *testing.T, bin string, args ...string) []byte {
	t.Helper()
	stdout, stderr, err := w.exec(bin, args...)
	if err != nil {
		t.Fatalf("%s %s: %v\nstderr:\n%s\nstdout:\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr, stdout)
	}
	return stdout
}

func (w workspace) exec(bin string, args ...string) (stdout, stderr []byte, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = w.dir
	cmd.Env = w.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.Bytes(), errOut.Bytes(), err
}

// plan makes a saved plan and returns the path of its JSON, as a CI job
// would: `plan -out`, then `show -json`. `get` installs the configuration's
// local modules first: with dev_overrides, nothing else needs `init`.
func (w workspace) plan(t *testing.T, cli string) string {
	t.Helper()
	w.run(t, cli, "get", "-no-color")
	w.run(t, cli, "plan", "-input=false", "-no-color", "-lock=false", "-out=plan.tfplan")
	js := w.run(t, cli, "show", "-json", "plan.tfplan")
	path := filepath.Join(w.dir, "plan.json")
	if err := os.WriteFile(path, js, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// verdict is what the policies say about one plan.
type verdict struct {
	Deny []string `json:"deny"`
	Warn []string `json:"warn"`
}

// judge evaluates the policies with their data.json and any extra data
// documents (JSON, merged into data) on the plan JSON.
func judge(t *testing.T, opa, planJSON string, extraData ...map[string]any) verdict {
	t.Helper()
	args := []string{"eval", "--format", "json", "--data", policyDir, "--input", planJSON}
	for _, path := range writeDataDocs(t, extraData) {
		args = append(args, "--data", path)
	}
	args = append(args, `{"deny": data.smartag.deny, "warn": data.smartag.warn}`)
	out := workspace{dir: t.TempDir(), env: []string{"PATH=" + os.Getenv("PATH")}}.run(t, opa, args...)
	var res struct {
		Result []struct {
			Expressions []struct {
				Value verdict `json:"value"`
			} `json:"expressions"`
		} `json:"result"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("decoding opa eval's answer: %v\n%s", err, out)
	}
	if len(res.Result) != 1 || len(res.Result[0].Expressions) != 1 {
		t.Fatalf("opa eval: want one result, got %s", out)
	}
	return res.Result[0].Expressions[0].Value
}

// gate runs the command a CI job runs (see the policy-checks guide) and
// returns the messages it printed and whether it failed the job.
func gate(t *testing.T, opa, planJSON string) (messages []string, failed bool) {
	t.Helper()
	w := workspace{dir: t.TempDir(), env: []string{"PATH=" + os.Getenv("PATH")}}
	stdout, stderr, err := w.exec(opa, "eval", "--fail-defined", "--format", "raw",
		"--data", policyDir, "--input", planJSON, "data.smartag.deny[_]")
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 1:
		failed = true
	default:
		t.Fatalf("opa eval --fail-defined: %v\n%s", err, stderr)
	}
	for line := range strings.SplitSeq(strings.TrimSpace(string(stdout)), "\n") {
		if line != "" {
			messages = append(messages, line)
		}
	}
	return messages, failed
}

// assertSameMessages fails unless got and want hold the same messages, and
// lists the difference both ways.
func assertSameMessages(t *testing.T, what string, got, want []string) {
	t.Helper()
	missing, unexpected := difference(want, got), difference(got, want)
	if len(missing) == 0 && len(unexpected) == 0 && len(got) == len(want) {
		return
	}
	t.Errorf("%s: %d messages, want %d\nmissing:\n  %s\nunexpected:\n  %s", what, len(got), len(want),
		strings.Join(missing, "\n  "), strings.Join(unexpected, "\n  "))
}

// difference lists the members of a that are not in b, sorted.
func difference(a, b []string) []string {
	inB := make(map[string]bool, len(b))
	for _, s := range b {
		inB[s] = true
	}
	var out []string
	for _, s := range a {
		if !inB[s] {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
