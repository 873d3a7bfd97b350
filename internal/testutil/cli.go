package testutil

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-version"
)

// ActionsMinVersion is the first Terraform with actions (action blocks,
// apply -invoke, lifecycle.action_trigger). OpenTofu has none.
var ActionsMinVersion = version.Must(version.NewVersion("1.14.0"))

// CLI is the Terraform-compatible CLI an acceptance test runs.
type CLI struct {
	Path    string
	Name    string // "Terraform" or "OpenTofu"
	Version *version.Version
}

// HasActions reports whether the CLI runs provider-defined actions.
func (c CLI) HasActions() bool {
	return c.Name == "Terraform" && c.Version.Core().GreaterThanOrEqual(ActionsMinVersion)
}

func (c CLI) String() string {
	return fmt.Sprintf("%s %s (%s)", c.Name, c.Version, c.Path)
}

// AcceptanceCLI is the CLI terraform-plugin-testing runs:
// TF_ACC_TERRAFORM_PATH, else terraform on PATH. It skips t when TF_ACC is
// not set and fails it when no CLI can be found or run. The answer is probed
// once per path.
func AcceptanceCLI(t testing.TB) CLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc does)")
	}
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		var err error
		if path, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("TF_ACC=1 but no TF_ACC_TERRAFORM_PATH and no terraform on PATH: run `make testacc`, which finds or builds the CLIs")
		}
	}
	cli, err := probeCLI(path)
	if err != nil {
		t.Fatal(err)
	}
	return cli
}

// SkipUnlessCLIHasActions skips t, naming the CLI and the version actions
// need, unless the acceptance tests' CLI has actions; it returns that CLI.
func SkipUnlessCLIHasActions(t testing.TB) CLI {
	t.Helper()
	cli := AcceptanceCLI(t)
	if !cli.HasActions() {
		t.Skipf("%s has no actions, which need Terraform >= %s (OpenTofu has none): make testacc runs this test on its newest Terraform",
			cli, ActionsMinVersion)
	}
	return cli
}

var probed sync.Map // path -> func() (CLI, error)

func probeCLI(path string) (CLI, error) {
	f, _ := probed.LoadOrStore(path, sync.OnceValues(func() (CLI, error) { return runVersion(path) }))
	probe, ok := f.(func() (CLI, error))
	if !ok {
		return CLI{}, fmt.Errorf("probing %s: unexpected cache entry %T", path, f)
	}
	return probe()
}

func runVersion(path string) (CLI, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "version") //nolint:gosec // the CLI the acceptance tests were told to run
	// No CLI configuration and no update check: only the version line.
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+os.DevNull, "CHECKPOINT_DISABLE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return CLI{}, fmt.Errorf("running %s version: %w\n%s", path, err, stderr.Bytes())
	}
	name, v, err := ParseCLIVersion(stdout.Bytes())
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	return CLI{Path: path, Name: name, Version: v}, nil
}

var versionLine = regexp.MustCompile(`\A(Terraform|OpenTofu) v(\S+)`)

// ParseCLIVersion reads the CLI's name and version from the first line of
// its `version` output ("Terraform v1.16.4", "OpenTofu v1.12.6").
func ParseCLIVersion(out []byte) (name string, v *version.Version, err error) {
	first, _, _ := bytes.Cut(out, []byte("\n"))
	m := versionLine.FindSubmatch(bytes.TrimSpace(first))
	if m == nil {
		return "", nil, fmt.Errorf("not a Terraform or OpenTofu version line: %q", truncate(first, 200))
	}
	v, err = version.NewVersion(string(m[2]))
	if err != nil {
		return "", nil, fmt.Errorf("version %q: %w", m[2], err)
	}
	return string(m[1]), v, nil
}

// truncate shortens b to at most n bytes, for messages.
func truncate(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "..."
}
