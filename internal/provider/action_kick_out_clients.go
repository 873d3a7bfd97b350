package provider

import (
	"context"
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
	online, err := client.DescribeUserOnlineClients(ctx, sagclient.DescribeInput(in))
	if err != nil {
		addChangeError(ctx, diags, client, changeFailure{err: err, stage: stageLookUp})
		return
	}
	ips := make([]string, len(online.Clients))
	for i, c := range online.Clients {
		ips[i] = c.ClientIP
	}
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
	stateNote := "it stays enabled and may sign in again"
	if !state.Enabled {
		stateNote = "it stays disabled"
	}
	summary := "Kicked out " + where(in, out.Region) + ": " + sessions(len(ips)) + " ended; " + stateNote
	if len(ips) == 0 {
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
