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
	m.IDs = stringList(len(gateways), func(i int) types.String { return types.StringValue(gateways[i].SmartAGID) }, &diags)
	m.Gateways = objectList(gatewayAttrTypes, len(gateways), func(i int) map[string]attr.Value {
		g := gateways[i]
		return map[string]attr.Value{
			"smartag_id":  types.StringValue(g.SmartAGID),
			"name":        types.StringValue(g.Name),
			"description": types.StringValue(g.Description),
			"status":      types.StringValue(g.Status),
			"user_count":  types.Int64Value(int64(g.UserCount)),
			"cidr_block":  types.StringValue(g.CidrBlock),
			"create_time": rfc3339(g.CreateTime),
		}
	}, &diags)
	return diags
}
