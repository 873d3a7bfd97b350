package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// minActionsVersion is the first Terraform that runs actions.
var minActionsVersion = [2]int{1, 14}

var cliActions sync.Map // CLI path -> reason it has no actions ("" when it has)

// requireActions returns the acceptance tests' CLI, or skips the test,
// with the reason, when that CLI cannot run actions: OpenTofu, or a
// Terraform older than 1.14.
func requireActions(t *testing.T) string {
	t.Helper()
	tfPath := terraformPath(t)
	why, ok := cliActions.Load(tfPath)
	if !ok {
		why = noActionsReason(t, tfPath)
		cliActions.Store(tfPath, why)
	}
	if why != "" {
		t.Skipf("the CLI has no actions: %s", why)
	}
	return tfPath
}

// noActionsReason says why the CLI at tfPath cannot run actions, or "".
func noActionsReason(t *testing.T, tfPath string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tfPath, "version", "-json")
	cmd.Env = tfEnv("/dev/null")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version -json: %v\n%s", tfPath, err, stderr.String())
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v\n%s", tfPath, err, out)
	}
	plain, _ := exec.CommandContext(ctx, tfPath, "version").Output()
	if strings.Contains(strings.SplitN(string(plain), "\n", 2)[0], "OpenTofu") {
		return fmt.Sprintf("%s is OpenTofu %s, which has no actions", tfPath, v.Version)
	}
	major, minor, err := majorMinor(v.Version)
	if err != nil {
		t.Fatalf("%s version -json: %v", tfPath, err)
	}
	if major < minActionsVersion[0] || major == minActionsVersion[0] && minor < minActionsVersion[1] {
		return fmt.Sprintf("%s is Terraform %s; actions need %d.%d or later", tfPath, v.Version, minActionsVersion[0], minActionsVersion[1])
	}
	return ""
}

func majorMinor(version string) (int, int, error) {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return 0, 0, fmt.Errorf("version %q is not major.minor.patch", version)
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("version %q is not major.minor.patch", version)
	}
	return major, minor, nil
}
