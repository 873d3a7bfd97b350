package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

var (
	_ datasource.DataSource              = (*userOnlineClientsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*userOnlineClientsDataSource)(nil)
)

type userOnlineClientsDataSource struct {
	configured
}

func newUserOnlineClientsDataSource() datasource.DataSource {
	return &userOnlineClientsDataSource{}
}

func (d *userOnlineClientsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_online_clients"
}

func (d *userOnlineClientsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, &d.configured, req, resp, readSteps[userOnlineClientsModel, sagclient.DescribeUserOnlineClientsInput, *sagclient.DescribeUserOnlineClientsOutput]{
		defaultTimeout: defaultReadTimeout,
		input: func(_ context.Context, m *userOnlineClientsModel, _ *diag.Diagnostics) sagclient.DescribeUserOnlineClientsInput {
			return sagclient.DescribeUserOnlineClientsInput{
				Region:    m.Region.ValueString(),
				SmartAGID: m.SmartAGID.ValueString(),
				UserName:  m.UserName.ValueString(),
			}
		},
		logFields: func(in sagclient.DescribeUserOnlineClientsInput) map[string]any {
			return map[string]any{"smartag_id": in.SmartAGID}
		},
		call: (*sagclient.Client).DescribeUserOnlineClients,
		state: func(ctx context.Context, m *userOnlineClientsModel, _ sagclient.DescribeUserOnlineClientsInput, out *sagclient.DescribeUserOnlineClientsOutput, resp *datasource.ReadResponse) {
			for _, w := range out.Warnings {
				resp.Diagnostics.AddAttributeWarning(path.Root("clients"), "Unexpected value in the Smartag answer",
					fmt.Sprintf("%s (request ID %s).", w, out.RequestID))
			}
			logStats(ctx, "read online clients", out.Region, out.Stats, map[string]any{"clients": len(out.Clients), "request_id": out.RequestID})
			resp.Diagnostics.Append(m.fill(ctx, out)...)
			if resp.Diagnostics.HasError() {
				return
			}
			resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
		},
	})
}

// userOnlineClientsID is deterministic, so that the same lookup always has
// the same ID whatever the answer.
func userOnlineClientsID(region, smartagID, userName string) string {
	return region + ":" + smartagID + ":" + userName
}
