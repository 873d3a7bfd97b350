package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// Every validator is built by a constructor named for the rule it checks;
// a type of our own where a rule needs one message per problem, a bounded
// echo of the value (validator_bounded.go) or the client's own parser.

func regionName() validator.String { return matches(idrules.RegionPattern, idrules.RegionRule) }

// smartagID gives one message per problem: a blank ID is reported as
// blank, not also as failing the pattern.
func smartagID() validator.String { return smartagIDValidator{} }

type smartagIDValidator struct{}

func (smartagIDValidator) Description(context.Context) string { return idrules.SmartAGIDRule }

func (v smartagIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (smartagIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	id := req.ConfigValue.ValueString()
	switch {
	case strings.TrimSpace(id) == "":
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid SAG instance ID",
			fmt.Sprintf("Attribute %s must not be empty or blank.", req.Path))
	case !idrules.SmartAGIDPattern.MatchString(id):
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid SAG instance ID",
			fmt.Sprintf("Attribute %s %s, got: %s.", req.Path, idrules.SmartAGIDRule, idrules.Quote(id)))
	}
}

// endpointURL checks the endpoint with the same parser the client uses.
func endpointURL() validator.String { return endpointValidator{} }

type endpointValidator struct{}

func (endpointValidator) Description(context.Context) string {
	return "must be https://host[:port], http://host[:port] or host[:port]"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := sagclient.ParseEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid endpoint", err.Error())
	}
}

// credentialsURL checks credentials_uri.
func credentialsURL() validator.String { return credentialsURLValidator{} }

type credentialsURLValidator struct{}

func (credentialsURLValidator) Description(context.Context) string {
	return "must be an http:// or https:// URL with a host"
}

func (v credentialsURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (credentialsURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := sagclient.ParseCredentialsURI(req.ConfigValue.ValueString()); err != nil {
		// No value in the message: a query may carry a secret.
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid credentials URI", "credentials_uri "+err.Error()+".")
	}
}

// jsonObject checks that a policy is a JSON object before STS sees it.
func jsonObject() validator.String { return jsonObjectValidator{} }

type jsonObjectValidator struct{}

func (jsonObjectValidator) Description(context.Context) string { return "must be a JSON object" }

func (v jsonObjectValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (jsonObjectValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(req.ConfigValue.ValueString()), &doc); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid policy document",
			fmt.Sprintf("Attribute %s must be a JSON object: %v", req.Path, err))
	}
}

// regexSyntax checks at plan time that a value compiles as an RE2
// regular expression, so a typo fails before any request.
func regexSyntax() validator.String { return regexValidator{} }

type regexValidator struct{}

func (regexValidator) Description(context.Context) string {
	return "must be a valid regular expression (RE2 syntax)"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("Attribute %s must be a regular expression in RE2 syntax: %s.", req.Path, idrules.Cut(err.Error(), 300)))
	}
}
