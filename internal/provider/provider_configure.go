package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// providerData is what data sources receive from Configure.
type providerData struct {
	client *sagclient.Client
	// unknown lists arguments known only after apply; a read then fails
	// with a message naming them instead of guessing.
	unknown []string
}

func (p *smartagProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var model providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}

	if unknown := model.unknownAttributes(); len(unknown) > 0 {
		// Terraform 1.9+ with deferred actions can postpone the reads;
		// otherwise configuration is skipped and only a read that actually
		// needs the provider reports it.
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		tflog.Debug(ctx, "provider configuration has unknown values", map[string]any{"attributes": unknown})
		data := &providerData{unknown: unknown}
		resp.DataSourceData = data
		resp.ResourceData = data
		resp.ActionData = data
		return
	}

	cfg, diags := model.clientConfig(p.getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = []sagclient.UserAgentPart{
		{Name: "terraform-provider-smartag", Version: p.version},
		{Name: "Terraform", Version: req.TerraformVersion},
	}
	cfg.Logger = tflogLogger{}

	client, err := sagclient.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid provider configuration", err.Error())
		return
	}
	tflog.Debug(ctx, "provider configured", map[string]any{
		"region":                  cfg.Region,
		"endpoint":                endpointForLog(cfg),
		"max_retries":             cfg.MaxRetries,
		"max_requests_per_second": cfg.MaxRequestsPerSecond,
		"flow_state_dir":          cfg.FlowStateDir,
	})
	data := &providerData{client: client}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ActionData = data
}

func endpointForLog(cfg sagclient.Config) string {
	if cfg.Endpoint == nil {
		return "default (https://smartag.<region>.aliyuncs.com)"
	}
	return cfg.Endpoint.URL()
}

// tflogLogger adapts the client's Logger to tflog, so its lines carry the
// provider's and the data source's context.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}

func (tflogLogger) Info(ctx context.Context, msg string, fields map[string]any) {
	tflog.Info(ctx, msg, fields)
}
