package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// readSteps is what one data source brings to a read; readDataSource runs
// the steps every read shares around them. M is the data source's model,
// I and O the client method's input and output.
type readSteps[M, I, O any] struct {
	// defaultTimeout bounds the read unless timeouts.read says otherwise.
	defaultTimeout time.Duration
	// input is the request the configuration asks for. Diagnostics it adds
	// end the read before any request.
	input func(ctx context.Context, m *M, diags *diag.Diagnostics) I
	// logFields are set on every log line of the read.
	logFields func(in I) map[string]any
	// call is the client method, such as (*sagclient.Client).ListGateways.
	call func(c *sagclient.Client, ctx context.Context, in I) (O, error)
	// state fills the model (or resp.State directly) from the answer.
	state func(ctx context.Context, m *M, in I, out O, resp *datasource.ReadResponse)
}

// readDataSource runs one read: the configuration into the model, the
// provider checked, the deadline from timeouts.read, the client call, its
// error as a diagnostic on the attribute at fault, then the state.
func readDataSource[M, I, O any](ctx context.Context, c *configured, req datasource.ReadRequest, resp *datasource.ReadResponse, s readSteps[M, I, O]) {
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	in := s.input(ctx, &m, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	var t timeouts.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	ctx, cancel, readTimeout, ok := c.beginRead(ctx, t, s.defaultTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	if s.logFields != nil {
		for k, v := range s.logFields(in) {
			ctx = tflog.SetField(ctx, k, v)
		}
	}

	out, err := s.call(c.data.client, ctx, in)
	if err != nil {
		addReadError(ctx, &resp.Diagnostics, c.data.client, readFailure{
			err: err, readTimeout: readTimeout, hasAttribute: schemaHasAttribute(resp),
		})
		return
	}
	s.state(ctx, &m, in, out, resp)
}

// schemaHasAttribute reports whether the data source has a top-level
// attribute of that name, so that one table of error codes serves every
// data source.
func schemaHasAttribute(resp *datasource.ReadResponse) func(string) bool {
	attrs := resp.State.Schema.GetAttributes()
	return func(name string) bool {
		_, ok := attrs[name]
		return ok
	}
}

// configured is embedded by every data source: it receives the provider's
// data and checks it before a read.
type configured struct {
	data *providerData
}

func (c *configured) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if data := providerDataOf(req.ProviderData, &resp.Diagnostics); data != nil {
		c.data = data
	}
}

// providerDataOf is what Configure hands data sources and actions alike:
// nil, without an error, before the provider is configured (validation
// runs then).
func providerDataOf(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return data
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
