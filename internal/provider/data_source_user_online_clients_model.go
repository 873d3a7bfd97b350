package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

type userOnlineClientsModel struct {
	ID        types.String   `tfsdk:"id"`
	SmartAGID types.String   `tfsdk:"smartag_id"`
	UserName  types.String   `tfsdk:"user_name"`
	Region    types.String   `tfsdk:"region"`
	RequestID types.String   `tfsdk:"request_id"`
	ClientIPs types.List     `tfsdk:"client_ips"`
	Clients   types.List     `tfsdk:"clients"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

var onlineClientAttrTypes = map[string]attr.Type{
	"client_ip":    types.StringType,
	"online_time":  types.StringType,
	"online_since": timetypes.RFC3339Type{},
}

var onlineClientType = types.ObjectType{AttrTypes: onlineClientAttrTypes}

// fill sets the computed attributes from an answer, the region actually
// used included.
func (m *userOnlineClientsModel) fill(_ context.Context, out *sagclient.DescribeUserOnlineClientsOutput) diag.Diagnostics {
	var diags diag.Diagnostics
	m.Region = types.StringValue(out.Region)
	m.ID = types.StringValue(userOnlineClientsID(out.Region, m.SmartAGID.ValueString(), m.UserName.ValueString()))
	m.RequestID = types.StringValue(out.RequestID)

	ips := make([]attr.Value, len(out.Clients))
	clients := make([]attr.Value, len(out.Clients))
	for i, c := range out.Clients {
		ips[i] = types.StringValue(c.ClientIP)
		since := timetypes.NewRFC3339Null()
		if !c.OnlineSince.IsZero() {
			since = timetypes.NewRFC3339TimeValue(c.OnlineSince.UTC().Truncate(time.Second))
		}
		obj, d := types.ObjectValue(onlineClientAttrTypes, map[string]attr.Value{
			"client_ip":    types.StringValue(c.ClientIP),
			"online_time":  types.StringValue(c.OnlineTime),
			"online_since": since,
		})
		diags.Append(d...)
		clients[i] = obj
	}
	var d diag.Diagnostics
	m.ClientIPs, d = types.ListValue(types.StringType, ips)
	diags.Append(d...)
	m.Clients, d = types.ListValue(onlineClientType, clients)
	diags.Append(d...)
	return diags
}
