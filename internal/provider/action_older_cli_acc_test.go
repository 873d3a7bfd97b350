package provider

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
	"github.com/opensmartag/terraform-provider-smartag/internal/testutil"
)

// Runs on every CLI, with or without actions: the provider that declares
// actions is served, its schema lists them where the CLI knows actions, and
// every data source reads as before.
func TestAccProvider_withActionsOnEveryCLI(t *testing.T) {
	tfPath := terraformPath(t)
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	w := newCLIWorkspace(t, tfPath, providerBlock(srv)+fmt.Sprintf(`
data "smartag_user_online_clients" "alice" {
  smartag_id = %[1]q
  user_name  = "alice"
}

data "smartag_online_clients" "gateway" {
  smartag_id = %[1]q
}

data "smartag_gateways" "all" {}

output "alice_ips" { value = data.smartag_user_online_clients.alice.client_ips }
output "accounts"  { value = [for u in data.smartag_online_clients.gateway.users : u.user_name] }
output "gateways"  { value = data.smartag_gateways.all.ids }
`, sampleID))

	var schema struct {
		Schemas map[string]struct {
			DataSources   map[string]json.RawMessage `json:"data_source_schemas"`
			ActionSchemas map[string]json.RawMessage `json:"action_schemas"`
		} `json:"provider_schemas"`
	}
	if err := json.Unmarshal([]byte(w.mustRun("providers", "schema", "-json")), &schema); err != nil {
		t.Fatal(err)
	}
	if len(schema.Schemas) != 1 {
		t.Fatalf("%d provider schemas", len(schema.Schemas))
	}
	for _, s := range schema.Schemas {
		for _, ds := range []string{"smartag_user_online_clients", "smartag_online_clients", "smartag_gateways"} {
			if s.DataSources[ds] == nil {
				t.Errorf("data source %s not in the schema", ds)
			}
		}
		cli := testutil.AcceptanceCLI(t)
		for _, a := range []string{"smartag_kick_out_clients", "smartag_disable_client_user", "smartag_enable_client_user"} {
			if cli.HasActions() && s.ActionSchemas[a] == nil {
				t.Errorf("action %s not in the schema", a)
			}
		}
		if !cli.HasActions() && len(s.ActionSchemas) != 0 {
			t.Errorf("%s has no actions, yet its schema lists actions: %v", cli, s.ActionSchemas)
		}
	}

	w.mustRun("apply", "-input=false", "-no-color", "-auto-approve")
	outputs := map[string]struct {
		Value []string `json:"value"`
	}{}
	if err := json.Unmarshal([]byte(w.mustRun("output", "-json")), &outputs); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"alice_ips": "[10.10.1.21 10.10.1.22 172.16.5.9]",
		"accounts":  "[alice bob carol dave frank]",
		"gateways":  "[" + sampleID + "]",
	} {
		if got := fmt.Sprint(outputs[name].Value); got != want {
			t.Errorf("output %s = %s, want %s", name, got, want)
		}
	}
	if got := changesSent(srv); len(got) != 0 {
		t.Errorf("reading the data sources sent %v", got)
	}
}
