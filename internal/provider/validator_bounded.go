package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
)

// The framework's own string validators quote the whole value in their
// messages; these quote at most idrules.MaxEcho bytes of it, so that a
// megabyte-long value draws a message of a line, not a megabyte.

// matches is stringvalidator.RegexMatches with a bounded echo.
func matches(pattern *regexp.Regexp, rule string) validator.String {
	return patternValidator{pattern: pattern, rule: rule}
}

type patternValidator struct {
	pattern *regexp.Regexp
	rule    string
}

func (v patternValidator) Description(context.Context) string { return v.rule }

func (v patternValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v patternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if value := req.ConfigValue.ValueString(); !v.pattern.MatchString(value) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value Match",
			fmt.Sprintf("Attribute %s %s, got: %s", req.Path, v.rule, idrules.Quote(value)))
	}
}

// notBlank refuses an empty or blank string; there is nothing to quote.
func notBlank() validator.String { return notBlankValidator{} }

type notBlankValidator struct{}

func (notBlankValidator) Description(context.Context) string { return "must not be empty or blank" }

func (v notBlankValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (notBlankValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if strings.TrimSpace(req.ConfigValue.ValueString()) == "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Attribute Value", fmt.Sprintf("Attribute %s must not be empty or blank.", req.Path))
	}
}

// userName checks a client account's name with the rule the mock answers
// ClientUser.NameInvalid by (idrules.UserNamePattern), so that a name the
// API refuses (or a megabyte of one, which would go out in the URL) never
// leaves the plan.
func userName() validator.String { return userNameValidator{} }

type userNameValidator struct{}

func (userNameValidator) Description(context.Context) string { return idrules.UserNameRule }

func (v userNameValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (userNameValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	name := req.ConfigValue.ValueString()
	switch {
	case strings.TrimSpace(name) == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid account name", fmt.Sprintf("Attribute %s must not be empty or blank.", req.Path))
	case len(name) > idrules.MaxUserNameLength:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid account name",
			fmt.Sprintf("Attribute %s is %d bytes long; account names are at most %d: %s.", req.Path, len(name), idrules.MaxUserNameLength, idrules.Quote(name)))
	case !idrules.UserNamePattern.MatchString(name):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid account name",
			fmt.Sprintf("Attribute %s %s, got: %s.", req.Path, idrules.UserNameRule, idrules.Quote(name)))
	}
}
