package provider

import (
	"context"

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

// fill sets the computed attributes from an answer, the region actually
// used included.
func (m *userOnlineClientsModel) fill(_ context.Context, out *sagclient.DescribeUserOnlineClientsOutput) diag.Diagnostics {
	var diags diag.Diagnostics
	m.Region = types.StringValue(out.Region)
	m.ID = types.StringValue(userOnlineClientsID(out.Region, m.SmartAGID.ValueString(), m.UserName.ValueString()))
	m.RequestID = types.StringValue(out.RequestID)
	m.ClientIPs = stringList(len(out.Clients), func(i int) types.String {
		return answerString(out.Clients[i].ClientIP, out.Clients[i].ClientIPWithheld)
	}, &diags)
	m.Clients = objectList(onlineClientAttrTypes, len(out.Clients), func(i int) map[string]attr.Value {
		c := out.Clients[i]
		return map[string]attr.Value{
			"client_ip":    answerString(c.ClientIP, c.ClientIPWithheld),
			"online_time":  answerString(c.OnlineTime, c.OnlineTimeWithheld),
			"online_since": rfc3339(c.OnlineSince),
		}
	}, &diags)
	return diags
}
