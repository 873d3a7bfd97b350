package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// onlineClientsConfig is what the configuration of smartag_online_clients
// says; the computed attributes are built straight into state (see
// onlineClientsState).
type onlineClientsConfig struct {
	ID        types.String   `tfsdk:"id"`
	SmartAGID types.String   `tfsdk:"smartag_id"`
	Region    types.String   `tfsdk:"region"`
	UserNames types.Set      `tfsdk:"user_names"`
	Users     types.List     `tfsdk:"users"`
	Clients   types.List     `tfsdk:"clients"`
	ClientIPs types.List     `tfsdk:"client_ips"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

// onlineClientsState is the state of a read: the configuration as given,
// plus the audit. An audit of 10,000 accounts is 10,000 objects: they are
// built as Terraform values directly, which costs a fraction of the
// framework's reflection-based State.Set (measured in
// BenchmarkOnlineClientsState).
func onlineClientsState(schemaType tftypes.Object, config tftypes.Value, smartagID string, out *sagclient.AuditInstanceOutput) (tftypes.Value, error) {
	vals := map[string]tftypes.Value{}
	if err := config.As(&vals); err != nil {
		return tftypes.Value{}, fmt.Errorf("reading the configuration: %w", err)
	}
	usersType, err := listElementObject(schemaType, "users")
	if err != nil {
		return tftypes.Value{}, err
	}
	clientsType, err := listElementObject(schemaType, "clients")
	if err != nil {
		return tftypes.Value{}, err
	}

	users := make([]tftypes.Value, len(out.Accounts))
	for i, a := range out.Accounts {
		users[i] = tftypes.NewValue(usersType, map[string]tftypes.Value{
			"user_name":      tftypes.NewValue(tftypes.String, a.UserName),
			"user_mail":      tftypes.NewValue(tftypes.String, a.UserMail),
			"enabled":        tftypes.NewValue(tftypes.Bool, a.Enabled),
			"bandwidth_kbps": tftypes.NewValue(tftypes.Number, a.BandwidthKbps),
			"online_count":   tftypes.NewValue(tftypes.Number, int64(a.OnlineCount)),
		})
	}
	clients := make([]tftypes.Value, len(out.Clients))
	ips := make([]tftypes.Value, len(out.Clients))
	for i, c := range out.Clients {
		ip := answerStringValue(c.ClientIP, c.ClientIPWithheld)
		ips[i] = ip
		clients[i] = tftypes.NewValue(clientsType, map[string]tftypes.Value{
			"user_name":    tftypes.NewValue(tftypes.String, c.UserName),
			"client_ip":    ip,
			"online_time":  answerStringValue(c.OnlineTime, c.OnlineTimeWithheld),
			"online_since": rfc3339Value(c.OnlineSince),
			"request_id":   tftypes.NewValue(tftypes.String, c.RequestID),
		})
	}
	vals["id"] = tftypes.NewValue(tftypes.String, out.Region+":"+smartagID)
	vals["region"] = tftypes.NewValue(tftypes.String, out.Region)
	vals["users"] = tftypes.NewValue(tftypes.List{ElementType: usersType}, users)
	vals["clients"] = tftypes.NewValue(tftypes.List{ElementType: clientsType}, clients)
	vals["client_ips"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, ips)
	return tftypes.NewValue(schemaType, vals), nil
}
