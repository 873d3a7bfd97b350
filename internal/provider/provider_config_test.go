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
		MaxRequestsPerSecond: types.Float64Null(), AssumeRole: types.ListNull(assumeRoleType),
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

func TestClientConfig_argumentsBeatEnvironmentAndNewNamesBeatLegacy(t *testing.T) {
	m := nullModel()
	m.Region = types.StringValue("cn-hongkong")
	m.AccessKey = types.StringValue("AK-ARG")
	vars := map[string]string{
		"ALIBABA_CLOUD_REGION": "eu-central-1", "ALICLOUD_REGION": "ap-southeast-1",
		"ALIBABA_CLOUD_ACCESS_KEY_ID": "AK-ENV", "ALICLOUD_ACCESS_KEY": "AK-LEGACY",
		"ALICLOUD_SECRET_KEY": "SECRET-LEGACY", "ALICLOUD_SECURITY_TOKEN": "TOKEN-LEGACY",
		"ALIBABA_CLOUD_PROFILE": "p1", "ALICLOUD_PROFILE": "p2",
		"ALICLOUD_SHARED_CREDENTIALS_FILE": "/tmp/legacy.json",
		"ALICLOUD_ECS_ROLE_NAME":           "ecs-legacy",
		"SMARTAG_ENDPOINT":                 "http://127.0.0.1:9999",
		"ALIBABA_CLOUD_STS_ENDPOINT":       "sts.example.com",
		"ALIBABA_CLOUD_MAX_RETRIES":        "7",
		"CLIENT_READ_TIMEOUT":              "1500",
		"CLIENT_CONNECT_TIMEOUT":           "250",
	}
	cfg, diags := m.clientConfig(env(vars))
	if diags.HasError() {
		t.Fatal(diags)
	}
	c := cfg.Credentials
	checks := map[string][2]string{
		"region":       {cfg.Region, "cn-hongkong"},
		"access key":   {c.AccessKeyID, "AK-ARG"},
		"secret key":   {c.AccessKeySecret, "SECRET-LEGACY"},
		"token":        {c.SecurityToken, "TOKEN-LEGACY"},
		"profile":      {c.Profile, "p1"},
		"profile file": {c.ProfileFile, "/tmp/legacy.json"},
		"ecs role":     {c.ECSRoleName, "ecs-legacy"},
		"sts endpoint": {c.STSEndpoint, "sts.example.com"},
		"endpoint":     {cfg.Endpoint.URL(), "http://127.0.0.1:9999"},
	}
	for name, got := range checks {
		if got[0] != got[1] {
			t.Errorf("%s: got %q, want %q", name, got[0], got[1])
		}
	}
	if !c.ProfileRequired {
		t.Error("a profile named in the environment must be required")
	}
	if cfg.MaxRetries != 7 || cfg.ReadTimeout != 1500*time.Millisecond || cfg.ConnectTimeout != 250*time.Millisecond {
		t.Errorf("numbers from the environment: %d %v %v", cfg.MaxRetries, cfg.ReadTimeout, cfg.ConnectTimeout)
	}
	if c.AssumeRole != nil {
		t.Errorf("no role configured, got %+v", c.AssumeRole)
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
	if cfg.Credentials.ProfileRequired {
		t.Error("the default profile file is optional")
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
		RoleARN: types.StringNull(), SessionName: types.StringValue("audit"), SessionExpiration: types.Int64Value(900),
		Policy: types.StringNull(), ExternalID: types.StringValue("ext-1"),
	}
	m := withAssumeRole(t, nullModel(), block)
	cfg, diags := m.clientConfig(env(map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::123:role/auditor", "ALIBABA_CLOUD_ROLE_SESSION_NAME": "ignored"}))
	if diags.HasError() {
		t.Fatal(diags)
	}
	ar := cfg.Credentials.AssumeRole
	if ar == nil || ar.RoleARN != "acs:ram::123:role/auditor" || ar.SessionName != "audit" || ar.SessionExpiration != 900*time.Second || ar.ExternalID != "ext-1" {
		t.Errorf("got %+v", ar)
	}

	// The environment alone is enough.
	cfg, _ = nullModel().clientConfig(env(map[string]string{"ALIBABA_CLOUD_ROLE_ARN": "acs:ram::123:role/x", "ALIBABA_CLOUD_ROLE_SESSION_NAME": "s"}))
	if ar := cfg.Credentials.AssumeRole; ar == nil || ar.SessionName != "s" {
		t.Errorf("ALIBABA_CLOUD_ROLE_ARN alone: got %+v", ar)
	}

	// A block without any ARN is an error on role_arn.
	block.SessionName = types.StringNull()
	_, diags = withAssumeRole(t, nullModel(), block).clientConfig(env(nil))
	if !diags.HasError() || !strings.Contains(diags[0].Detail(), "role_arn") {
		t.Errorf("want an error about role_arn, got %v", diags)
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
