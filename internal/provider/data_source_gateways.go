package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

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

func (d *gatewaysDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_gateways"
}

// gatewaysQuery is the request plus the name filter applied to its answer.
type gatewaysQuery struct {
	sagclient.ListGatewaysInput
	name *regexp.Regexp
}

func (d *gatewaysDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	readDataSource(ctx, &d.configured, req, resp, readSteps[gatewaysModel, gatewaysQuery, *sagclient.ListGatewaysOutput]{
		defaultTimeout: defaultReadTimeout,
		input: func(_ context.Context, m *gatewaysModel, diags *diag.Diagnostics) gatewaysQuery {
			q := gatewaysQuery{ListGatewaysInput: sagclient.ListGatewaysInput{Region: m.Region.ValueString(), Status: m.Status.ValueString()}}
			if !m.NameRegex.IsNull() {
				var err error
				if q.name, err = regexp.Compile(m.NameRegex.ValueString()); err != nil {
					// Known only now when it came from another resource.
					diags.AddAttributeError(path.Root("name_regex"), "Invalid regular expression", err.Error())
				}
			}
			return q
		},
		call: func(c *sagclient.Client, ctx context.Context, q gatewaysQuery) (*sagclient.ListGatewaysOutput, error) {
			return c.ListGateways(ctx, q.ListGatewaysInput)
		},
		state: func(ctx context.Context, m *gatewaysModel, q gatewaysQuery, out *sagclient.ListGatewaysOutput, resp *datasource.ReadResponse) {
			var kept []sagclient.Gateway
			for _, g := range out.Gateways {
				if q.name == nil || q.name.MatchString(g.Name) {
					kept = append(kept, g)
				}
			}
			logStats(ctx, "listed gateways", out.Region, out.Stats, map[string]any{"gateways": len(out.Gateways), "kept": len(kept)})
			resp.Diagnostics.Append(m.fill(ctx, out.Region, kept)...)
			if resp.Diagnostics.HasError() {
				return
			}
			resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
		},
	})
}
