package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// configured is embedded by every data source: it receives the provider's
// data and checks it before a read.
type configured struct {
	data *providerData
}

func (c *configured) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
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
	c.data = data
}

// beginRead checks that the provider can read and bounds the read by
// timeouts.read (or def). The caller must call cancel when ok.
func (c *configured) beginRead(ctx context.Context, t timeouts.Value, def time.Duration, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, readTimeout time.Duration, ok bool) {
	switch {
	case c.data == nil:
		diags.AddError("Provider not configured",
			"The smartag provider was not configured before this data source was read. This is a bug in the provider; please report it.")
		return ctx, nil, 0, false
	case len(c.data.unknown) > 0:
		diags.AddError("Provider configuration not yet known",
			fmt.Sprintf("The smartag provider's arguments %s depend on values known only after apply, so this data source "+
				"cannot be read during this plan. Apply the resources they depend on first (for example with -target), or "+
				"configure the provider from values known at plan time.", strings.Join(c.data.unknown, ", ")))
		return ctx, nil, 0, false
	}
	readTimeout, d := t.Read(ctx, def)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, nil, 0, false
	}
	ctx, cancel = context.WithTimeout(ctx, readTimeout)
	return ctx, cancel, readTimeout, true
}

// logStats reports once per read what it cost: requests per action, how
// many answers were throttling refusals and how long it waited for the
// rate governor.
func logStats(ctx context.Context, what string, region string, st sagclient.Stats, extra map[string]any) {
	fields := map[string]any{
		"region":             region,
		"requests":           st.Requests,
		"throttled":          st.Throttled,
		"retries":            st.Retries,
		"governor_wait_ms":   st.GovernorWait.Milliseconds(),
		"requests_by_action": st.ByAction,
	}
	for k, v := range extra {
		fields[k] = v
	}
	tflog.Info(ctx, what, fields)
}
