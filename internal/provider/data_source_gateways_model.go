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

// gatewaysModel is smartag_gateways: its configuration and what a read
// fills in.
type gatewaysModel struct {
	ID        types.String   `tfsdk:"id"`
	Region    types.String   `tfsdk:"region"`
	NameRegex types.String   `tfsdk:"name_regex"`
	Status    types.String   `tfsdk:"status"`
	IDs       types.List     `tfsdk:"ids"`
	Gateways  types.List     `tfsdk:"gateways"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

var gatewayAttrTypes = map[string]attr.Type{
	"smartag_id":  types.StringType,
	"name":        types.StringType,
	"description": types.StringType,
	"status":      types.StringType,
	"user_count":  types.Int64Type,
	"cidr_block":  types.StringType,
	"create_time": timetypes.RFC3339Type{},
}

// fill sets the computed attributes from the gateways listed, in the
// region actually used.
func (m *gatewaysModel) fill(_ context.Context, region string, gateways []sagclient.Gateway) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(region)
	m.Region = types.StringValue(region)
	ids := make([]attr.Value, len(gateways))
	gws := make([]attr.Value, len(gateways))
	for i, g := range gateways {
		ids[i] = types.StringValue(g.SmartAGID)
		created := timetypes.NewRFC3339Null()
		if !g.CreateTime.IsZero() {
			created = timetypes.NewRFC3339TimeValue(g.CreateTime.UTC().Truncate(time.Second))
		}
		obj, d := types.ObjectValue(gatewayAttrTypes, map[string]attr.Value{
			"smartag_id":  ids[i],
			"name":        types.StringValue(g.Name),
			"description": types.StringValue(g.Description),
			"status":      types.StringValue(g.Status),
			"user_count":  types.Int64Value(int64(g.UserCount)),
			"cidr_block":  types.StringValue(g.CidrBlock),
			"create_time": created,
		})
		diags.Append(d...)
		gws[i] = obj
	}
	var d diag.Diagnostics
	m.IDs, d = types.ListValue(types.StringType, ids)
	diags.Append(d...)
	m.Gateways, d = types.ListValue(types.ObjectType{AttrTypes: gatewayAttrTypes}, gws)
	diags.Append(d...)
	return diags
}
