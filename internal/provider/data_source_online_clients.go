package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// defaultAuditReadTimeout: an instance of 10,000 accounts, all online, is
// about 10,300 requests; at 20 requests per second per action that is
// under nine minutes.
const defaultAuditReadTimeout = 15 * time.Minute

var (
	_ datasource.DataSource              = (*onlineClientsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*onlineClientsDataSource)(nil)
)

type onlineClientsDataSource struct {
	configured
}

func newOnlineClientsDataSource() datasource.DataSource {
	return &onlineClientsDataSource{}
}

func (d *onlineClientsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_online_clients"
}

func (d *onlineClientsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config onlineClientsConfig
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, readTimeout, ok := d.beginRead(ctx, config.Timeouts, defaultAuditReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	in := sagclient.AuditInstanceInput{Region: config.Region.ValueString(), SmartAGID: config.SmartAGID.ValueString()}
	if !config.UserNames.IsNull() {
		in.UserNames = []string{}
		resp.Diagnostics.Append(config.UserNames.ElementsAs(ctx, &in.UserNames, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	ctx = tflog.SetField(ctx, "smartag_id", in.SmartAGID)
	out, err := d.data.client.AuditInstance(ctx, in)
	if err != nil {
		addReadError(ctx, &resp.Diagnostics, d.data.client, readFailure{err: err, readTimeout: readTimeout, attrs: instanceAttrs})
		return
	}
	for _, w := range out.Warnings {
		resp.Diagnostics.AddAttributeWarning(path.Root("clients"), "Unexpected value in the Smartag answer", w+".")
	}
	logStats(ctx, "audited instance", out.Region, out.Stats, map[string]any{"accounts": len(out.Accounts), "clients": len(out.Clients)})

	schemaType, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Unexpected schema type", fmt.Sprintf("The schema's type is %T. This is a bug in the provider; please report it.", resp.State.Schema.Type().TerraformType(ctx)))
		return
	}
	state, err := onlineClientsState(schemaType, req.Config.Raw, in.SmartAGID, out)
	if err != nil {
		resp.Diagnostics.AddError("Could not build the state", fmt.Sprintf("%v. This is a bug in the provider; please report it.", err))
		return
	}
	resp.State.Raw = state
}
