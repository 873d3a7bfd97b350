package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opensmartag/terraform-provider-smartag/internal/sagclient"
)

// nullModel is a provider block with nothing set.
func nullModel() providerModel {
	return providerModel{
		Region: types.StringNull(), AccessKey: types.StringNull(), SecretKey: types.StringNull(),
		SecurityToken: types.StringNull(), Profile: types.StringNull(), SharedCredentialsFile: types.StringNull(),
		ECSRoleName: types.StringNull(), Endpoint: types.StringNull(), STSEndpoint: types.StringNull(),
		MaxRetries: types.Int64Null(), ClientReadTimeout: types.Int64Null(), ClientConnectTimeout: types.Int64Null(),
		MaxRequestsPerSecond: types.Float64Null(), CredentialsURI: types.StringNull(),
		AssumeRole: types.ListNull(assumeRoleType), AssumeRoleWithOIDC: types.ListNull(assumeRoleWithOIDCType),
		Endpoints: types.ListNull(endpointsType),
	}
}

// withAssumeRole is m with one assume_role block.
func withAssumeRole(t *testing.T, m providerModel, block assumeRoleModel) providerModel {
	t.Helper()
	list, diags := types.ListValueFrom(context.Background(), assumeRoleType, []assumeRoleModel{block})
	if diags.HasError() {
		t.Fatal(diags)
	}
	m.AssumeRole = list
	return m
}

func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func TestClientConfig_argumentsBeatEnvironment(t *testing.T) {
	m := nullModel()
	m.Region = types.StringValue("cn-hongkong")
	m.AccessKey = types.StringValue("AK-ARG")
	vars := map[string]string{
		"ALICLOUD_REGION": "eu-central-1", "ALIBABA_CLOUD_REGION": "ap-southeast-1",
		"ALICLOUD_ACCESS_KEY": "AK-ENV", "ALIBABA_CLOUD_ACCESS_KEY_ID": "AK-ENV2",
		"ALIBABA_CLOUD_MAX_RETRIES": "7", "CLIENT_READ_TIMEOUT": "1500", "CLIENT_CONNECT_TIMEOUT": "250",
	}
	cfg, diags := m.clientConfig(env(vars))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.Region != "cn-hongkong" || cfg.Credentials.AccessKeyID != "AK-ARG" {
		t.Errorf("the arguments must win: region %q, access key %q", cfg.Region, cfg.Credentials.AccessKeyID)
	}
	if cfg.MaxRetries != 7 || cfg.ReadTimeout != 1500*time.Millisecond || cfg.ConnectTimeout != 250*time.Millisecond {
		t.Errorf("numbers from the environment: %d %v %v", cfg.MaxRetries, cfg.ReadTimeout, cfg.ConnectTimeout)
	}
}

// stringSettings reads each string setting of the table back from a
// client configuration.
var stringSettings = map[string]func(sagclient.Config) string{
	"region":                  func(c sagclient.Config) string { return c.Region },
	"access_key":              func(c sagclient.Config) string { return c.Credentials.AccessKeyID },
	"secret_key":              func(c sagclient.Config) string { return c.Credentials.AccessKeySecret },
	"security_token":          func(c sagclient.Config) string { return c.Credentials.SecurityToken },
	"profile":                 func(c sagclient.Config) string { return c.Credentials.Profile },
	"shared_credentials_file": func(c sagclient.Config) string { return c.Credentials.ProfileFile },
	"credentials_uri":         func(c sagclient.Config) string { return c.Credentials.CredentialsURI },
	"ecs_role_name":           func(c sagclient.Config) string { return c.Credentials.ECSRoleName },
	"sts_endpoint":            func(c sagclient.Config) string { return c.Credentials.STSEndpoint },
	"endpoint": func(c sagclient.Config) string {
		if c.Endpoint == nil {
			return ""
		}
		return c.Endpoint.URL()
	},
}

// TestClientConfig_environmentPrecedenceIsTheTables: with every variable of
// an argument set, the first one in envVars wins, then the next, ...
func TestClientConfig_environmentPrecedenceIsTheTables(t *testing.T) {
	value := func(attr string, i int) string {
		switch attr {
		case "region":
			return []string{"cn-hangzhou", "cn-beijing", "cn-shenzhen"}[i]
		case "endpoint":
			return fmt.Sprintf("https://smartag-%d.example.com", i)
		case "credentials_uri":
			return fmt.Sprintf("http://127.0.0.1:%d/creds", 8000+i)
		}
		return fmt.Sprintf("%s-%d", attr, i)
	}
	for attr, get := range stringSettings {
		names := envNames(attr)
		for first := range names {
			vars := map[string]string{}
			for i := first; i < len(names); i++ {
				vars[names[i]] = value(attr, i)
			}
			cfg, diags := nullModel().clientConfig(env(vars))
			if diags.HasError() {
				t.Fatalf("%s: %v", attr, diags)
			}
			if got, want := get(cfg), value(attr, first); got != want {
				t.Errorf("%s with %v set: got %q, want %q (from %s)", attr, names[first:], got, want, names[first])
			}
		}
	}
}

// TestEnvVars_alicloudOrder pins the alicloud provider's names and order
// where it reads the environment (its provider.go).
func TestEnvVars_alicloudOrder(t *testing.T) {
	for attr, want := range map[string]string{
		"access_key":               "ALICLOUD_ACCESS_KEY ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABACLOUD_ACCESS_KEY_ID",
		"secret_key":               "ALICLOUD_SECRET_KEY ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABACLOUD_ACCESS_KEY_SECRET",
		"security_token":           "ALICLOUD_SECURITY_TOKEN ALIBABA_CLOUD_SECURITY_TOKEN ALIBABACLOUD_SECURITY_TOKEN",
		"region":                   "ALICLOUD_REGION ALIBABA_CLOUD_REGION",
		"profile":                  "ALICLOUD_PROFILE ALIBABA_CLOUD_PROFILE",
		"ecs_role_name":            "ALICLOUD_ECS_ROLE_NAME ALIBABA_CLOUD_ECS_METADATA",
		"credentials_uri":          "ALICLOUD_CREDENTIALS_URI ALIBABA_CLOUD_CREDENTIALS_URI",
		"assume_role.role_arn":     "ALICLOUD_ASSUME_ROLE_ARN ALIBABA_CLOUD_ROLE_ARN",
		"assume_role.session_name": "ALICLOUD_ASSUME_ROLE_SESSION_NAME ALIBABA_CLOUD_ROLE_SESSION_NAME",
	} {
		if got := strings.Join(envNames(attr), " "); got != want {
			t.Errorf("%s: %s, want %s", attr, got, want)
		}
	}
	if got := envNames("shared_credentials_file"); got[0] != "ALICLOUD_SHARED_CREDENTIALS_FILE" || got[1] != "ALIBABA_CLOUD_CREDENTIALS_FILE" {
		t.Errorf("shared_credentials_file: %v", got)
	}
}

func TestClientConfig_defaults(t *testing.T) {
	cfg, diags := nullModel().clientConfig(env(nil))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.MaxRetries != sagclient.DefaultMaxRetries || cfg.ReadTimeout != sagclient.DefaultReadTimeout ||
		cfg.ConnectTimeout != sagclient.DefaultConnectTimeout || cfg.Endpoint != nil || cfg.Region != "" {
		t.Errorf("unexpected defaults: %+v", cfg)
	}
}

func TestClientConfig_zeroRetriesFromArgument(t *testing.T) {
	m := nullModel()
	m.MaxRetries = types.Int64Value(0)
	cfg, _ := m.clientConfig(env(map[string]string{"ALIBABA_CLOUD_MAX_RETRIES": "9"}))
	if cfg.MaxRetries != 0 {
		t.Errorf("max_retries = 0 must disable retries, got %d", cfg.MaxRetries)
	}
}

func TestClientConfig_maxRetriesFromEnvironmentHasTheArgumentsBounds(t *testing.T) {
	for raw, wantErr := range map[string]bool{"0": false, "100": false, "101": true, "-1": true, "1000000": true} {
		cfg, diags := nullModel().clientConfig(env(map[string]string{"ALIBABA_CLOUD_MAX_RETRIES": raw}))
		if diags.HasError() != wantErr {
			t.Errorf("ALIBABA_CLOUD_MAX_RETRIES=%s: error %v, want %v (%v)", raw, diags.HasError(), wantErr, diags)
			continue
		}
		if wantErr {
			if detail := diags[0].Detail(); !strings.Contains(detail, "ALIBABA_CLOUD_MAX_RETRIES") || !strings.Contains(detail, "from 0 to 100") {
				t.Errorf("ALIBABA_CLOUD_MAX_RETRIES=%s: the error should name the variable and its range: %s", raw, detail)
			}
		} else if want := raw; fmt.Sprint(cfg.MaxRetries) != want {
			t.Errorf("ALIBABA_CLOUD_MAX_RETRIES=%s gave max retries %d", raw, cfg.MaxRetries)
		}
	}
}

func TestClientConfig_badEnvironmentNamesTheVariable(t *testing.T) {
	for name, vars := range map[string]map[string]string{
		"ALIBABA_CLOUD_MAX_RETRIES":       {"ALIBABA_CLOUD_MAX_RETRIES": "many"},
		"CLIENT_READ_TIMEOUT":             {"CLIENT_READ_TIMEOUT": "0"},
		"SMARTAG_ENDPOINT":                {"SMARTAG_ENDPOINT": "ftp://x"},
		"ALIBABA_CLOUD_REGION":            {"ALIBABA_CLOUD_REGION": "Shanghai!"},
		"ALIBABA_CLOUD_SMARTAG_MAX_RPS":   {"ALIBABA_CLOUD_SMARTAG_MAX_RPS": "fast"},
		"ALIBABA_CLOUD_SMARTAG_MAX_RPS ":  {"ALIBABA_CLOUD_SMARTAG_MAX_RPS": "0"},
		"ALIBABA_CLOUD_SMARTAG_MAX_RPS  ": {"ALIBABA_CLOUD_SMARTAG_MAX_RPS": "NaN"},
	} {
		t.Run(name, func(t *testing.T) {
			_, diags := nullModel().clientConfig(env(vars))
			if !diags.HasError() || !strings.Contains(diags[0].Detail(), strings.TrimSpace(name)) {
				t.Fatalf("want an error naming %s, got %v", name, diags)
			}
		})
	}
}

func TestClientConfig_plainHTTPWarnsUnlessLoopback(t *testing.T) {
	for endpoint, wantWarning := range map[string]bool{
		"http://smartag.internal.example.com":  true,
		"http://127.0.0.1:8080":                false,
		"https://smartag.internal.example.com": false,
	} {
		m := nullModel()
		m.Endpoint = types.StringValue(endpoint)
		_, diags := m.clientConfig(env(nil))
		if got := diags.WarningsCount() > 0; got != wantWarning {
			t.Errorf("%s: warning %v, want %v (%v)", endpoint, got, wantWarning, diags)
		}
	}
}

func TestClientConfig_assumeRole(t *testing.T) {
	block := assumeRoleModel{
		RoleARN: types.StringNull(), SessionName: types.StringValue("audit"), SessionExpiration: types.Int64Value(43200),
		Policy: types.StringNull(), ExternalID: types.StringValue("ext-1"),
	}
	m := withAssumeRole(t, nullModel(), block)
	cfg, diags := m.clientConfig(env(map[string]string{
		"ALICLOUD_ASSUME_ROLE_ARN": "acs:ram::123:role/auditor", "ALIBABA_CLOUD_ROLE_ARN": "acs:ram::123:role/second",
		"ALIBABA_CLOUD_ROLE_SESSION_NAME": "ignored", "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION": "900",
	}))
	if diags.HasError() {
		t.Fatal(diags)
	}
	ar := cfg.Credentials.AssumeRole
	if ar == nil || ar.RoleARN != "acs:ram::123:role/auditor" || ar.SessionName != "audit" || ar.SessionExpiration != 12*time.Hour || ar.ExternalID != "ext-1" {
		t.Errorf("got %+v", ar)
	}

	// An empty block takes everything from the environment.
	empty := assumeRoleModel{RoleARN: types.StringNull(), SessionName: types.StringNull(), SessionExpiration: types.Int64Null(),
		Policy: types.StringNull(), ExternalID: types.StringNull()}
	cfg, diags = withAssumeRole(t, nullModel(), empty).clientConfig(env(map[string]string{
		"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::123:role/x", "ALICLOUD_ASSUME_ROLE_SESSION_NAME": "s",
		"ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION": "7200",
	}))
	if ar := cfg.Credentials.AssumeRole; diags.HasError() || ar == nil || ar.RoleARN != "acs:ram::123:role/x" || ar.SessionName != "s" || ar.SessionExpiration != 2*time.Hour {
		t.Errorf("assume_role {} with the environment: got %+v, %v", ar, diags)
	}

	// As in alicloud, the environment alone enables no role.
	cfg, _ = nullModel().clientConfig(env(map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::123:role/x", "ALICLOUD_ASSUME_ROLE_ARN": "acs:ram::123:role/y"}))
	if ar := cfg.Credentials.AssumeRole; ar != nil {
		t.Errorf("no block, no role: got %+v", ar)
	}

	// The session expiration variable has the argument's bounds.
	for _, raw := range []string{"899", "43201", "an hour"} {
		_, diags = withAssumeRole(t, nullModel(), empty).clientConfig(env(map[string]string{
			"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::123:role/x", "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION": raw}))
		if !diags.HasError() || !strings.Contains(diags[0].Detail(), "ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION") {
			t.Errorf("ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION=%s: want an error naming it, got %v", raw, diags)
		}
	}

	// A block without any ARN is an error on role_arn.
	_, diags = withAssumeRole(t, nullModel(), empty).clientConfig(env(nil))
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), "role_arn") || !strings.Contains(diags[0].Detail(), "ALICLOUD_ASSUME_ROLE_ARN") {
		t.Errorf("want an error about role_arn, got %v", diags)
	}
}

func withOIDC(t *testing.T, m providerModel, block assumeRoleWithOIDCModel) providerModel {
	t.Helper()
	list, diags := types.ListValueFrom(context.Background(), assumeRoleWithOIDCType, []assumeRoleWithOIDCModel{block})
	if diags.HasError() {
		t.Fatal(diags)
	}
	m.AssumeRoleWithOIDC = list
	return m
}

func emptyOIDC() assumeRoleWithOIDCModel {
	return assumeRoleWithOIDCModel{OIDCProviderARN: types.StringNull(), OIDCTokenFile: types.StringNull(), RoleARN: types.StringNull(),
		RoleSessionName: types.StringNull(), Policy: types.StringNull(), SessionExpiration: types.Int64Null()}
}

func TestClientConfig_assumeRoleWithOIDC(t *testing.T) {
	t.Setenv("HOME", "/home/ci")
	rrsa := map[string]string{
		"ALIBABA_CLOUD_OIDC_PROVIDER_ARN": "acs:ram::123:oidc-provider/ack-rrsa",
		"ALIBABA_CLOUD_OIDC_TOKEN_FILE":   "/var/run/secrets/tokens/oidc-token",
		"ALIBABA_CLOUD_ROLE_ARN":          "acs:ram::123:role/pod",
		"ALIBABA_CLOUD_ROLE_SESSION_NAME": "pod-session",
	}
	cfg, diags := withOIDC(t, nullModel(), emptyOIDC()).clientConfig(env(rrsa))
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := sagclient.OIDCConfig{ProviderARN: "acs:ram::123:oidc-provider/ack-rrsa", TokenFile: "/var/run/secrets/tokens/oidc-token",
		RoleARN: "acs:ram::123:role/pod", SessionName: "pod-session"}
	if o := cfg.Credentials.OIDC; o == nil || *o != want {
		t.Errorf("assume_role_with_oidc {} under RRSA: got %+v", o)
	}

	block := emptyOIDC()
	block.OIDCTokenFile = types.StringValue("~/token")
	block.SessionExpiration = types.Int64Value(900)
	cfg, _ = withOIDC(t, nullModel(), block).clientConfig(env(rrsa))
	if o := cfg.Credentials.OIDC; o == nil || o.TokenFile != "/home/ci/token" || o.SessionExpiration != 15*time.Minute {
		t.Errorf("the block wins and ~ is expanded: got %+v", o)
	}

	// Without the block, the variables configure nothing.
	cfg, _ = nullModel().clientConfig(env(rrsa))
	if cfg.Credentials.OIDC != nil {
		t.Errorf("no block, no OIDC: got %+v", cfg.Credentials.OIDC)
	}

	_, diags = withOIDC(t, nullModel(), emptyOIDC()).clientConfig(env(nil))
	if diags.ErrorsCount() != 3 {
		t.Fatalf("want one error for each of oidc_provider_arn, oidc_token_file and role_arn, got %v", diags)
	}
	for _, d := range diags {
		if !strings.Contains(d.Detail(), "ALIBABA_CLOUD_") {
			t.Errorf("the error should name the variable: %s", d.Detail())
		}
	}
}

func TestClientConfig_homeIsExpandedInFilePaths(t *testing.T) {
	t.Setenv("HOME", "/home/u")
	m := nullModel()
	m.Profile = types.StringValue("p")
	for raw, want := range map[string]string{"~/.aliyun/ci.json": "/home/u/.aliyun/ci.json", "~": "/home/u", "/etc/x.json": "/etc/x.json", "rel/x": "rel/x"} {
		m.SharedCredentialsFile = types.StringValue(raw)
		cfg, diags := m.clientConfig(env(nil))
		if diags.HasError() || cfg.Credentials.ProfileFile != want {
			t.Errorf("%s: got %q, %v; want %q", raw, cfg.Credentials.ProfileFile, diags, want)
		}
	}
	cfg, _ := nullModel().clientConfig(env(map[string]string{"ALIBABA_CLOUD_CREDENTIALS_FILE": "~/f.json", "ALIBABA_CLOUD_PROFILE": "p"}))
	if cfg.Credentials.ProfileFile != "/home/u/f.json" {
		t.Errorf("ALIBABA_CLOUD_CREDENTIALS_FILE: got %q", cfg.Credentials.ProfileFile)
	}
	m.SharedCredentialsFile = types.StringValue("~other/x.json")
	if _, diags := m.clientConfig(env(nil)); !diags.HasError() {
		t.Error("~user must be refused")
	}
}

func TestClientConfig_credentialsFileWithoutProfileWarns(t *testing.T) {
	cfg, diags := nullModel().clientConfig(env(map[string]string{"ALIBABA_CLOUD_CREDENTIALS_FILE": "/ci/config.json"}))
	if diags.HasError() || diags.WarningsCount() != 1 || !strings.Contains(diags[0].Detail(), "no profile is named") {
		t.Fatalf("want one warning, got %v", diags)
	}
	if cfg.Credentials.Profile != "" {
		t.Errorf("no profile: got %q", cfg.Credentials.Profile)
	}
}

func withEndpoints(t *testing.T, m providerModel, smartag, sts types.String) providerModel {
	t.Helper()
	list, diags := types.ListValueFrom(context.Background(), endpointsType, []endpointsModel{{Smartag: smartag, STS: sts}})
	if diags.HasError() {
		t.Fatal(diags)
	}
	m.Endpoints = list
	return m
}

func TestClientConfig_endpointsBlock(t *testing.T) {
	vars := map[string]string{"SMARTAG_ENDPOINT": "https://env.example.com", "ALIBABA_CLOUD_STS_ENDPOINT": "sts.env.example.com"}
	m := withEndpoints(t, nullModel(), types.StringValue("https://block.example.com"), types.StringValue("sts.block.example.com"))
	cfg, diags := m.clientConfig(env(vars))
	if diags.HasError() || cfg.Endpoint.URL() != "https://block.example.com" || cfg.Credentials.STSEndpoint != "sts.block.example.com" {
		t.Errorf("the block beats the environment: %v %q %v", cfg.Endpoint, cfg.Credentials.STSEndpoint, diags)
	}

	// The same value in both places is fine.
	m.Endpoint = types.StringValue("https://block.example.com")
	if _, diags := m.clientConfig(env(vars)); diags.HasError() {
		t.Errorf("equal values: %v", diags)
	}

	// Different values are an error on the block's attribute.
	m.Endpoint = types.StringValue("https://flat.example.com")
	m.STSEndpoint = types.StringValue("sts.flat.example.com")
	_, diags = m.clientConfig(env(vars))
	if diags.ErrorsCount() != 2 || !strings.Contains(diags[0].Detail(), "different values") {
		t.Errorf("want two conflicts, got %v", diags)
	}

	// An empty block changes nothing.
	cfg, _ = withEndpoints(t, nullModel(), types.StringNull(), types.StringNull()).clientConfig(env(vars))
	if cfg.Endpoint.URL() != "https://env.example.com" || cfg.Credentials.STSEndpoint != "sts.env.example.com" {
		t.Errorf("empty block: %v %q", cfg.Endpoint, cfg.Credentials.STSEndpoint)
	}
}

func TestUnknownAttributes(t *testing.T) {
	m := withAssumeRole(t, nullModel(), assumeRoleModel{RoleARN: types.StringUnknown(), SessionName: types.StringNull(),
		SessionExpiration: types.Int64Null(), Policy: types.StringNull(), ExternalID: types.StringNull()})
	m.Region = types.StringUnknown()
	got := strings.Join(m.unknownAttributes(), ",")
	if got != "assume_role.role_arn,region" {
		t.Errorf("got %q", got)
	}
	m.AssumeRole = types.ListUnknown(assumeRoleType)
	if got := strings.Join(m.unknownAttributes(), ","); got != "assume_role,region" {
		t.Errorf("an unknown block list: got %q", got)
	}
	if len(nullModel().unknownAttributes()) != 0 {
		t.Error("nothing is unknown in a null model")
	}
}

func TestClientConfig_maxRequestsPerSecond(t *testing.T) {
	cfg, diags := nullModel().clientConfig(env(nil))
	if diags.HasError() || cfg.MaxRequestsPerSecond != 0 {
		t.Fatalf("no ceiling by default, got %v %v", cfg.MaxRequestsPerSecond, diags)
	}
	cfg, _ = nullModel().clientConfig(env(map[string]string{"ALIBABA_CLOUD_SMARTAG_MAX_RPS": "2.5"}))
	if cfg.MaxRequestsPerSecond != 2.5 {
		t.Errorf("from the environment: %v", cfg.MaxRequestsPerSecond)
	}
	m := nullModel()
	m.MaxRequestsPerSecond = types.Float64Value(8)
	cfg, _ = m.clientConfig(env(map[string]string{"ALIBABA_CLOUD_SMARTAG_MAX_RPS": "2.5"}))
	if cfg.MaxRequestsPerSecond != 8 {
		t.Errorf("the argument wins: %v", cfg.MaxRequestsPerSecond)
	}
}
