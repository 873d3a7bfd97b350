package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// stsEndpointURL checks sts_endpoint and endpoints.sts: the forms of
// endpoint, except plain http://, since STS answers with credentials.
func stsEndpointURL() validator.String { return stsEndpointValidator{} }

type stsEndpointValidator struct{}

func (stsEndpointValidator) Description(context.Context) string {
	return "must be https://host[:port] or host[:port]; STS is never called over plain HTTP"
}

func (v stsEndpointValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (stsEndpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := sagclient.ParseSTSEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid STS endpoint", req.Path.String()+": "+err.Error()+".")
	}
}
