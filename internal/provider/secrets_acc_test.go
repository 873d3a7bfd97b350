package provider

import (
	"bytes"
	"context"
	"crypto/tls"
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

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// The secrets tests run reads with every log turned up and then search the
// log, the state and every diagnostic for anything that signs or opens a
// request: secrets, security tokens (also the ones STS issued during the
// test), signatures and signed URLs.

const (
	// wrongSecret signs requests the mock refuses with SignatureDoesNotMatch.
	wrongSecretValue = "MockWrongSecret00000000000000001"
	// wrongToken goes with the STS-style key and is refused.
	wrongTokenValue = "MockWrongSecurityToken00000000001"
)

var (
	// The shapes of what the mock's AssumeRole issues (sts.go): a token
	// "CAIS" + 200 letters and digits, a secret of 44. A token is searched
	// from 24 characters on, so that part of one is found too.
	issuedTokenShape  = regexp.MustCompile(`CAIS[A-Za-z0-9]{20,}`)
	issuedSecretShape = regexp.MustCompile(`(?:^|[^A-Za-z0-9+/=_.-])[A-Za-z0-9]{44}(?:$|[^A-Za-z0-9+/=_.-])`)
	// A signature, as a parameter or a JSON field, and a signed URL.
	signedShape = regexp.MustCompile(`Signature=|Signature":|Signature%3D|SignatureNonce=|SignatureNonce%3D|[Ss]tring[Tt]o[Ss]ign`)
)

// leakChecker holds every secret a test used or saw issued.
type leakChecker struct {
	mu      sync.Mutex
	secrets map[string]string // value -> what it is
}

func newLeakChecker() *leakChecker {
	return &leakChecker{secrets: map[string]string{
		smartagmock.SampleAccessKeySecret:       "the static secret",
		smartagmock.SampleStsAccessKeySecret:    "the STS-style secret",
		smartagmock.SampleStsSecurityToken:      "the security token",
		smartagmock.SampleDeniedAccessKeySecret: "the denied key's secret",
		wrongSecretValue:                        "the wrong secret",
		wrongTokenValue:                         "the wrong security token",
	}}
}

func (l *leakChecker) add(value, what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.secrets[value] = what
}

// check reports every secret, issued-credential shape or signature in text.
func (l *leakChecker) check(t *testing.T, where, text string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for value, what := range l.secrets {
		if strings.Contains(text, value) {
			t.Errorf("%s carries %s: …%s…", where, what, excerpt(text, value))
		}
	}
	for name, re := range map[string]*regexp.Regexp{
		"an STS-issued security token": issuedTokenShape,
		"an STS-issued secret":         issuedSecretShape,
		"a signature or signed URL":    signedShape,
	} {
		if m := re.FindString(text); m != "" {
			t.Errorf("%s carries what looks like %s: …%s…", where, name, excerpt(text, m))
		}
	}
}

// excerpt is the text around the first occurrence of s, for a failure
// message that shows where a leak is without repeating all of the log.
func excerpt(text, s string) string {
	i := strings.Index(text, s)
	from, to := max(0, i-120), min(len(text), i+len(s)+40)
	return text[from:to]
}

// harnessConfigEntry starts the TRACE entry in which terraform-plugin-testing
// itself logs each step's configuration, the test's literal credentials
// included: the harness's output, not Terraform's or the provider's.
const harnessConfigEntry = "sdk.helper_resource: Setting Terraform configuration"

// withoutHarnessConfig drops those entries from an hclog log: an entry is
// a line that starts with a timestamp and the indented lines after it.
func withoutHarnessConfig(log string) (string, int) {
	var b strings.Builder
	dropped, skipping := 0, false
	for _, line := range strings.SplitAfter(log, "\n") {
		if entryStart.MatchString(line) {
			skipping = strings.Contains(line, harnessConfigEntry)
			if skipping {
				dropped++
			}
		}
		if !skipping {
			b.WriteString(line)
		}
	}
	return b.String(), dropped
}

var entryStart = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)

// recordingTLSMock serves the mock over HTTPS like startTLSMock, and keeps
// the credentials that STS AssumeRole issued, read from its answers: the
// mock itself never exposes them.
func recordingTLSMock(t *testing.T, leaks *leakChecker) (*smartagmock.Handler, string) {
	t.Helper()
	h, err := smartagmock.NewHandler(smartagmock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &teeWriter{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		var doc struct {
			Credentials struct{ AccessKeySecret, SecurityToken string }
		}
		if json.Unmarshal(rec.body.Bytes(), &doc) == nil && doc.Credentials.SecurityToken != "" {
			leaks.add(doc.Credentials.AccessKeySecret, "the STS-issued secret")
			leaks.add(doc.Credentials.SecurityToken, "the STS-issued security token")
		}
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{mockTLS}, MinVersion: tls.VersionTLS12}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return h, strings.TrimPrefix(srv.URL, "https://")
}

type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// captureState hands the whole state, as JSON, to got.
type captureState struct{ got func(string) }

func (c captureState) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	c.got(string(raw))
}

// TestAccSecrets_neverInLogsStateOrDiagnostics runs successful and failing
// reads with TF_LOG=TRACE (Terraform's log and the provider's, which
// terraform-plugin-testing writes for the in-process provider) into one
// file, then searches that file, each state and each error.
func TestAccSecrets_neverInLogsStateOrDiagnostics(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	isolateEnv(t)
	logFile := filepath.Join(t.TempDir(), "terraform.log")
	for k, v := range map[string]string{
		"TF_LOG": "TRACE", "TF_LOG_PATH": logFile, "TF_LOG_PROVIDER": "TRACE",
		"TF_ACC_LOG": "TRACE", "TF_ACC_LOG_PATH": logFile, "TF_LOG_CORE": "", "TF_LOG_PATH_MASK": "",
		// Read by the SDK when its packages initialise, so without effect
		// in this process; TestAccSecrets_providerProcessWithSDKDebug and
		// sagclient's TestSDKDebugOutputCarriesNoSecrets cover it.
		"DEBUG": "sdk",
	} {
		t.Setenv(k, v)
	}
	leaks := newLeakChecker()
	plain := startMock(t, smartagmock.Options{})
	sts, stsEndpoint := recordingTLSMock(t, leaks)

	var states, diagnostics []string
	succeeds := func(t *testing.T, config string) {
		accTest(t, resource.TestStep{
			Config: config,
			ConfigStateChecks: append([]statecheck.StateCheck{captureState{func(s string) { states = append(states, s) }}},
				aliceHasThree...),
		})
	}
	// ErrorCheck, unlike ExpectError, sees the whole error text.
	fails := func(t *testing.T, config string, want *regexp.Regexp) {
		var got string
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			ErrorCheck: func(err error) error {
				got = err.Error()
				return nil
			},
			Steps: []resource.TestStep{{Config: config}},
		})
		if !want.MatchString(got) {
			t.Fatalf("want an error matching %s, got %q", want, got)
		}
		diagnostics = append(diagnostics, got)
	}

	t.Run("static key", func(t *testing.T) {
		succeeds(t, providerBlockWithKey(plain.URL, smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret, "")+aliceOnly)
	})
	t.Run("STS token", func(t *testing.T) {
		succeeds(t, providerBlockWithKey(plain.URL, smartagmock.SampleStsAccessKeyID, smartagmock.SampleStsAccessKeySecret,
			fmt.Sprintf("  security_token = %q", smartagmock.SampleStsSecurityToken))+aliceOnly)
	})
	t.Run("wrong secret", func(t *testing.T) {
		fails(t, providerBlockWithKey(plain.URL, smartagmock.SampleAccessKeyID, wrongSecretValue, "")+aliceOnly,
			regexp.MustCompile(`(?s)SignatureDoesNotMatch.*Request ID`))
	})
	t.Run("wrong security token", func(t *testing.T) {
		fails(t, providerBlockWithKey(plain.URL, smartagmock.SampleStsAccessKeyID, smartagmock.SampleStsAccessKeySecret,
			fmt.Sprintf("  security_token = %q", wrongTokenValue))+aliceOnly,
			regexp.MustCompile(`(?s)InvalidSecurityToken.*Request ID`))
	})
	t.Run("assume_role", func(t *testing.T) {
		succeeds(t, providerBlockWithKey("https://"+stsEndpoint, smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret,
			fmt.Sprintf("  sts_endpoint = %q\n  assume_role {\n    role_arn = %q\n  }", stsEndpoint, smartagmock.SampleRoleARN))+aliceOnly)
		if sts.Count("AssumeRole") == 0 {
			t.Fatal("STS AssumeRole was never called")
		}
	})
	if t.Failed() {
		return
	}
	if len(leaks.secrets) < 8 {
		t.Fatalf("the STS-issued credentials were not recorded: %d secrets known", len(leaks.secrets))
	}

	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log, dropped := withoutHarnessConfig(string(raw))
	if dropped == 0 {
		t.Error("no configuration entry of terraform-plugin-testing was found: has its log format changed?")
	}
	// The log is worth searching: it has Terraform's lines, the provider's
	// and our client's, each of them at their most verbose.
	for _, want := range []string{"Smartag request succeeded", "Smartag request failed", "assume_role(static access key)"} {
		if !strings.Contains(log, want) {
			t.Errorf("the TRACE log (%d bytes) lacks %q: is it the right file?", len(log), want)
		}
	}
	// The CLI's own start-up line: Terraform or OpenTofu.
	if !strings.Contains(log, "Terraform version") && !strings.Contains(log, "OpenTofu version") {
		t.Errorf("the TRACE log (%d bytes) has no line of the CLI's own: is it the right file?", len(log))
	}
	leaks.check(t, "the TF_LOG file", log)
	if len(states) != 3 {
		t.Errorf("want 3 states, captured %d", len(states))
	}
	for i, s := range states {
		leaks.check(t, fmt.Sprintf("state %d", i+1), s)
	}
	for i, d := range diagnostics {
		leaks.check(t, fmt.Sprintf("error %d", i+1), d)
	}
}

// TestAccSecrets_providerProcessWithSDKDebug runs the provider binary
// under a real Terraform with DEBUG=sdk in its environment from the start,
// as a user debugging a problem would: the SDK's printers then write to
// the plugin's stdout, which Terraform copies into its log. Neither the
// log, Terraform's output nor the state file may carry a secret.
func TestAccSecrets_providerProcessWithSDKDebug(t *testing.T) {
	tfPath := terraformPath(t)
	isolateEnv(t)
	cliConfig := devProviderCLIConfig(t)
	leaks := newLeakChecker()
	plain := startMock(t, smartagmock.Options{})
	sts, stsEndpoint := recordingTLSMock(t, leaks)

	dir := t.TempDir()
	logFile := filepath.Join(t.TempDir(), "terraform.log")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// run returns Terraform's output and whether it succeeded.
	run := func(config string, args ...string) (string, bool) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(requiredProviders+config), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(ctx, tfPath, args...)
		cmd.Dir = dir
		// SSL_CERT_FILE (see TestMain) reaches the provider process too.
		cmd.Env = tfEnv(cliConfig, "DEBUG=sdk", "TF_LOG=TRACE", "TF_LOG_PROVIDER=TRACE", "TF_LOG_PATH="+logFile)
		out, err := cmd.CombinedOutput()
		return string(out), err == nil
	}

	ds := func(name, alias string) string {
		return fmt.Sprintf(`
data "smartag_user_online_clients" %q {
  provider   = smartag.%s
  smartag_id = %q
  user_name  = "alice"
}
`, name, alias, sampleID)
	}
	good := fmt.Sprintf(`
provider "smartag" {
  alias          = "sts"
  endpoint       = %q
  region         = "cn-shanghai"
  access_key     = %q
  secret_key     = %q
  security_token = %q
}

provider "smartag" {
  alias        = "role"
  endpoint     = "https://%s"
  region       = "cn-shanghai"
  access_key   = %q
  secret_key   = %q
  sts_endpoint = %q
  assume_role {
    role_arn = %q
  }
}
`, plain.URL, smartagmock.SampleStsAccessKeyID, smartagmock.SampleStsAccessKeySecret, smartagmock.SampleStsSecurityToken,
		stsEndpoint, smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret, stsEndpoint, smartagmock.SampleRoleARN) +
		ds("sts", "sts") + ds("role", "role")
	applied, ok := run(good, "apply", "-input=false", "-auto-approve", "-no-color", "-lock=false")
	if !ok {
		t.Fatalf("terraform apply failed:\n%s", applied)
	}
	if sts.Count("AssumeRole") == 0 || sts.Count("DescribeUserOnlineClients") == 0 || plain.Count("DescribeUserOnlineClients") == 0 {
		t.Fatalf("not every read reached its mock:\n%s", applied)
	}
	state, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}

	bad := fmt.Sprintf(`
provider "smartag" {
  alias      = "wrong"
  endpoint   = %q
  region     = "cn-shanghai"
  access_key = %q
  secret_key = %q
}
`, plain.URL, smartagmock.SampleAccessKeyID, wrongSecretValue) + ds("wrong", "wrong")
	planned, ok := run(bad, "plan", "-input=false", "-no-color", "-lock=false", "-refresh=false")
	if ok || !strings.Contains(planned, "SignatureDoesNotMatch") {
		t.Fatalf("want a SignatureDoesNotMatch error:\n%s", planned)
	}

	raw, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	log := string(raw)
	// The provider ran with the SDK's debug switched on, and its output
	// reaches this log: the check below would see what the SDK printed.
	for _, want := range []string{"Smartag request succeeded", "terraform-provider-smartag"} {
		if !strings.Contains(log, want) {
			t.Errorf("the TRACE log (%d bytes) lacks %q", len(log), want)
		}
	}
	if len(leaks.secrets) < 8 {
		t.Fatalf("the STS-issued credentials were not recorded: %d secrets known", len(leaks.secrets))
	}
	leaks.check(t, "the TF_LOG file", log)
	leaks.check(t, "terraform apply's output", applied)
	leaks.check(t, "terraform plan's output", planned)
	leaks.check(t, "terraform.tfstate", string(state))
}

// TestProviderSchema_credentialsAreSensitive: Terraform hides sensitive
// arguments in plans and the UI, and never writes a provider's
// configuration to state.
func TestProviderSchema_credentialsAreSensitive(t *testing.T) {
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	for _, name := range []string{"access_key", "secret_key", "security_token"} {
		attr, ok := resp.Schema.Attributes[name].(schema.StringAttribute)
		if !ok {
			t.Errorf("%s: no string attribute of that name", name)
			continue
		}
		if !attr.Sensitive {
			t.Errorf("%s must be Sensitive", name)
		}
	}
}
