package provider

import (
	"context"
	"fmt"

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
	visible := confirmState(ctx, client, in, enable, diags)
	var summary string
	switch {
	case !visible:
		summary = "Change of " + where(in, out.Region) + " accepted, but the listing does not show it " + done + " (see the warning)"
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

// confirmState reads the account again after the change: an answer of
// success that the listing contradicts (a lying proxy, a change the API has
// not applied yet) is a warning, not a silent success. It returns false
// when the listing shows the other state.
func confirmState(ctx context.Context, client *sagclient.Client, in sagclient.ClientUserInput, enabled bool, diags *diag.Diagnostics) bool {
	state, err := client.LookupClientUser(ctx, in)
	switch {
	case err != nil:
		diags.AddWarning("Change not confirmed", client.Scrub(fmt.Sprintf("Smartag accepted the change of %s, but reading "+
			"the account again failed: %v. Check it with the smartag_online_clients data source.", where(in, in.Region), err)))
	case state.Enabled != enabled:
		diags.AddWarning("Change not visible yet", fmt.Sprintf("Smartag accepted the change of %s, but the listing "+
			"(request ID %s) still reports it %s. Check it again with the smartag_online_clients data source; invoking "+
			"the action again is safe.", where(in, in.Region), state.RequestID, enabledWord(state.Enabled)))
		return false
	}
	return true
}

func enabledWord(enabled bool) string {
	if enabled {
		return "enabled"
	}
	return "disabled"
}
