package provider

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
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
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: config,
			ExpectError: regexp.MustCompile(`(?s)Read timed out.*within\s+3s\s+\(timeouts\.read\)|` +
				`Throttling\.User after \d+ attempts.*read\s+timeout\s+would\s+pass`),
		}},
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

// oddAnswer is a canned DescribeUserOnlineClients answer with values the
// mock's fixture validation refuses: a ClientIp that is not an IP and
// OnlineTime values that are not unix seconds.
const oddAnswer = `{"RequestId":"0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0","Users":{"User":[
  {"OnlineTime":"1764300000","ClientIp":"10.10.1.21"},
  {"OnlineTime":"yesterday","ClientIp":"vpn-gw.internal"},
  {"OnlineTime":1764310000,"ClientIp":"10.10.1.22"}]}}`

// TestAccUserOnlineClients_oddValuesWarnAndKeepTheRead: a real
// `terraform apply -json` against an endpoint that answers oddAnswer. The
// read succeeds, warns about each odd value, and online_since is null for
// the client whose OnlineTime is not unix seconds.
func TestAccUserOnlineClients_oddValuesWarnAndKeepTheRead(t *testing.T) {
	tfPath := terraformPath(t)
	isolateEnv(t)
	cliConfig := devProviderCLIConfig(t)
	var requests sync.WaitGroup
	endpoint := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		defer requests.Done()
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = w.Write([]byte(oddAnswer))
	}))
	t.Cleanup(endpoint.Close)

	dir := t.TempDir()
	config := requiredProviders + fmt.Sprintf(`
provider "smartag" {
  endpoint   = %q
  region     = "cn-shanghai"
  access_key = "LTAIcannedAnswerKey1"
  secret_key = "canned-answer-secret-0001"
}

data "smartag_user_online_clients" "alice" {
  smartag_id = %q
  user_name  = "alice"
}

output "clients" {
  value = data.smartag_user_online_clients.alice.clients
}
`, endpoint.URL, sampleID)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.CommandContext(ctx, tfPath, args...)
		cmd.Dir = dir
		cmd.Env = tfEnv(cliConfig)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.Output()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s\n%s", strings.Join(args, " "), err, stdout, stderr.String())
		}
		return stdout
	}

	// Every line of -json output is one message; diagnostics carry a
	// severity, a summary and a detail.
	type diagnostic struct {
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Detail   string `json:"detail"`
	}
	var warnings []diagnostic
	scanner := bufio.NewScanner(bytes.NewReader(run("apply", "-input=false", "-auto-approve", "-json", "-lock=false")))
	scanner.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for scanner.Scan() {
		var msg struct {
			Type       string      `json:"type"`
			Diagnostic *diagnostic `json:"diagnostic"`
		}
		if json.Unmarshal(scanner.Bytes(), &msg) == nil && msg.Type == "diagnostic" && msg.Diagnostic != nil {
			if msg.Diagnostic.Severity == "error" {
				t.Errorf("unexpected error: %s: %s", msg.Diagnostic.Summary, msg.Diagnostic.Detail)
			}
			if msg.Diagnostic.Severity == "warning" && msg.Diagnostic.Summary == "Unexpected value in the Smartag answer" {
				warnings = append(warnings, *msg.Diagnostic)
			}
		}
	}
	var details []string
	for _, w := range warnings {
		details = append(details, w.Detail)
	}
	all := strings.Join(details, "\n")
	for _, want := range []string{
		`client 1 ("vpn-gw.internal"): OnlineTime "yesterday" is not unix seconds; online_since is left null`,
		`client 1: ClientIp "vpn-gw.internal" is not an IP address; it is kept as given`,
		`request ID 0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning says %q; warnings:\n%s", want, all)
		}
	}
	// The read is done once per plan and apply at most, two warnings each.
	if len(warnings) == 0 || len(warnings)%2 != 0 {
		t.Errorf("want two warnings per read, got %d:\n%s", len(warnings), all)
	}

	var outputs map[string]struct {
		Value []map[string]*string `json:"value"`
	}
	if err := json.Unmarshal(run("output", "-json"), &outputs); err != nil {
		t.Fatal(err)
	}
	clients := outputs["clients"].Value
	str := func(p *string) string {
		if p == nil {
			return "<null>"
		}
		return *p
	}
	want := []struct{ ip, time, since string }{
		{"10.10.1.21", "1764300000", "2025-11-28T03:20:00Z"},
		{"vpn-gw.internal", "yesterday", "<null>"},
		{"10.10.1.22", "1764310000", "2025-11-28T06:06:40Z"},
	}
	if len(clients) != len(want) {
		t.Fatalf("want %d clients in state, got %v", len(want), clients)
	}
	for i, w := range want {
		c := clients[i]
		if got := [3]string{str(c["client_ip"]), str(c["online_time"]), str(c["online_since"])}; got != [3]string{w.ip, w.time, w.since} {
			t.Errorf("client %d: got %v, want %+v", i, got, w)
		}
	}
	requests.Wait()
}
