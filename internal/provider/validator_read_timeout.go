package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

// positiveDuration refuses timeouts.read = "0s" or "-5s" at plan time:
// the timeouts package checks only that it parses, and a read with no time
// at all could only fail. What does not parse is the package's to report.
func positiveDuration() validator.String { return positiveDurationValidator{} }

type positiveDurationValidator struct{}

func (positiveDurationValidator) Description(context.Context) string {
	return "must be a positive duration such as 30s, 5m or 1h30m"
}

func (v positiveDurationValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (positiveDurationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	d, err := time.ParseDuration(req.ConfigValue.ValueString())
	if err == nil && d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid read timeout",
			fmt.Sprintf("Attribute %s must be a positive duration such as 30s, 5m or 1h30m, got: %s.", req.Path, idrules.Quote(req.ConfigValue.ValueString())))
	}
}
