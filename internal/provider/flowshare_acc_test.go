package provider

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// Two concurrent terraform plans, each its own provider process, with the
// same credentials and max_requests_per_second = 4, against a mock that
// admits 10 per second: sharing flow control, together they never send
// more than 4 in any rolling second (the mock's own count of arrivals),
// and the shared directory holds one private state file.
func TestAccFlowShare_twoPlansKeepToOneCeiling(t *testing.T) {
	tfPath := terraformPath(t)
	isolateEnv(t)
	cliConfig := devProviderCLIConfig(t)
	srv := startMock(t, smartagmock.Options{GenerateUsers: 12, RateLimit: 10})
	stateDir := filepath.Join(t.TempDir(), "flow-state")

	config := requiredProviders + generatedUsers(srv, 12, "  max_requests_per_second = 4")
	var wg sync.WaitGroup
	outs := make([]string, 2)
	errs := make([]error, 2)
	for i := range 2 {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		wg.Go(func() {
			cmd := exec.CommandContext(t.Context(), tfPath, "plan", "-input=false", "-no-color", "-lock=false")
			cmd.Dir = dir
			cmd.Env = tfEnv(cliConfig, "ALIBABA_CLOUD_SMARTAG_FLOW_STATE_DIR="+stateDir)
			out, err := cmd.CombinedOutput()
			outs[i], errs[i] = string(out), err
		})
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("plan %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	action := sagclient.ActionDescribeUserOnlineClients
	if got := srv.Admitted(action); got != 24 {
		t.Errorf("%d reads admitted, want 24 (12 per plan)", got)
	}
	if peak := srv.PeakAdmitted(action); peak > 4 {
		t.Errorf("the mock saw %d requests in one rolling second from two plans sharing a ceiling of 4", peak)
	}
	if refused := srv.Refused(action); refused != 0 {
		t.Errorf("%d refused under a limit of 10: the ceiling of 4 was not kept", refused)
	}
	files, err := filepath.Glob(filepath.Join(stateDir, "*.json"))
	if err != nil || len(files) != 1 {
		t.Fatalf("state files: %v, %v; want one", files, err)
	}
	fi, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %o", fi.Mode().Perm())
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), smartagmock.SampleAccessKeyID) || strings.Contains(string(b), smartagmock.SampleAccessKeySecret) {
		t.Errorf("the state file names the credentials: %s", b)
	}
}

// A directory that cannot be used turns sharing off: the plan succeeds.
// "off" writes nothing.
func TestAccFlowShare_unusableOrOffDirectoryNeverFailsAPlan(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{GenerateUsers: 3})
	blocker := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	offHome := t.TempDir()
	for name, setting := range map[string]string{
		"below a file": fmt.Sprintf("  flow_state_dir = %q", filepath.Join(blocker, "state")),
		"off":          `  flow_state_dir = "off"`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("XDG_CACHE_HOME", offHome)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:            generatedUsers(srv, 3, setting),
					ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownOutputValue("reads", knownvalue.Int64Exact(3))},
				}, {
					Config: providerBlock(srv),
				}},
			})
		})
	}
	if entries, err := os.ReadDir(offHome); err != nil || len(entries) != 0 {
		t.Errorf("the user's cache directory got %v (%v)", entries, err)
	}
}
