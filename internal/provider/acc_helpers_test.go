package provider

import (
	"context"
	"crypto/tls"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// testAccProviders serves the provider in-process to the Terraform (or
// OpenTofu) that terraform-plugin-testing runs.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"smartag": providerserver.NewProtocol6WithError(New("test")()),
}

// mockTLS is the certificate of every TLS mock in this process. The Go SDK
// calls STS over HTTPS with the system roots, which Go loads once per
// process: SSL_CERT_FILE must name this certificate before anything loads
// them, so TestMain makes it first.
var mockTLS tls.Certificate

// accTempDir lives as long as the test binary; TestMain removes it.
var accTempDir string

// startEnv is the environment the test binary started with, before any test
// isolated it: go build needs the real HOME for its caches.
var startEnv []string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "smartag-acc-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	accTempDir = dir
	startEnv = os.Environ()

	cert, pemBytes, err := smartagmock.NewSelfSignedCertificate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "creating the mock's certificate:", err)
		return 1
	}
	mockTLS = cert
	pemPath := filepath.Join(dir, "smartag-mock.pem")
	if err := os.WriteFile(pemPath, pemBytes, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	_ = os.Setenv("SSL_CERT_FILE", pemPath)

	// The provider's address as the tests' configurations name it. OpenTofu
	// resolves short sources against its own registry host.
	if os.Getenv("TF_ACC_PROVIDER_NAMESPACE") == "" {
		_ = os.Setenv("TF_ACC_PROVIDER_NAMESPACE", "opensmartag")
	}
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "" && strings.HasPrefix(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu") {
		_ = os.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	}
	_ = os.Setenv("CHECKPOINT_DISABLE", "1")
	// Never the developer's cache directory: a test that wants shared flow
	// control names its own (isolateEnv gives each test one).
	_ = os.Setenv("ALIBABA_CLOUD_SMARTAG_FLOW_STATE_DIR", flowStateOff)
	return m.Run()
}

// providerEnv lists every environment variable the provider reads.
var providerEnv = func() [][]string {
	var all [][]string
	for _, names := range envVars {
		all = append(all, names)
	}
	return all
}()

// isolateEnv hides the developer's own Alibaba Cloud settings from a test:
// every variable the provider reads is emptied, HOME has no CLI profile,
// and flow control is shared in a directory of the test's own (so that
// tests never share it by accident, nor write to the user's cache).
func isolateEnv(t *testing.T) {
	t.Helper()
	for _, names := range providerEnv {
		for _, name := range names {
			t.Setenv(name, "")
		}
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CACHE_HOME", filepath.Join(os.Getenv("HOME"), ".cache"))
	t.Setenv("ALIBABA_CLOUD_SMARTAG_FLOW_STATE_DIR", t.TempDir())
}

// startMock starts an in-process mock with the sample fixture (or the one
// given) and stops it when the test ends. The sample is pinned at its
// reference time, so the online times the tests assert do not move.
func startMock(t *testing.T, opts smartagmock.Options) *smartagmock.Server {
	t.Helper()
	srv, err := smartagmock.Start(pinSample(opts))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// startTLSMock is startMock over HTTPS, trusted through SSL_CERT_FILE.
func startTLSMock(t *testing.T, opts smartagmock.Options) *smartagmock.Server {
	t.Helper()
	srv, err := smartagmock.StartTLS(pinSample(opts), mockTLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// pinSample defaults the fixture to the sample at SampleReferenceTime; the
// mock's clock stays real, since it also checks request Timestamps.
func pinSample(opts smartagmock.Options) smartagmock.Options {
	if opts.Fixture == nil {
		opts.Fixture = smartagmock.SampleFixtureAt(smartagmock.SampleReferenceTime)
	}
	return opts
}

// providerBlock configures the provider against a mock with the sample's
// key pair; extra lines go inside the block.
func providerBlock(srv *smartagmock.Server, extra ...string) string {
	return providerBlockWithKey(srv.URL, smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret, extra...)
}

// providerBlockWithKey is providerBlock with another endpoint and key pair.
func providerBlockWithKey(endpoint, keyID, secret string, extra ...string) string {
	return fmt.Sprintf(`
provider "smartag" {
  endpoint   = %q
  region     = %q
  access_key = %q
  secret_key = %q
%s
}
`, endpoint, smartagmock.SampleRegion, keyID, secret, strings.Join(extra, "\n"))
}

// aliceWithReadTimeout is a data source for the sample's alice with a
// timeouts.read.
func aliceWithReadTimeout(read string) string {
	return fmt.Sprintf(`
data "smartag_user_online_clients" "alice" {
  smartag_id = %q
  user_name  = "alice"
  timeouts {
    read = %q
  }
}
`, smartagmock.SampleInstanceID, read)
}

// messagePattern matches text in a diagnostic that Terraform may have wrapped
// over several lines.
func messagePattern(text string) *regexp.Regexp {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return regexp.MustCompile(strings.Join(words, `\s+`))
}

// terraformPath is the Terraform (or OpenTofu) binary of the acceptance
// tests that run it themselves, found the way terraform-plugin-testing
// finds its own: TF_ACC_TERRAFORM_PATH, else terraform on PATH. Unlike
// terraform-plugin-testing it never downloads one: the test fails instead,
// since TF_ACC=1 asked for acceptance tests.
func terraformPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	if tfPath := os.Getenv("TF_ACC_TERRAFORM_PATH"); tfPath != "" {
		return tfPath
	}
	tfPath, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("no terraform on PATH and TF_ACC_TERRAFORM_PATH is not set: %v", err)
	}
	return tfPath
}

var devProvider struct {
	once      sync.Once
	cliConfig string
	err       error
}

// devProviderCLIConfig builds the provider binary, once per test binary,
// and returns a CLI configuration file whose dev_overrides make Terraform
// run it as opensmartag/smartag, for the tests that need a real provider
// process (environment read at start-up, signals, -json output).
func devProviderCLIConfig(t *testing.T) string {
	t.Helper()
	devProvider.once.Do(func() {
		dir, err := os.MkdirTemp(accTempDir, "provider-") //nolint:usetesting // built once for the whole test binary, not per test
		if err != nil {
			devProvider.err = err
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "terraform-provider-smartag"), "github.com/opensmartag/terraform-provider-smartag")
		build.Env = startEnv
		if out, err := build.CombinedOutput(); err != nil {
			devProvider.err = fmt.Errorf("building the provider: %w\n%s", err, out)
			return
		}
		cliConfig := filepath.Join(dir, "dev.tfrc")
		overrides := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/opensmartag/smartag" = %[1]q
    "registry.opentofu.org/opensmartag/smartag" = %[1]q
  }
  direct {}
}
`, dir)
		if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
			devProvider.err = err
			return
		}
		devProvider.cliConfig = cliConfig
	})
	if devProvider.err != nil {
		t.Fatal(devProvider.err)
	}
	return devProvider.cliConfig
}

// requiredProviders names the provider for configurations run with
// devProviderCLIConfig.
const requiredProviders = `terraform {
  required_providers {
    smartag = { source = "opensmartag/smartag" }
  }
}
`

// accTest runs steps against the in-process provider.
func accTest(t *testing.T, steps ...resource.TestStep) {
	t.Helper()
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
}
