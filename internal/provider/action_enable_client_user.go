package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

func newEnableClientUserAction() action.Action {
	return &clientUserAction{change: clientUserChange{
		typeSuffix: "_enable_client_user",
		description: "Enables a Smart Access Gateway (SAG) client account again, so that it may sign in to the SAG app: " +
			"the way back from `smartag_disable_client_user`. Calls the Smartag API action " +
			"`EnableSmartAccessGatewayUser` (RAM action `smartag:EnableSmartAccessGatewayUser`). Enabling an enabled " +
			"account is not an error and changes nothing.",
		run: enableClientUser,
	}}
}

func enableClientUser(ctx context.Context, client *sagclient.Client, in sagclient.ClientUserInput, p progress, diags *diag.Diagnostics) {
	setEnabled(ctx, client, in, p, diags, true)
}
