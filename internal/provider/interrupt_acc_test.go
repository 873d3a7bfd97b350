package provider

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
	"github.com/opensmartag/terraform-provider-smartag/internal/testutil"
)

// TestAccUserOnlineClients_readTimeoutBoundsWholeRead: timeouts.read bounds
// the read, retries and an attempt in flight included. Every request is
// throttled after 2 s at the mock, so within the 3 s read timeout at most
// two requests can start, whatever the machine's speed: max_retries = 50
// must not matter.
func TestAccUserOnlineClients_readTimeoutBoundsWholeRead(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{Faults: smartagmock.Faults{Latency: 2 * time.Second, ThrottleRate: 1}})
	config := providerBlock(srv, "  max_retries = 50") + aliceWithReadTimeout("3s")
	accTest(t, resource.TestStep{
		Config: config,
		ExpectError: regexp.MustCompile(`(?s)Read timed out.*within\s+3s\s+\(timeouts\.read\)|` +
			`Throttling\.User after \d+ attempts.*read\s+timeout\s+would\s+pass`),
	})
	n := srv.CountFor(sampleID, "alice")
	if n < 1 || n > 2 {
		t.Errorf("the 3s read timeout allows at most 2 requests of 2s each, the mock counted %d", n)
	}
	var outcomes []string
	for _, r := range srv.Requests() {
		outcomes = append(outcomes, fmt.Sprintf("%d %s", r.Status, r.Code))
	}
	t.Logf("requests: %v (a 503 is an attempt cut short by the deadline)", outcomes)
}

// tfEnv is the environment of a Terraform process run by a test: the
// test's own (with the provider's variables emptied by isolateEnv), the dev
// override for the provider binary, and extra.
func tfEnv(cliConfig string, extra ...string) []string {
	env := make([]string, 0, len(os.Environ())+8)
	for _, kv := range os.Environ() {
		// Terraform's log settings are each test's own choice.
		if strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_ACC_LOG") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return append(env, extra...)
}

// waitFor polls cond every 10 ms until it holds or limit passes.
func waitFor(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// TestAccInterrupt_planStopsReadOnSIGINT runs a real `terraform plan`
// whose read hangs at the mock (10 minutes of latency, no client timeout
// shorter than that), interrupts it as Ctrl-C would, and checks that the
// request is cancelled on the wire and Terraform exits. The bounds are
// generous on purpose; the measured latencies are logged.
// TestDescribeUserOnlineClients_cancelStopsInFlightRequest in sagclient
// proves the mechanism itself.
func TestAccInterrupt_planStopsReadOnSIGINT(t *testing.T) {
	tfPath := terraformPath(t)
	isolateEnv(t)
	cliConfig := devProviderCLIConfig(t)
	srv := startMock(t, smartagmock.Options{Faults: smartagmock.Faults{Latency: 10 * time.Minute}})

	dir := t.TempDir()
	config := requiredProviders + providerBlock(srv,
		"  client_read_timeout = 900000 # 15 minutes: only the interrupt may end the request") + aliceWithReadTimeout("15m")
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	var out testutil.LockedBuffer
	cmd := exec.Command(tfPath, "plan", "-input=false", "-no-color", "-lock=false")
	cmd.Dir = dir
	cmd.Env = tfEnv(cliConfig)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var exitErr error
	go func() { exitErr = cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		select {
		case <-exited:
		default:
			_ = cmd.Process.Kill()
			<-exited
		}
	})

	// The read is in flight once the mock has the request.
	arrived := waitFor(2*time.Minute, func() bool {
		select {
		case <-exited:
			return true
		default:
		}
		return srv.CountFor(sampleID, "alice") > 0
	})
	if !arrived || srv.CountFor(sampleID, "alice") == 0 {
		t.Fatalf("the request never reached the mock; terraform said:\n%s", out.String())
	}

	interrupted := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	// The mock answers 503 when the client goes away during its latency;
	// nothing else in this test answers 503.
	cancelled := func() bool {
		for _, r := range srv.Requests() {
			if r.Action == "DescribeUserOnlineClients" && r.Status == http.StatusServiceUnavailable {
				return true
			}
		}
		return false
	}
	if !waitFor(20*time.Second, cancelled) {
		t.Fatalf("20s after SIGINT the mock still holds the request; terraform said:\n%s", out.String())
	}
	cancelLatency := time.Since(interrupted)

	select {
	case <-exited:
	case <-time.After(60 * time.Second):
		t.Fatalf("terraform did not exit within 60s of SIGINT:\n%s", out.String())
	}
	exitLatency := time.Since(interrupted)
	t.Logf("SIGINT to cancellation seen by the mock: %v; to terraform's exit: %v (exit: %v)", cancelLatency, exitLatency, exitErr)

	if exitErr == nil {
		t.Errorf("an interrupted plan must not succeed:\n%s", out.String())
	}
	if n := srv.CountFor(sampleID, "alice"); n != 1 {
		t.Errorf("an interrupted read must not retry: %d requests", n)
	}
	// The provider's own context stopped the read (Terraform's
	// StopProvider), rather than the plugin process being killed.
	if !messagePattern("Read cancelled").MatchString(out.String()) ||
		!messagePattern("stopped after 1 attempts: context canceled").MatchString(out.String()) {
		t.Errorf("terraform's output does not show the read cancelled by the provider:\n%s", out.String())
	}
}
