package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// TestAccValidateWithoutCredentials runs `terraform validate` on a real
// configuration with the provider binary and no credentials anywhere: it
// must pass, and the configuration's own mistakes must be found.
func TestAccValidateWithoutCredentials(t *testing.T) {
	tfPath := terraformPath(t)
	isolateEnv(t)
	cliConfig := devProviderCLIConfig(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	validate := func(t *testing.T, config string) (bool, string) {
		t.Helper()
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
			t.Fatal(err)
		}
		tf, err := tfexec.NewTerraform(dir, tfPath)
		if err != nil {
			t.Fatal(err)
		}
		if err := tf.SetEnv(map[string]string{"TF_CLI_CONFIG_FILE": cliConfig, "CHECKPOINT_DISABLE": "1", "HOME": os.Getenv("HOME")}); err != nil {
			t.Fatal(err)
		}
		out, err := tf.Validate(ctx)
		if err != nil {
			t.Fatalf("terraform validate: %v", err)
		}
		var msgs []string
		for _, d := range out.Diagnostics {
			msgs = append(msgs, d.Summary+": "+d.Detail)
		}
		return out.Valid, strings.Join(msgs, "\n")
	}

	head := requiredProviders + `
provider "smartag" {
  region = "cn-shanghai"
}
`
	t.Run("valid configuration", func(t *testing.T) {
		valid, msgs := validate(t, head+`
data "smartag_user_online_clients" "alice" {
  smartag_id = "sag-sample0shanghai01"
  user_name  = "alice"
  timeouts {
    read = "30s"
  }
}
`)
		if !valid {
			t.Errorf("want valid, got:\n%s", msgs)
		}
	})
	t.Run("invalid arguments", func(t *testing.T) {
		valid, msgs := validate(t, head+`
data "smartag_user_online_clients" "bad" {
  smartag_id = "instance-1"
  user_name  = " "
}
`)
		if valid {
			t.Fatal("want invalid")
		}
		for _, want := range []string{`"sag-" followed by lowercase letters and digits`, "must not be empty or blank"} {
			if !strings.Contains(msgs, want) {
				t.Errorf("diagnostics lack %q:\n%s", want, msgs)
			}
		}
	})
}

// TestAccProviderConfigUnknownAtPlan: a provider argument from a resource is
// unknown while planning; a read that needs it says which argument, and
// nothing crashes.
func TestAccProviderConfigUnknownAtPlan(t *testing.T) {
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	config := fmt.Sprintf(`
resource "terraform_data" "region" {
  input = "cn-shanghai"
}

provider "smartag" {
  endpoint   = %q
  region     = terraform_data.region.output
  access_key = %q
  secret_key = %q
}
`, srv.URL, smartagmock.SampleAccessKeyID, smartagmock.SampleAccessKeySecret) + aliceOnly
	accTest(t, resource.TestStep{
		Config:      config,
		ExpectError: regexp.MustCompile(`(?s)Provider configuration not yet known.*region`),
	})
}

// TestAccValidate_conflictingEndpoints: endpoint and endpoints.smartag set
// to different values fail at plan time, before any read.
func TestAccValidate_conflictingEndpoints(t *testing.T) {
	isolateEnv(t)
	config := `
provider "smartag" {
  region   = "cn-shanghai"
  endpoint = "https://smartag.one.example.com"
  endpoints {
    smartag = "https://smartag.two.example.com"
  }
}
` + aliceOnly
	accTest(t, resource.TestStep{
		Config:      config,
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Conflicting endpoints.*endpoints\[0\]\.smartag`),
	})
}
