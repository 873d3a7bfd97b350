package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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
	readDataSource(ctx, &d.configured, req, resp, readSteps[onlineClientsConfig, sagclient.AuditInstanceInput, *sagclient.AuditInstanceOutput]{
		defaultTimeout: defaultAuditReadTimeout,
		input: func(ctx context.Context, config *onlineClientsConfig, diags *diag.Diagnostics) sagclient.AuditInstanceInput {
			in := sagclient.AuditInstanceInput{Region: config.Region.ValueString(), SmartAGID: config.SmartAGID.ValueString()}
			if !config.UserNames.IsNull() {
				in.UserNames = []string{}
				diags.Append(config.UserNames.ElementsAs(ctx, &in.UserNames, false)...)
			}
			return in
		},
		logFields: func(in sagclient.AuditInstanceInput) map[string]any {
			return map[string]any{"smartag_id": in.SmartAGID}
		},
		call: (*sagclient.Client).AuditInstance,
		state: func(ctx context.Context, _ *onlineClientsConfig, in sagclient.AuditInstanceInput, out *sagclient.AuditInstanceOutput, resp *datasource.ReadResponse) {
			for _, w := range out.Warnings {
				resp.Diagnostics.AddAttributeWarning(path.Root("clients"), "Unexpected value in the Smartag answer", w+".")
			}
			logStats(ctx, "audited instance", out.Region, out.Stats, map[string]any{"accounts": len(out.Accounts), "clients": len(out.Clients)})
			setRawState(ctx, resp, func(schemaType tftypes.Object, config tftypes.Value) (tftypes.Value, error) {
				return onlineClientsState(schemaType, config, in.SmartAGID, out)
			})
		},
	})
}

// setRawState sets the state to a value built directly as Terraform values
// from the schema's type and the configuration, for the reads where the
// framework's State.Set is measurably too slow.
func setRawState(ctx context.Context, resp *datasource.ReadResponse, build func(schemaType tftypes.Object, config tftypes.Value) (tftypes.Value, error)) {
	schemaType, ok := resp.State.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		resp.Diagnostics.AddError("Unexpected schema type", fmt.Sprintf("The schema's type is %T. This is a bug in the provider; please report it.", resp.State.Schema.Type().TerraformType(ctx)))
		return
	}
	state, err := build(schemaType, resp.State.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Could not build the state", fmt.Sprintf("%v. This is a bug in the provider; please report it.", err))
		return
	}
	resp.State.Raw = state
}
