package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

var (
	_ datasource.DataSource              = (*gatewaysDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*gatewaysDataSource)(nil)
)

type gatewaysDataSource struct {
	configured
}

func newGatewaysDataSource() datasource.DataSource {
	return &gatewaysDataSource{}
}

// gatewaysConfig is what the configuration of smartag_gateways says.
type gatewaysConfig struct {
	ID        types.String   `tfsdk:"id"`
	Region    types.String   `tfsdk:"region"`
	NameRegex types.String   `tfsdk:"name_regex"`
	Status    types.String   `tfsdk:"status"`
	IDs       types.List     `tfsdk:"ids"`
	Gateways  types.List     `tfsdk:"gateways"`
	Timeouts  timeouts.Value `tfsdk:"timeouts"`
}

func (d *gatewaysDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gateways"
}

func (d *gatewaysDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config gatewaysConfig
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var nameRE *regexp.Regexp
	if !config.NameRegex.IsNull() {
		var err error
		if nameRE, err = regexp.Compile(config.NameRegex.ValueString()); err != nil {
			// Known only now when it came from another resource.
			resp.Diagnostics.AddAttributeError(path.Root("name_regex"), "Invalid regular expression", err.Error())
			return
		}
	}
	ctx, cancel, readTimeout, ok := d.beginRead(ctx, config.Timeouts, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	out, err := d.data.client.ListGateways(ctx, sagclient.ListGatewaysInput{Region: config.Region.ValueString(), Status: config.Status.ValueString()})
	if err != nil {
		addReadError(ctx, &resp.Diagnostics, d.data.client, readFailure{err: err, readTimeout: readTimeout})
		return
	}
	var kept []sagclient.Gateway
	for _, g := range out.Gateways {
		if nameRE == nil || nameRE.MatchString(g.Name) {
			kept = append(kept, g)
		}
	}
	logStats(ctx, "listed gateways", out.Region, out.Stats, map[string]any{"gateways": len(out.Gateways), "kept": len(kept)})

	schemaType, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Unexpected schema type", fmt.Sprintf("The schema's type is %T. This is a bug in the provider; please report it.", resp.State.Schema.Type().TerraformType(ctx)))
		return
	}
	state, err := gatewaysState(schemaType, req.Config.Raw, out.Region, kept)
	if err != nil {
		resp.Diagnostics.AddError("Could not build the state", fmt.Sprintf("%v. This is a bug in the provider; please report it.", err))
		return
	}
	resp.State.Raw = state
}

// gatewaysState is the configuration as given plus the gateways listed.
func gatewaysState(schemaType tftypes.Object, config tftypes.Value, region string, gateways []sagclient.Gateway) (tftypes.Value, error) {
	vals := map[string]tftypes.Value{}
	if err := config.As(&vals); err != nil {
		return tftypes.Value{}, fmt.Errorf("reading the configuration: %w", err)
	}
	gwType, err := listElementObject(schemaType, "gateways")
	if err != nil {
		return tftypes.Value{}, err
	}
	ids := make([]tftypes.Value, len(gateways))
	gws := make([]tftypes.Value, len(gateways))
	for i, g := range gateways {
		ids[i] = tftypes.NewValue(tftypes.String, g.SmartAGID)
		gws[i] = tftypes.NewValue(gwType, map[string]tftypes.Value{
			"smartag_id":  ids[i],
			"name":        tftypes.NewValue(tftypes.String, g.Name),
			"description": tftypes.NewValue(tftypes.String, g.Description),
			"status":      tftypes.NewValue(tftypes.String, g.Status),
			"user_count":  tftypes.NewValue(tftypes.Number, int64(g.UserCount)),
			"cidr_block":  tftypes.NewValue(tftypes.String, g.CidrBlock),
			"create_time": rfc3339Value(g.CreateTime),
		})
	}
	vals["id"] = tftypes.NewValue(tftypes.String, region)
	vals["region"] = tftypes.NewValue(tftypes.String, region)
	vals["ids"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, ids)
	vals["gateways"] = tftypes.NewValue(tftypes.List{ElementType: gwType}, gws)
	return tftypes.NewValue(schemaType, vals), nil
}
