package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/opensmartag/terraform-provider-smartag/internal/smartagmock"
)

// changingActions are the API actions that change an account.
var changingActions = map[string]bool{
	"KickOutClients":                true,
	"DisableSmartAccessGatewayUser": true,
	"EnableSmartAccessGatewayUser":  true,
}

// changesSent lists the changing requests the mock got, as
// "Action:user" in order.
func changesSent(srv *smartagmock.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		if !changingActions[r.Action] {
			continue
		}
		user := r.Params["UserName"]
		if r.Action == "KickOutClients" {
			user = r.Params["Username"]
		}
		out = append(out, r.Action+":"+user)
	}
	return out
}

// clientUserActions declares the three actions for one account; declaring
// them changes nothing.
func clientUserActions(user string) string {
	return fmt.Sprintf(`
action "smartag_kick_out_clients" %[1]q {
  config {
    smartag_id = %[2]q
    user_name  = %[1]q
  }
}

action "smartag_disable_client_user" %[1]q {
  config {
    smartag_id = %[2]q
    user_name  = %[1]q
  }
}

action "smartag_enable_client_user" %[1]q {
  config {
    smartag_id = %[2]q
    user_name  = %[1]q
  }
}
`, user, sampleID)
}

// triggered is a terraform_data resource whose creation invokes actions.
func triggered(name string, actions ...string) string {
	list := ""
	for i, a := range actions {
		if i > 0 {
			list += ", "
		}
		list += a
	}
	return fmt.Sprintf(`
resource "terraform_data" %q {
  input = %q
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [%s]
    }
  }
}
`, name, name, list)
}

const gatewayAudit = `
data "smartag_online_clients" "gateway" {
  smartag_id = %q
}
`

// bob in the audit: index 1 of the sample's accounts.
func bobIs(enabled bool, online int64) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("data.smartag_online_clients.gateway", tfjsonpath.New("users"),
		knownvalue.ListPartial(map[int]knownvalue.Check{1: knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"user_name":    knownvalue.StringExact("bob"),
			"enabled":      knownvalue.Bool(enabled),
			"online_count": knownvalue.Int64Exact(online),
		})}))
}

// Remediation from a resource's life cycle: creating terraform_data
// disables bob and ends his session, once; the plans and refreshes of
// later steps change nothing, and the audit then shows him disabled and
// offline. A second resource enables him again.
func TestAccActions_triggeredOnCreate(t *testing.T) {
	requireActions(t)
	isolateEnv(t)
	srv := startMock(t, smartagmock.Options{})
	base := providerBlock(srv) + clientUserActions("bob")
	remediate := triggered("remediate", "action.smartag_disable_client_user.bob", "action.smartag_kick_out_clients.bob")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// Declared, planned and applied without a trigger: nothing.
				Config:            base + fmt.Sprintf(gatewayAudit, sampleID),
				ConfigStateChecks: []statecheck.StateCheck{bobIs(true, 1)},
				Check: func(*terraform.State) error {
					return wantChanges(srv)
				},
			},
			{
				Config: base + remediate,
				Check: func(*terraform.State) error {
					return wantChanges(srv, "DisableSmartAccessGatewayUser:bob", "KickOutClients:bob")
				},
			},
			{
				Config:            base + remediate + fmt.Sprintf(gatewayAudit, sampleID),
				ConfigStateChecks: []statecheck.StateCheck{bobIs(false, 0)},
				Check: func(*terraform.State) error {
					return wantChanges(srv, "DisableSmartAccessGatewayUser:bob", "KickOutClients:bob")
				},
			},
			{
				Config: base + remediate + triggered("restore", "action.smartag_enable_client_user.bob"),
				Check: func(*terraform.State) error {
					return wantChanges(srv, "DisableSmartAccessGatewayUser:bob", "KickOutClients:bob", "EnableSmartAccessGatewayUser:bob")
				},
			},
			{
				Config:            base + remediate + triggered("restore", "action.smartag_enable_client_user.bob") + fmt.Sprintf(gatewayAudit, sampleID),
				ConfigStateChecks: []statecheck.StateCheck{bobIs(true, 0)},
			},
		},
	})
	for _, r := range srv.Requests() {
		if changingActions[r.Action] && (r.Method != http.MethodPost || r.Status != http.StatusOK) {
			t.Errorf("change %s: %s, HTTP %d", r.Action, r.Method, r.Status)
		}
	}
}

// wantChanges fails unless the mock got exactly these changing requests.
func wantChanges(srv *smartagmock.Server, want ...string) error {
	got := changesSent(srv)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("changing requests %v, want %v", got, want)
	}
	return nil
}
