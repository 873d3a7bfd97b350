package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// defaultChangeTimeout bounds one invocation of an action: its look-ups,
// the change, retries and waits for the API's flow control.
const defaultChangeTimeout = 2 * time.Minute

// clientUserActionModel is the configuration of every action that changes
// one client account.
type clientUserActionModel struct {
	SmartAGID types.String `tfsdk:"smartag_id"`
	UserName  types.String `tfsdk:"user_name"`
	Region    types.String `tfsdk:"region"`
}

// clientUserChange is what one such action does, given the client, the
// account and a way to report progress.
type clientUserChange struct {
	typeSuffix  string
	description string
	run         func(ctx context.Context, client *sagclient.Client, in sagclient.ClientUserInput, p progress, diags *diag.Diagnostics)
}

// clientUserAction is the action type of every clientUserChange: the same
// configuration, validation, provider data and timeout.
type clientUserAction struct {
	change clientUserChange
	data   *providerData
}

var (
	_ action.Action              = (*clientUserAction)(nil)
	_ action.ActionWithConfigure = (*clientUserAction)(nil)
)

func (a *clientUserAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + a.change.typeSuffix
}

func (a *clientUserAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: a.change.description + "\n\n" + actionCommonDescription,
		Attributes: map[string]schema.Attribute{
			"smartag_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The ID of the SAG app (Software) instance, such as `sag-wfjgn0abcde12345`; the API's " +
					"`SmartAGId`. Checked at plan time like the data sources' `smartag_id`: `sag-` followed by lowercase " +
					"letters and digits. An ID the region does not know fails with `SAG.InstanceNoFound` before anything changes.",
				Validators: []validator.String{smartagIDValidator{}},
			},
			"user_name": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The name of the client account (the user that signs in to the SAG app). Must not be " +
					"blank, checked at plan time. A name that is not an account of the instance fails before anything changes.",
				Validators: []validator.String{notBlank()},
			},
			"region": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The region of the SAG instance, such as `cn-hongkong`; the API's `RegionId`. Defaults " +
					"to the provider's `region`.",
				Validators: []validator.String{regionName()},
			},
		},
	}
}

// actionCommonDescription is what every client-account action's page says
// about how it runs.
const actionCommonDescription = "Runs only when invoked: `terraform apply -invoke=action.<type>.<name>`, or from a " +
	"resource's `lifecycle { action_trigger { ... } }`. Declaring it, planning, or reading data sources never changes " +
	"anything. Needs Terraform 1.14 or later; older CLIs and OpenTofu serve this provider's data sources as before, " +
	"but do not accept `action` blocks.\n\n" +
	"It first looks the account up (`DescribeSmartAccessGatewayClientUsers`), so that a mistyped name changes nothing " +
	"and the final message can say what changed, and reads it again after the change: a success that the listing " +
	"contradicts is reported as a warning, never as done. The change is a single request, throttled by the provider's rate " +
	"governor like the reads and sent again after a throttling refusal; after a server error or a lost connection it " +
	"is sent again too (up to `max_retries`), because it sets an end state: repeating it leaves the account as doing it " +
	"once does. The whole invocation may take up to 2 minutes. Progress and the result are printed by Terraform and " +
	"logged (`TF_LOG=INFO`) with the API's request IDs."

func (a *clientUserAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	if data := providerDataOf(req.ProviderData, &resp.Diagnostics); data != nil {
		a.data = data
	}
}

func (a *clientUserAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var model clientUserActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &model)...)
	if resp.Diagnostics.HasError() {
		return
	}
	switch {
	case a.data == nil:
		resp.Diagnostics.AddError("Provider not configured",
			"The smartag provider was not configured before this action was invoked. This is a bug in the provider; please report it.")
		return
	case len(a.data.unknown) > 0:
		resp.Diagnostics.AddError("Provider configuration not yet known",
			fmt.Sprintf("The smartag provider's arguments %v depend on values known only after apply, so this action "+
				"cannot run yet. Apply the resources they depend on first.", a.data.unknown))
		return
	}
	in := sagclient.ClientUserInput{
		Region:    model.Region.ValueString(),
		SmartAGID: model.SmartAGID.ValueString(),
		UserName:  model.UserName.ValueString(),
	}
	ctx, cancel := context.WithTimeout(ctx, defaultChangeTimeout)
	defer cancel()
	ctx = tflog.SetField(ctx, "action_type", "smartag"+a.change.typeSuffix)
	ctx = tflog.SetField(ctx, "smartag_id", in.SmartAGID)
	ctx = tflog.SetField(ctx, "user_name", in.UserName)
	a.change.run(ctx, a.data.client, in, progress{send: resp.SendProgress}, &resp.Diagnostics)
}

// progress reports what an action does: Terraform prints each message
// while the action runs, and the log keeps it.
type progress struct {
	send func(action.InvokeProgressEvent)
}

func (p progress) say(ctx context.Context, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	tflog.Info(ctx, msg)
	if p.send != nil {
		p.send(action.InvokeProgressEvent{Message: msg})
	}
}

// lookUp finds the account before it is changed; ok is false when it
// failed, with the diagnostic added.
func lookUp(ctx context.Context, client *sagclient.Client, in sagclient.ClientUserInput, p progress, diags *diag.Diagnostics) (*sagclient.ClientUserState, bool) {
	p.say(ctx, "Looking up account %q on SAG instance %s", in.UserName, in.SmartAGID)
	state, err := client.LookupClientUser(ctx, in)
	if err != nil {
		addChangeError(ctx, diags, client, changeFailure{err: err, stage: stageLookUp})
		return nil, false
	}
	return state, true
}

// changed logs a change that succeeded and prints the final line.
func changed(ctx context.Context, p progress, out *sagclient.ChangeOutput, action string, summary string) {
	tflog.Info(ctx, "Smartag change applied", map[string]any{
		"api_action": action,
		"region":     out.Region,
		"request_id": out.RequestID,
		"requests":   out.Stats.Requests,
		"throttled":  out.Stats.Throttled,
		"retries":    out.Stats.Retries,
	})
	p.say(ctx, "%s (request ID %s)", summary, out.RequestID)
}

// where names an account and its instance in messages.
func where(in sagclient.ClientUserInput, region string) string {
	return fmt.Sprintf("account %q of SAG instance %s (%s)", in.UserName, in.SmartAGID, region)
}
