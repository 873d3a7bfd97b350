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
	CredentialsURI        types.String  `tfsdk:"credentials_uri"`
	FlowStateDir          types.String  `tfsdk:"flow_state_dir"`
	// Lists, not []assumeRoleModel, so that a dynamic block with an
	// unknown for_each is an unknown value rather than a decoding error.
	AssumeRole         types.List `tfsdk:"assume_role"`
	AssumeRoleWithOIDC types.List `tfsdk:"assume_role_with_oidc"`
	Endpoints          types.List `tfsdk:"endpoints"`
}

type assumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	Policy            types.String `tfsdk:"policy"`
	ExternalID        types.String `tfsdk:"external_id"`
}

type assumeRoleWithOIDCModel struct {
	OIDCProviderARN   types.String `tfsdk:"oidc_provider_arn"`
	OIDCTokenFile     types.String `tfsdk:"oidc_token_file"`
	RoleARN           types.String `tfsdk:"role_arn"`
	RoleSessionName   types.String `tfsdk:"role_session_name"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
}

type endpointsModel struct {
	Smartag types.String `tfsdk:"smartag"`
	STS     types.String `tfsdk:"sts"`
}

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
				fmt.Sprintf("%s=%s (used for %s) must be %s.", name, idrules.Quote(raw), attr, want))
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
				fmt.Sprintf("%s=%s (used for %s) must be a number from %g to %g.", name, idrules.Quote(raw), attr, least, most))
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
	add := func(prefix string, values map[string]interface{ IsUnknown() bool }) {
		for name, v := range values {
			if v.IsUnknown() {
				out = append(out, prefix+name)
			}
		}
	}
	add("", map[string]interface{ IsUnknown() bool }{
		"region": m.Region, "access_key": m.AccessKey, "secret_key": m.SecretKey,
		"security_token": m.SecurityToken, "profile": m.Profile,
		"shared_credentials_file": m.SharedCredentialsFile, "ecs_role_name": m.ECSRoleName,
		"endpoint": m.Endpoint, "sts_endpoint": m.STSEndpoint, "max_retries": m.MaxRetries,
		"client_read_timeout": m.ClientReadTimeout, "client_connect_timeout": m.ClientConnectTimeout,
		"max_requests_per_second": m.MaxRequestsPerSecond, "credentials_uri": m.CredentialsURI, "flow_state_dir": m.FlowStateDir,
		"assume_role": m.AssumeRole, "assume_role_with_oidc": m.AssumeRoleWithOIDC, "endpoints": m.Endpoints,
	})
	for _, ar := range m.assumeRoleBlocks() {
		add("assume_role.", map[string]interface{ IsUnknown() bool }{
			"role_arn": ar.RoleARN, "session_name": ar.SessionName, "session_expiration": ar.SessionExpiration,
			"policy": ar.Policy, "external_id": ar.ExternalID,
		})
	}
	for _, o := range m.oidcBlocks() {
		add("assume_role_with_oidc.", map[string]interface{ IsUnknown() bool }{
			"oidc_provider_arn": o.OIDCProviderARN, "oidc_token_file": o.OIDCTokenFile, "role_arn": o.RoleARN,
			"role_session_name": o.RoleSessionName, "policy": o.Policy, "session_expiration": o.SessionExpiration,
		})
	}
	for _, e := range m.endpointsBlocks() {
		add("endpoints.", map[string]interface{ IsUnknown() bool }{"smartag": e.Smartag, "sts": e.STS})
	}
	slices.Sort(out)
	return out
}

// clientConfig merges the configuration with the environment into what the
// client needs. It does no I/O and resolves no credentials.
func (m providerModel) clientConfig(getenv func(string) string) (sagclient.Config, diag.Diagnostics) {
	s := &settings{getenv: getenv}
	var cfg sagclient.Config

	region, regionFrom := s.str(m.Region, envNames("region"))
	if region != "" && !idrules.RegionPattern.MatchString(region) {
		s.diags.AddAttributeError(path.Root("region"), "Invalid region",
			fmt.Sprintf("The region %s (from %s) must be a region ID such as cn-shanghai.", idrules.Quote(region), regionFrom))
	}
	cfg.Region = region

	endpoints := m.endpointsBlock()
	smartagEndpoint := s.oneOf(path.Root("endpoint"), m.Endpoint, path.Root("endpoints").AtListIndex(0).AtName("smartag"), endpoints.Smartag)
	if raw, from := s.str(smartagEndpoint, envNames("endpoint")); raw != "" {
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
	creds.AccessKeyID, _ = s.str(m.AccessKey, envNames("access_key"))
	creds.AccessKeySecret, _ = s.str(m.SecretKey, envNames("secret_key"))
	creds.SecurityToken, _ = s.str(m.SecurityToken, envNames("security_token"))
	creds.Profile, _ = s.str(m.Profile, envNames("profile"))
	creds.ProfileFile = s.path(m.SharedCredentialsFile, "shared_credentials_file", path.Root("shared_credentials_file"))
	if creds.ProfileFile != "" && creds.Profile == "" {
		s.diags.AddAttributeWarning(path.Root("shared_credentials_file"), "Credentials file not read",
			"A shared credentials file is set but no profile is named, so the file is not read. Like the alicloud "+
				"provider, this provider reads the Alibaba Cloud CLI file only for a profile named by profile or "+
				envPlain("profile")+".")
	}
	creds.CredentialsURI, _ = s.str(m.CredentialsURI, envNames("credentials_uri"))
	creds.ECSRoleName, _ = s.str(m.ECSRoleName, envNames("ecs_role_name"))
	stsEndpoint := s.oneOf(path.Root("sts_endpoint"), m.STSEndpoint, path.Root("endpoints").AtListIndex(0).AtName("sts"), endpoints.STS)
	if raw, from := s.str(stsEndpoint, envNames("sts_endpoint")); raw != "" {
		// The arguments were checked at plan time; the variable only here.
		if ep, err := sagclient.ParseSTSEndpoint(raw); err != nil {
			s.diags.AddAttributeError(path.Root("sts_endpoint"), "Invalid STS endpoint", fmt.Sprintf("From %s: %v", from, err))
		} else {
			creds.STSEndpoint = ep.Host
		}
	}
	creds.AssumeRole = m.assumeRole(s)
	creds.OIDC = m.assumeRoleWithOIDC(s)

	cfg.MaxRetries = int(s.int(m.MaxRetries, envNames("max_retries"), path.Root("max_retries"), 0, maxRetriesLimit, sagclient.DefaultMaxRetries))
	cfg.ReadTimeout = time.Duration(s.int(m.ClientReadTimeout, envNames("client_read_timeout"), path.Root("client_read_timeout"), 1, math.MaxInt64,
		sagclient.DefaultReadTimeout.Milliseconds())) * time.Millisecond
	cfg.ConnectTimeout = time.Duration(s.int(m.ClientConnectTimeout, envNames("client_connect_timeout"), path.Root("client_connect_timeout"), 1, math.MaxInt64,
		sagclient.DefaultConnectTimeout.Milliseconds())) * time.Millisecond
	cfg.MaxRequestsPerSecond = s.float(m.MaxRequestsPerSecond, envNames("max_requests_per_second"), path.Root("max_requests_per_second"), minRequestsPerSecond, maxRequestsPerSecond)
	cfg.FlowStateDir = s.flowStateDir(m.FlowStateDir)
	return cfg, s.diags
}

// oneOf merges a flat argument with its twin in the endpoints block: either
// may be set, or both to the same value; two different values are an error
// rather than a silent choice.
func (s *settings) oneOf(flatPath path.Path, flat types.String, nestedPath path.Path, nested types.String) types.String {
	if nested.IsNull() || nested.IsUnknown() {
		return flat
	}
	if !flat.IsNull() && !flat.IsUnknown() && flat.ValueString() != nested.ValueString() {
		s.diags.AddAttributeError(nestedPath, "Conflicting endpoints", conflictDetail(flatPath, nestedPath))
	}
	return nested
}

func conflictDetail(flatPath, nestedPath path.Path) string {
	return fmt.Sprintf("%s and %s are set to different values. Set one of them (%s is the alicloud provider's "+
		"spelling), or both to the same value.", flatPath, nestedPath, nestedPath)
}

// path is like str for a file path, with a leading ~ expanded to the home
// directory as the alicloud provider does.
func (s *settings) path(v types.String, attr string, p path.Path) string {
	raw, from := s.str(v, envNames(attr))
	expanded, err := expandHome(raw)
	if err != nil {
		s.diags.AddAttributeError(p, "Invalid path", fmt.Sprintf("The path %s (from %s): %v", idrules.Quote(raw), from, err))
		return ""
	}
	return expanded
}

// Bounds of max_requests_per_second.
const (
	minRequestsPerSecond = 0.1
	maxRequestsPerSecond = 10000
)

// Bounds of assume_role.session_expiration, STS's: 15 minutes to 12 hours
// (the role's MaxSessionDuration may be lower).
const (
	minSessionExpiration = 900
	maxSessionExpiration = 43200
)

// assumeRole is the assume_role block merged with its environment
// variables; nil when there is no block. As in the alicloud provider, the
// variables fill in a block's arguments but do not create one.
func (m providerModel) assumeRole(s *settings) *sagclient.AssumeRoleConfig {
	blocks := m.assumeRoleBlocks()
	if len(blocks) == 0 {
		return nil
	}
	block := blocks[0]
	at := path.Root("assume_role").AtListIndex(0)
	arn, _ := s.str(block.RoleARN, envNames("assume_role.role_arn"))
	if arn == "" {
		s.diags.AddAttributeError(at.AtName("role_arn"), "Missing role ARN",
			"The assume_role block needs role_arn, or the environment variable "+envPlain("assume_role.role_arn")+".")
		return nil
	}
	if !idrules.RoleARNPattern.MatchString(arn) {
		s.diags.AddAttributeError(at.AtName("role_arn"), "Invalid role ARN",
			fmt.Sprintf("%s must be a RAM role ARN such as acs:ram::123456789012:role/auditor.", idrules.Quote(arn)))
	}
	session, _ := s.str(block.SessionName, envNames("assume_role.session_name"))
	expiration := s.int(block.SessionExpiration, envNames("assume_role.session_expiration"), at.AtName("session_expiration"),
		minSessionExpiration, maxSessionExpiration, 0)
	return &sagclient.AssumeRoleConfig{
		RoleARN:           arn,
		SessionName:       session,
		SessionExpiration: time.Duration(expiration) * time.Second,
		Policy:            block.Policy.ValueString(),
		ExternalID:        block.ExternalID.ValueString(),
	}
}

// assumeRoleWithOIDC is the assume_role_with_oidc block merged with the
// SDK's ALIBABA_CLOUD_OIDC_* variables; nil when there is no block.
func (m providerModel) assumeRoleWithOIDC(s *settings) *sagclient.OIDCConfig {
	blocks := m.oidcBlocks()
	if len(blocks) == 0 {
		return nil
	}
	block := blocks[0]
	at := path.Root("assume_role_with_oidc").AtListIndex(0)
	cfg := &sagclient.OIDCConfig{Policy: block.Policy.ValueString()}
	cfg.ProviderARN, _ = s.str(block.OIDCProviderARN, envNames("assume_role_with_oidc.oidc_provider_arn"))
	cfg.TokenFile = s.path(block.OIDCTokenFile, "assume_role_with_oidc.oidc_token_file", at.AtName("oidc_token_file"))
	cfg.RoleARN, _ = s.str(block.RoleARN, envNames("assume_role_with_oidc.role_arn"))
	cfg.SessionName, _ = s.str(block.RoleSessionName, envNames("assume_role_with_oidc.role_session_name"))
	if !block.SessionExpiration.IsNull() && !block.SessionExpiration.IsUnknown() {
		cfg.SessionExpiration = time.Duration(block.SessionExpiration.ValueInt64()) * time.Second
	}
	for attr, value := range map[string]string{
		"oidc_provider_arn": cfg.ProviderARN, "oidc_token_file": cfg.TokenFile, "role_arn": cfg.RoleARN,
	} {
		if value == "" {
			s.diags.AddAttributeError(at.AtName(attr), "Missing "+attr,
				"The assume_role_with_oidc block needs "+attr+", or the environment variable "+
					envPlain("assume_role_with_oidc."+attr)+".")
		}
	}
	if cfg.RoleARN != "" && !idrules.RoleARNPattern.MatchString(cfg.RoleARN) {
		s.diags.AddAttributeError(at.AtName("role_arn"), "Invalid role ARN",
			fmt.Sprintf("%s must be a RAM role ARN such as acs:ram::123456789012:role/auditor.", idrules.Quote(cfg.RoleARN)))
	}
	return cfg
}

// assumeRoleBlocks decodes the assume_role blocks; none when null or unknown.
func (m providerModel) assumeRoleBlocks() []assumeRoleModel {
	return decodeBlocks[assumeRoleModel](m.AssumeRole)
}

func (m providerModel) oidcBlocks() []assumeRoleWithOIDCModel {
	return decodeBlocks[assumeRoleWithOIDCModel](m.AssumeRoleWithOIDC)
}

func (m providerModel) endpointsBlocks() []endpointsModel {
	return decodeBlocks[endpointsModel](m.Endpoints)
}

// endpointsBlock is the endpoints block, or one with nothing set.
func (m providerModel) endpointsBlock() endpointsModel {
	if blocks := m.endpointsBlocks(); len(blocks) > 0 {
		return blocks[0]
	}
	return endpointsModel{Smartag: types.StringNull(), STS: types.StringNull()}
}

func decodeBlocks[T any](list types.List) []T {
	if list.IsNull() || list.IsUnknown() {
		return nil
	}
	var blocks []T
	// The schema fixes the element type, so this cannot fail.
	_ = list.ElementsAs(context.Background(), &blocks, false)
	return blocks
}

// Object types of the blocks.
var (
	assumeRoleType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"role_arn":           types.StringType,
		"session_name":       types.StringType,
		"session_expiration": types.Int64Type,
		"policy":             types.StringType,
		"external_id":        types.StringType,
	}}
	assumeRoleWithOIDCType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"oidc_provider_arn":  types.StringType,
		"oidc_token_file":    types.StringType,
		"role_arn":           types.StringType,
		"role_session_name":  types.StringType,
		"policy":             types.StringType,
		"session_expiration": types.Int64Type,
	}}
	endpointsType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"smartag": types.StringType,
		"sts":     types.StringType,
	}}
)
