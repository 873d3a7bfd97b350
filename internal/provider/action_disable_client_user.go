package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

func newDisableClientUserAction() action.Action {
	return &clientUserAction{change: clientUserChange{
		typeSuffix: "_disable_client_user",
		description: "Disables a Smart Access Gateway (SAG) client account: it can no longer sign in to the SAG app. " +
			"Calls the Smartag API action `DisableSmartAccessGatewayUser` (RAM action " +
			"`smartag:DisableSmartAccessGatewayUser`). Sessions already open stay open: end them with " +
			"`smartag_kick_out_clients`. Disabling a disabled account is not an error and changes nothing.",
		run: disableClientUser,
	}}
}

func disableClientUser(ctx context.Context, client *sagclient.Client, in sagclient.ClientUserInput, p progress, diags *diag.Diagnostics) {
	setEnabled(ctx, client, in, p, diags, false)
}

// setEnabled disables or enables an account, saying what it was before.
func setEnabled(ctx context.Context, client *sagclient.Client, in sagclient.ClientUserInput, p progress, diags *diag.Diagnostics, enable bool) {
	state, ok := lookUp(ctx, client, in, p, diags)
	if !ok {
		return
	}
	in.Region = state.Region
	verb, done, api, call := "Disabling", "disabled", sagclient.ActionDisableSmartAccessGatewayUser, client.DisableClientUser
	if enable {
		verb, done, api, call = "Enabling", "enabled", sagclient.ActionEnableSmartAccessGatewayUser, client.EnableClientUser
	}
	already := state.Enabled == enable
	if already {
		p.say(ctx, "%s %s: it is already %s", verb, where(in, in.Region), done)
	} else {
		p.say(ctx, "%s %s", verb, where(in, in.Region))
	}
	out, err := call(ctx, in)
	if err != nil {
		addChangeError(ctx, diags, client, changeFailure{err: err, stage: stageChange})
		return
	}
	var summary string
	switch {
	case already:
		summary = "Nothing changed: " + where(in, out.Region) + " was already " + done
	case enable:
		summary = "Enabled " + where(in, out.Region) + ": it may sign in again"
	default:
		summary = "Disabled " + where(in, out.Region) + ": it can no longer sign in; sessions already open stay open " +
			"until smartag_kick_out_clients ends them"
	}
	changed(ctx, p, out, api, summary)
}
