package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

func newKickOutClientsAction() action.Action {
	return &clientUserAction{change: clientUserChange{
		typeSuffix: "_kick_out_clients",
		description: "Ends every session of a Smart Access Gateway (SAG) client account: whoever is signed in to the " +
			"SAG app with this account is disconnected. Calls the Smartag API action `KickOutClients` (RAM action " +
			"`smartag:KickOutClients`). The account keeps its state: an enabled account may sign in again at once, so " +
			"disable it first (`smartag_disable_client_user`) to keep it out. An account with nobody online is not an " +
			"error: the request is still sent, in case a client signed in since the look-up, and changes nothing.",
		run: kickOutClients,
	}}
}

func kickOutClients(ctx context.Context, client *sagclient.Client, in sagclient.ClientUserInput, p progress, diags *diag.Diagnostics) {
	state, ok := lookUp(ctx, client, in, p, diags)
	if !ok {
		return
	}
	in.Region = state.Region
	online, err := client.DescribeUserOnlineClients(ctx, sagclient.DescribeUserOnlineClientsInput(in))
	if err != nil {
		addChangeError(ctx, diags, client, changeFailure{err: err, stage: stageLookUp})
		return
	}
	ips := clientIPs(online.Clients)
	if len(ips) == 0 {
		p.say(ctx, "Kicking out the clients of %s: nobody was online at the look-up", where(in, in.Region))
	} else {
		p.say(ctx, "Kicking out the clients of %s: %s online from %s", where(in, in.Region), sessions(len(ips)), strings.Join(ips, ", "))
	}
	out, err := client.KickOutClients(ctx, in)
	if err != nil {
		addChangeError(ctx, diags, client, changeFailure{err: err, stage: stageChange})
		return
	}
	left := confirmOffline(ctx, client, in, state.Enabled, diags)
	stateNote := "it stays enabled and may sign in again"
	if !state.Enabled {
		stateNote = "it stays disabled"
	}
	summary := "Kicked out " + where(in, out.Region) + ": " + sessions(len(ips)) + " ended; " + stateNote
	switch {
	case left > 0:
		summary = "Kick-out of " + where(in, out.Region) + " accepted, but " + sessions(left) + " still listed (see the warning)"
	case len(ips) == 0:
		summary = "Kicked out " + where(in, out.Region) + ": nobody was online, nothing changed; " + stateNote
	}
	changed(ctx, p, out, sagclient.ActionKickOutClients, summary)
}

// sessions is "1 session" or "N sessions".
func sessions(n int) string {
	if n == 1 {
		return "1 session"
	}
	return strconv.Itoa(n) + " sessions"
}

// confirmOffline lists the account's sessions again after the kick-out. A
// session left is a warning: an enabled account may have signed in again
// at once, or the answer of success was not true. It returns how many
// sessions are still listed.
func confirmOffline(ctx context.Context, client *sagclient.Client, in sagclient.ClientUserInput, enabled bool, diags *diag.Diagnostics) int {
	online, err := client.DescribeUserOnlineClients(ctx, sagclient.DescribeUserOnlineClientsInput(in))
	if err != nil {
		diags.AddWarning("Kick-out not confirmed", client.Scrub(fmt.Sprintf("Smartag accepted the kick-out of %s, but "+
			"listing its sessions again failed: %v. Check it with the smartag_online_clients data source.", where(in, in.Region), err)))
		return 0
	}
	if len(online.Clients) == 0 {
		return 0
	}
	ips := clientIPs(online.Clients)
	why := "Smartag may not have ended them yet: check again with the smartag_online_clients data source."
	if enabled {
		why = "The account is enabled, so its clients may have signed in again: disable it first " +
			"(smartag_disable_client_user), then kick it out again."
	}
	diags.AddWarning("Still online after the kick-out", fmt.Sprintf("Smartag accepted the kick-out of %s, but the "+
		"listing (request ID %s) still shows %s: %s. %s", where(in, in.Region), online.RequestID, sessions(len(ips)),
		strings.Join(ips, ", "), why))
	return len(ips)
}

func clientIPs(clients []sagclient.OnlineClient) []string {
	ips := make([]string, len(clients))
	for i, c := range clients {
		ips[i] = c.ClientIP
	}
	return ips
}
