package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// defaultReadTimeout bounds a read, retries included, unless timeouts.read
// says otherwise.
const defaultReadTimeout = 2 * time.Minute

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
	var model userOnlineClientsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}

	ctx, cancel, readTimeout, ok := d.beginRead(ctx, model.Timeouts, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	in := sagclient.DescribeUserOnlineClientsInput{
		Region:    model.Region.ValueString(),
		SmartAGID: model.SmartAGID.ValueString(),
		UserName:  model.UserName.ValueString(),
	}
	ctx = tflog.SetField(ctx, "smartag_id", in.SmartAGID)
	out, err := d.data.client.DescribeUserOnlineClients(ctx, in)
	if err != nil {
		addReadError(ctx, &resp.Diagnostics, d.data.client, readFailure{err: err, readTimeout: readTimeout, attrs: userAttrs})
		return
	}
	for _, w := range out.Warnings {
		resp.Diagnostics.AddAttributeWarning(path.Root("clients"), "Unexpected value in the Smartag answer",
			fmt.Sprintf("%s (request ID %s).", w, out.RequestID))
	}
	logStats(ctx, "read online clients", out.Region, out.Stats, map[string]any{"clients": len(out.Clients), "request_id": out.RequestID})

	resp.Diagnostics.Append(model.fill(ctx, out)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &model)...)
}

// userOnlineClientsID is deterministic, so that the same lookup always has
// the same ID whatever the answer.
func userOnlineClientsID(region, smartagID, userName string) string {
	return region + ":" + smartagID + ":" + userName
}
