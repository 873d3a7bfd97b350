package provider

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensmartag/terraform-provider-smartag/internal/idrules"
	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// providerModel is the provider block.
type providerModel struct {
	Region                types.String  `tfsdk:"region"`
	AccessKey             types.String  `tfsdk:"access_key"`
	SecretKey             types.String  `tfsdk:"secret_key"`
	SecurityToken         types.String  `tfsdk:"security_token"`
	Profile               types.String  `tfsdk:"profile"`
	SharedCredentialsFile types.String  `tfsdk:"shared_credentials_file"`
	ECSRoleName           types.String  `tfsdk:"ecs_role_name"`
	Endpoint              types.String  `tfsdk:"endpoint"`
	STSEndpoint           types.String  `tfsdk:"sts_endpoint"`
	MaxRetries            types.Int64   `tfsdk:"max_retries"`
	ClientReadTimeout     types.Int64   `tfsdk:"client_read_timeout"`
	ClientConnectTimeout  types.Int64   `tfsdk:"client_connect_timeout"`
	MaxRequestsPerSecond  types.Float64 `tfsdk:"max_requests_per_second"`
	// A list, not []assumeRoleModel, so that a dynamic block with an
	// unknown for_each is an unknown value rather than a decoding error.
	AssumeRole types.List `tfsdk:"assume_role"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
	ExternalID        types.String `tfsdk:"external_id"`
}

// Environment variables, first found wins; the alicloud provider's names.
var (
	envRegion         = []string{"ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"}
	envAccessKey      = []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALICLOUD_ACCESS_KEY"}
	envSecretKey      = []string{"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALICLOUD_SECRET_KEY"}
	envSecurityToken  = []string{"ALIBABA_CLOUD_SECURITY_TOKEN", "ALICLOUD_SECURITY_TOKEN"}
	envProfile        = []string{"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"}
	envCredentialFile = []string{"ALIBABA_CLOUD_CONFIG_FILE", "ALICLOUD_SHARED_CREDENTIALS_FILE"}
	envECSRoleName    = []string{"ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_ECS_ROLE_NAME"}
	envEndpoint       = []string{"ALIBABA_CLOUD_ENDPOINT_SMARTAG", "SMARTAG_ENDPOINT"}
	envSTSEndpoint    = []string{"ALIBABA_CLOUD_STS_ENDPOINT"}
	envMaxRetries     = []string{"ALIBABA_CLOUD_MAX_RETRIES"}
	envReadTimeout    = []string{"CLIENT_READ_TIMEOUT"}
	envConnectTimeout = []string{"CLIENT_CONNECT_TIMEOUT"}
	envRoleARN        = []string{"ALIBABA_CLOUD_ROLE_ARN"}
	envSessionName    = []string{"ALIBABA_CLOUD_ROLE_SESSION_NAME"}
	envMaxRPS         = []string{"ALIBABA_CLOUD_SMARTAG_MAX_RPS"}
)

// settings resolves each argument: the configuration wins, then the first
// environment variable that is set.
type settings struct {
	getenv func(string) string
	diags  diag.Diagnostics
}

// str returns the value and where it came from ("" when unset).
func (s *settings) str(v types.String, env []string) (string, string) {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString(), "argument"
	}
	for _, name := range env {
		if val := strings.TrimSpace(s.getenv(name)); val != "" {
			return val, name
		}
	}
	return "", ""
}

// int is like str for an integer argument. The schema bounds the argument
// itself to [least, most]; the same bounds apply to its environment
// variables, which the schema never sees.
func (s *settings) int(v types.Int64, env []string, attr path.Path, least, most, def int64) int64 {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueInt64()
	}
	for _, name := range env {
		raw := strings.TrimSpace(s.getenv(name))
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < least || n > most {
			want := fmt.Sprintf("an integer from %d to %d", least, most)
			if most == math.MaxInt64 {
				want = fmt.Sprintf("an integer of at least %d", least)
			}
			s.diags.AddAttributeError(attr, "Invalid environment variable",
				fmt.Sprintf("%s=%q (used for %s) must be %s.", name, raw, attr, want))
			return def
		}
		return n
	}
	return def
}

func (s *settings) float(v types.Float64, env []string, attr path.Path, least, most float64) float64 {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueFloat64()
	}
	for _, name := range env {
		raw := strings.TrimSpace(s.getenv(name))
		if raw == "" {
			continue
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil || !(f >= least && f <= most) { // also refuses NaN
			s.diags.AddAttributeError(attr, "Invalid environment variable",
				fmt.Sprintf("%s=%q (used for %s) must be a number from %g to %g.", name, raw, attr, least, most))
			return 0
		}
		return f
	}
	return 0
}

// maxRetriesLimit bounds max_retries and ALIBABA_CLOUD_MAX_RETRIES: with
// the backoff's 16 s cap, more would only matter past any sensible
// timeouts.read.
const maxRetriesLimit = 100

// unknownAttributes lists the arguments whose value is only known after
// apply, so that a read can say which.
func (m providerModel) unknownAttributes() []string {
	var out []string
	for name, v := range map[string]interface{ IsUnknown() bool }{
		"region": m.Region, "access_key": m.AccessKey, "secret_key": m.SecretKey,
		"security_token": m.SecurityToken, "profile": m.Profile,
		"shared_credentials_file": m.SharedCredentialsFile, "ecs_role_name": m.ECSRoleName,
		"endpoint": m.Endpoint, "sts_endpoint": m.STSEndpoint, "max_retries": m.MaxRetries,
		"client_read_timeout": m.ClientReadTimeout, "client_connect_timeout": m.ClientConnectTimeout,
		"max_requests_per_second": m.MaxRequestsPerSecond,
	} {
		if v.IsUnknown() {
			out = append(out, name)
		}
	}
	if m.AssumeRole.IsUnknown() {
		out = append(out, "assume_role")
	}
	for _, ar := range m.assumeRoleBlocks() {
		for name, v := range map[string]interface{ IsUnknown() bool }{
			"assume_role.role_arn": ar.RoleARN, "assume_role.session_name": ar.SessionName,
			"assume_role.session_expiration": ar.SessionExpiration, "assume_role.policy": ar.Policy,
			"assume_role.external_id": ar.ExternalID,
		} {
			if v.IsUnknown() {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// clientConfig merges the configuration with the environment into what the
// client needs. It does no I/O and resolves no credentials.
func (m providerModel) clientConfig(getenv func(string) string) (sagclient.Config, diag.Diagnostics) {
	s := &settings{getenv: getenv}
	var cfg sagclient.Config

	region, regionFrom := s.str(m.Region, envRegion)
	if region != "" && !idrules.RegionPattern.MatchString(region) {
		s.diags.AddAttributeError(path.Root("region"), "Invalid region",
			fmt.Sprintf("The region %q (from %s) must be a region ID such as cn-shanghai.", region, regionFrom))
	}
	cfg.Region = region

	if raw, from := s.str(m.Endpoint, envEndpoint); raw != "" {
		ep, err := sagclient.ParseEndpoint(raw)
		if err != nil {
			s.diags.AddAttributeError(path.Root("endpoint"), "Invalid endpoint", fmt.Sprintf("From %s: %v", from, err))
		} else {
			cfg.Endpoint = &ep
			if ep.Insecure() && !ep.Loopback() {
				s.diags.AddAttributeWarning(path.Root("endpoint"), "Unencrypted endpoint",
					fmt.Sprintf("The endpoint %s (from %s) uses plain HTTP to a host that is not loopback. Requests are signed, "+
						"so the secret itself does not travel, but the AccessKey ID, any security token and every answer do, unencrypted. Use https:// unless this is a trusted network.", ep.URL(), from))
			}
		}
	}

	creds := &cfg.Credentials
	creds.AccessKeyID, _ = s.str(m.AccessKey, envAccessKey)
	creds.AccessKeySecret, _ = s.str(m.SecretKey, envSecretKey)
	creds.SecurityToken, _ = s.str(m.SecurityToken, envSecurityToken)
	var profileFrom, fileFrom string
	creds.Profile, profileFrom = s.str(m.Profile, envProfile)
	creds.ProfileFile, fileFrom = s.str(m.SharedCredentialsFile, envCredentialFile)
	creds.ProfileRequired = profileFrom != "" || fileFrom != ""
	creds.ECSRoleName, _ = s.str(m.ECSRoleName, envECSRoleName)
	creds.STSEndpoint, _ = s.str(m.STSEndpoint, envSTSEndpoint)
	creds.AssumeRole = m.assumeRole(s)

	cfg.MaxRetries = int(s.int(m.MaxRetries, envMaxRetries, path.Root("max_retries"), 0, maxRetriesLimit, sagclient.DefaultMaxRetries))
	cfg.ReadTimeout = time.Duration(s.int(m.ClientReadTimeout, envReadTimeout, path.Root("client_read_timeout"), 1, math.MaxInt64,
		sagclient.DefaultReadTimeout.Milliseconds())) * time.Millisecond
	cfg.ConnectTimeout = time.Duration(s.int(m.ClientConnectTimeout, envConnectTimeout, path.Root("client_connect_timeout"), 1, math.MaxInt64,
		sagclient.DefaultConnectTimeout.Milliseconds())) * time.Millisecond
	cfg.MaxRequestsPerSecond = s.float(m.MaxRequestsPerSecond, envMaxRPS, path.Root("max_requests_per_second"), minRequestsPerSecond, maxRequestsPerSecond)
	return cfg, s.diags
}

// Bounds of max_requests_per_second.
const (
	minRequestsPerSecond = 0.1
	maxRequestsPerSecond = 10000
)

// assumeRole is the assume_role block merged with ALIBABA_CLOUD_ROLE_ARN and
// ALIBABA_CLOUD_ROLE_SESSION_NAME; nil when no role is to be assumed.
func (m providerModel) assumeRole(s *settings) *sagclient.AssumeRoleConfig {
	var block assumeRoleModel
	blocks := m.assumeRoleBlocks()
	hasBlock := len(blocks) > 0
	if hasBlock {
		block = blocks[0]
	} else {
		block = assumeRoleModel{
			RoleARN: types.StringNull(), SessionName: types.StringNull(), SessionExpiration: types.Int64Null(),
			Policy: types.StringNull(), ExternalID: types.StringNull(),
		}
	}
	arn, _ := s.str(block.RoleARN, envRoleARN)
	if arn == "" {
		if hasBlock {
			s.diags.AddAttributeError(path.Root("assume_role").AtListIndex(0).AtName("role_arn"), "Missing role ARN",
				"The assume_role block needs role_arn, or the environment variable ALIBABA_CLOUD_ROLE_ARN.")
		}
		return nil
	}
	if !idrules.RoleARNPattern.MatchString(arn) {
		s.diags.AddAttributeError(path.Root("assume_role").AtListIndex(0).AtName("role_arn"), "Invalid role ARN",
			fmt.Sprintf("%q must be a RAM role ARN such as acs:ram::123456789012:role/auditor.", arn))
	}
	session, _ := s.str(block.SessionName, envSessionName)
	ar := &sagclient.AssumeRoleConfig{
		RoleARN:     arn,
		SessionName: session,
		Policy:      block.Policy.ValueString(),
		ExternalID:  block.ExternalID.ValueString(),
	}
	if !block.SessionExpiration.IsNull() && !block.SessionExpiration.IsUnknown() {
		ar.SessionExpiration = time.Duration(block.SessionExpiration.ValueInt64()) * time.Second
	}
	return ar
}

// assumeRoleBlocks decodes the assume_role blocks; none when null or unknown.
func (m providerModel) assumeRoleBlocks() []assumeRoleModel {
	if m.AssumeRole.IsNull() || m.AssumeRole.IsUnknown() {
		return nil
	}
	var blocks []assumeRoleModel
	// The schema fixes the element type, so this cannot fail.
	_ = m.AssumeRole.ElementsAs(context.Background(), &blocks, false)
	return blocks
}

// assumeRoleType is the object type of one assume_role block.
var assumeRoleType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"role_arn":           types.StringType,
	"session_name":       types.StringType,
	"session_expiration": types.Int64Type,
	"policy":             types.StringType,
	"external_id":        types.StringType,
}}
