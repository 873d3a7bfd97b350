package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ provider.ProviderWithValidateConfig = (*smartagProvider)(nil)

// ValidateConfig refuses at plan time what the schema alone cannot: a flat
// endpoint argument and its twin in the endpoints block set to different
// values.
func (p *smartagProvider) ValidateConfig(ctx context.Context, req provider.ValidateConfigRequest, resp *provider.ValidateConfigResponse) {
	var model providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	e := model.endpointsBlock()
	for _, pair := range []struct {
		flatPath, nestedPath path.Path
		flat, nested         types.String
	}{
		{path.Root("endpoint"), path.Root("endpoints").AtListIndex(0).AtName("smartag"), model.Endpoint, e.Smartag},
		{path.Root("sts_endpoint"), path.Root("endpoints").AtListIndex(0).AtName("sts"), model.STSEndpoint, e.STS},
	} {
		if known(pair.flat) && known(pair.nested) && pair.flat.ValueString() != pair.nested.ValueString() {
			resp.Diagnostics.AddAttributeError(pair.nestedPath, "Conflicting endpoints", conflictDetail(pair.flatPath, pair.nestedPath))
		}
	}
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }
