package provider

import (
	"context"
	"fmt"
	"strings"
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
	data *providerData
}

func newUserOnlineClientsDataSource() datasource.DataSource {
	return &userOnlineClientsDataSource{}
}

func (d *userOnlineClientsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_online_clients"
}

func (d *userOnlineClientsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		// Validation runs before the provider is configured.
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	d.data = data
}

func (d *userOnlineClientsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var model userOnlineClientsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}

	switch {
	case d.data == nil:
		resp.Diagnostics.AddError("Provider not configured",
			"The smartag provider was not configured before this data source was read. This is a bug in the provider; please report it.")
		return
	case len(d.data.unknown) > 0:
		resp.Diagnostics.AddError("Provider configuration not yet known",
			fmt.Sprintf("The smartag provider's arguments %s depend on values known only after apply, so this data source "+
				"cannot be read during this plan. Apply the resources they depend on first (for example with -target), or "+
				"configure the provider from values known at plan time.", strings.Join(d.data.unknown, ", ")))
		return
	}

	readTimeout, diags := model.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, readTimeout)
	defer cancel()

	in := sagclient.DescribeInput{
		Region:    model.Region.ValueString(),
		SmartAGID: model.SmartAGID.ValueString(),
		UserName:  model.UserName.ValueString(),
	}
	ctx = tflog.SetField(ctx, "smartag_id", in.SmartAGID)
	out, err := d.data.client.DescribeUserOnlineClients(ctx, in)
	if err != nil {
		addReadError(&resp.Diagnostics, d.data.client, err, readTimeout)
		return
	}
	for _, w := range out.Warnings {
		resp.Diagnostics.AddAttributeWarning(path.Root("clients"), "Unexpected value in the Smartag answer",
			fmt.Sprintf("%s (request ID %s).", w, out.RequestID))
	}
	tflog.Debug(ctx, "read online clients", map[string]any{
		"region": out.Region, "clients": len(out.Clients), "attempts": out.Attempts, "request_id": out.RequestID,
	})

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
